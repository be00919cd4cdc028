package respond

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split cuts s into the posts of a thread on platform p, each within the limit with its " k/n" number
// counted. It returns s as one part (trimmed) when it fits or the platform has no threads. Cuts fall at a
// sentence end when that keeps a part at least half full, else at white space, and inside a word only
// when one word is longer than a post; a URL is never cut.
func (c *Counter) Split(p Platform, s string) []string {
	s = strings.TrimSpace(s)
	r := rules[p]
	if !r.threads || r.limit == 0 || !c.Count(p, s).Over() {
		return []string{s}
	}
	// The width of the numbering depends on the number of parts, which depends on the width: start at one
	// digit and widen until the count agrees.
	for digits := 1; ; digits++ {
		parts := c.splitWith(p, s, r.limit-(2+2*digits))
		if len(strconv.Itoa(len(parts))) <= digits {
			n := len(parts)
			for k := range parts {
				parts[k] += " " + strconv.Itoa(k+1) + "/" + strconv.Itoa(n)
			}
			return parts
		}
	}
}

// Split is Counter.Split with a fresh Counter.
func Split(p Platform, s string) []string {
	var c Counter
	return c.Split(p, s)
}

func (c *Counter) splitWith(p Platform, s string, budget int) []string {
	if budget < 1 {
		budget = 1
	}
	var parts []string
	a := 0
	for a < len(s) {
		rest := s[a:]
		end := c.fitWindow(p, rest, budget)
		if end >= len(rest) {
			parts = append(parts, strings.TrimSpace(rest))
			break
		}
		if end == 0 {
			// One unit (a URL) is larger than a post: it goes alone, over the limit, rather than being cut.
			end = c.firstSegmentEnd(p, rest)
		}
		b := breakAt(rest, end, budget, c, p)
		parts = append(parts, strings.TrimSpace(rest[:b]))
		a += b
		for a < len(s) {
			r, sz := utf8.DecodeRuneInString(s[a:])
			if !unicode.IsSpace(r) {
				break
			}
			a += sz
		}
	}
	return parts
}

// fitWindow is fit on a window of rest that grows until the cut lies in its first half, so splitting a
// long text tokenizes each stretch a bounded number of times instead of the whole remainder per post.
// Tokens are decided by their own bytes and a few before them, so the segments in the first half of a
// window are those of the whole text.
func (c *Counter) fitWindow(p Platform, rest string, budget int) int {
	for w := 4*budget + 64; w < len(rest); w *= 2 {
		for w < len(rest) && !utf8.RuneStart(rest[w]) {
			w++
		}
		if end := c.fit(p, rest[:w], budget); end <= w/2 {
			return end
		}
	}
	return c.fit(p, rest, budget)
}

func (c *Counter) firstSegmentEnd(p Platform, s string) int {
	end := len(s)
	c.walk(rules[p], s, func(g segment) bool {
		end = g.end
		return false
	})
	return end
}

// breakAt chooses where to end a part within rest[:end]: the last sentence end if the part stays at
// least half full, else the last white space, else end itself.
func breakAt(rest string, end, budget int, c *Counter, p Platform) int {
	if end < len(rest) {
		if r, _ := utf8.DecodeRuneInString(rest[end:]); unicode.IsSpace(r) {
			// The cut already falls at white space; a sentence end just before it is still preferred.
			if isSentenceEnd(rest, end) {
				return end
			}
		}
	}
	lastSpace, lastSentence := -1, -1
	for i, r := range rest[:end] {
		if i > 0 && unicode.IsSpace(r) {
			lastSpace = i
			if isSentenceEnd(rest, i) {
				lastSentence = i
			}
		}
	}
	if end < len(rest) {
		if r, _ := utf8.DecodeRuneInString(rest[end:]); unicode.IsSpace(r) {
			lastSpace = end
		}
	}
	if lastSentence > 0 && 2*c.Count(p, rest[:lastSentence]).Used >= budget {
		return lastSentence
	}
	if lastSpace > 0 {
		return lastSpace
	}
	return end
}

// isSentenceEnd reports whether the white space at s[i] follows sentence-final punctuation or is a line
// break.
func isSentenceEnd(s string, i int) bool {
	if s[i] == '\n' {
		return true
	}
	j := i
	for j > 0 && (s[j-1] == '"' || s[j-1] == '\'' || s[j-1] == ')') {
		j--
	}
	if j == 0 {
		return false
	}
	switch s[j-1] {
	case '.', '!', '?', ':', ';':
		return true
	}
	return false
}
