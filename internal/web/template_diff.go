package web

import (
	"strings"
	"unicode"
)

// diffPart is a stretch of text in a comparison of two versions: in both, only in the new one
// (Added), or only in the old one (Removed).
type diffPart struct {
	Text    string
	Added   bool
	Removed bool
}

// maxDiffCells bounds the work of one comparison; templates are a few hundred words, so a pair
// beyond it is shown as all removed and all added rather than costing the server.
const maxDiffCells = 1 << 20

// wordDiff compares old and new word by word (a word with the spaces after it), so a reviewer sees
// what an edit changed. The unchanged and removed parts joined give old, the unchanged and added
// parts give new.
func wordDiff(old, new string) []diffPart {
	a, b := diffWords(old), diffWords(new)
	if len(a)*len(b) > maxDiffCells {
		return mergeParts([]diffPart{{Text: old, Removed: true}, {Text: new, Added: true}})
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffPart
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, diffPart{Text: a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			// What went comes before what replaced it.
			out = append(out, diffPart{Text: a[i], Removed: true})
			i++
		default:
			out = append(out, diffPart{Text: b[j], Added: true})
			j++
		}
	}
	return mergeParts(out)
}

// diffWords cuts s after each run of spaces, so that every piece is a word with its trailing space.
func diffWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for k, r := range s {
		sp := unicode.IsSpace(r)
		if inSpace && !sp {
			out = append(out, s[start:k])
			start = k
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// mergeParts joins neighbouring parts of the same kind and drops empty ones.
func mergeParts(ps []diffPart) []diffPart {
	var out []diffPart
	for _, p := range ps {
		if p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Added == p.Added && out[n-1].Removed == p.Removed {
			var b strings.Builder
			b.WriteString(out[n-1].Text)
			b.WriteString(p.Text)
			out[n-1].Text = b.String()
			continue
		}
		out = append(out, p)
	}
	return out
}
