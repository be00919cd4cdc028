package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxSearchTerms bounds how many words and phrases of one PostQuery.Text are used. A longer query is
// cut, so a pasted paragraph cannot make one search arbitrarily expensive.
const MaxSearchTerms = 32

// MaxPhraseTokens bounds the tokens of one phrase; the rest of a longer one is ignored. It is enough
// for a whole pasted post, to find its copies.
const MaxPhraseTokens = 64

// MaxTokenBytes is the longest token that is indexed or searched. Longer runs of letters are not words
// anyone searches for, and PostgreSQL refuses lexemes above 2047 bytes.
const MaxTokenBytes = 256

// SearchTerm is one word or "quoted phrase" of PostQuery.Text, folded and split into tokens. A word
// that the tokenizer splits (e-mail) becomes a phrase, as it would be in the indexed text.
type SearchTerm struct {
	Tokens []string
	Prefix bool // the last token matches as a prefix
}

// ParseSearch turns the user's query text into terms. It never fails: characters that are neither
// letters nor digits only separate tokens, an unclosed quote runs to the end, and a term without any
// token is dropped. An empty result for a non-blank query means that nothing can match.
func ParseSearch(q string) []SearchTerm {
	var terms []SearchTerm
	add := func(raw string, prefix bool) {
		toks := SearchTokens(raw)
		if len(toks) == 0 || len(terms) >= MaxSearchTerms {
			return
		}
		if len(toks) > MaxPhraseTokens {
			toks, prefix = toks[:MaxPhraseTokens], false
		}
		terms = append(terms, SearchTerm{Tokens: toks, Prefix: prefix})
	}
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '"':
			end := strings.IndexByte(q[i+1:], '"')
			var phrase string
			if end < 0 {
				phrase, i = q[i+1:], len(q)
			} else {
				phrase, i = q[i+1:i+1+end], i+1+end+1
			}
			prefix := i < len(q) && q[i] == '*'
			add(phrase, prefix)
		default:
			j := i
			for j < len(q) {
				r, size := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r) || r == '"' {
					break
				}
				j += size
			}
			word := q[i:j]
			add(word, strings.HasSuffix(word, "*"))
			i = j
		}
	}
	return terms
}

// SearchTokens folds text (Fold) and splits it into tokens: maximal runs of letters, digits and marks.
// This is the same split SQLite's unicode61 tokenizer makes, so both stores match the same posts. It is
// deliberately not internal/text's tokenizer, which keeps hashtags, mentions and URLs whole for
// analysis: full-text search must split exactly as the SQLite index does.
func SearchTokens(text string) []string {
	folded := Fold(text)
	var toks []string
	start := -1
	for i, r := range folded {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = appendToken(toks, folded[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = appendToken(toks, folded[start:])
	}
	return toks
}

func appendToken(toks []string, t string) []string {
	if len(t) > MaxTokenBytes {
		return toks
	}
	return append(toks, t)
}

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Co, r)
}

// Fold lowercases s and removes diacritics (café becomes cafe), so that matching ignores both.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	// A transformer holds state, so each call builds its own; that keeps Fold safe for concurrent use.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		// The chain only fails on invalid UTF-8, which it cannot see in a Go string it has decoded;
		// lowercasing alone is still a usable fold.
		out = s
	}
	return strings.ToLower(out)
}
