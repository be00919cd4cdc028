package respond

import (
	"errors"
	"fmt"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// phraseSet matches phrases (sequences of folded tokens) against a draft's tokens. Phrases are indexed by
// their first token, so a draft costs one map lookup per token plus the few candidate phrases; phrases
// whose first token is a prefix pattern are few and tried at every token.
type phraseSet struct {
	byFirst map[string][]phrase
	prefix  []phrase
}

type phrase struct {
	pattern string
	elems   []elem
}

type elem struct {
	norm   string
	prefix bool // the entry ended in * right after the word: any word that starts with norm
	any    bool // a * on its own: any one word or number ("uit * verband")
}

type match struct {
	start, end int
	tok, last  int // the first and last token matched
	pattern    string
}

func compilePhrases(list []string) (*phraseSet, error) {
	ps := &phraseSet{byFirst: make(map[string][]phrase)}
	for _, p := range list {
		var elems []elem
		for _, tk := range text.Tokenize(p) {
			if tk.Flags.Has(text.Part) {
				continue
			}
			if tk.Kind == text.Punct && tk.Text == "*" {
				if len(elems) > 0 && tk.Start > 0 && p[tk.Start-1] != ' ' {
					elems[len(elems)-1].prefix = true
				} else {
					elems = append(elems, elem{any: true})
				}
				continue
			}
			elems = append(elems, elem{norm: linterNorm(tk)})
		}
		if strings.TrimSpace(p) == "" {
			return nil, errors.New("an empty entry")
		}
		if !hasWord(elems) {
			return nil, fmt.Errorf("%q has no words", p)
		}
		if elems[0].any || elems[len(elems)-1].any {
			return nil, fmt.Errorf("%q starts or ends with a * on its own; a * that stands for one word goes between words", p)
		}
		ph := phrase{pattern: p, elems: elems}
		if elems[0].prefix {
			ps.prefix = append(ps.prefix, ph)
		} else {
			ps.byFirst[elems[0].norm] = append(ps.byFirst[elems[0].norm], ph)
		}
	}
	return ps, nil
}

// hasWord: an entry must have a word, number or emoji; punctuation alone would match all over a draft.
func hasWord(elems []elem) bool {
	for _, e := range elems {
		for _, r := range e.norm {
			if r > 0x7f || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
				return true
			}
		}
	}
	return false
}

// find returns the longest phrase match at each token, left to right, without overlaps.
func (ps *phraseSet) find(d *draft) []match {
	var out []match
	for k := 0; k < len(d.toks); {
		best := -1
		var bestP string
		try := func(ph phrase) {
			if e, ok := matchAt(d, k, ph.elems); ok && e > best {
				best, bestP = e, ph.pattern
			}
		}
		for _, ph := range ps.byFirst[d.toks[k].Norm] {
			try(ph)
		}
		for _, ph := range ps.prefix {
			try(ph)
		}
		if best < 0 {
			k++
			continue
		}
		out = append(out, match{start: d.toks[k].Start, end: d.toks[best].End, tok: k, last: best, pattern: bestP})
		k = best + 1
	}
	return out
}

// matchAt reports whether elems match the tokens from k on, and the index of the last token matched.
func matchAt(d *draft, k int, elems []elem) (int, bool) {
	if k+len(elems) > len(d.toks) {
		return 0, false
	}
	for j, e := range elems {
		tk := d.toks[k+j]
		if j > 0 && strings.ContainsRune(d.s[d.toks[k+j-1].End:tk.Start], '\n') {
			return 0, false // a phrase does not run over a line break
		}
		switch {
		case e.any:
			if tk.Kind != text.Word && tk.Kind != text.Number {
				return 0, false
			}
		case e.prefix:
			if !strings.HasPrefix(tk.Norm, e.norm) {
				return 0, false
			}
		case tk.Norm != e.norm:
			return 0, false
		}
	}
	return k + len(elems) - 1, true
}

// clitics spells out the English contractions the tokenizer splits off, so that "we'll" matches "we will"
// and "we're working" matches "we are working". ('s is left alone: it is a possessive as often as "is".)
var clitics = map[string]string{"'ll": "will", "'re": "are", "'ve": "have", "'m": "am", "'d": "would"}

// linterNorm is the form the linter matches a token on: its Norm, with English clitics spelled out.
func linterNorm(tk text.Token) string {
	if tk.Flags.Has(text.Clitic) {
		if full, ok := clitics[tk.Norm]; ok {
			return full
		}
	}
	return tk.Norm
}
