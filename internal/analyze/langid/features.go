package langid

import (
	"unicode"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Feature classes. Each has its own smoothing, because a language has far fewer distinct letters than
// distinct 5-grams.
const (
	classWord  = 0 // the whole word with its padding
	maxGram    = 5 // classes 1..5 are n-grams of that length
	numClasses = maxGram + 1
)

// maxWordRunes caps the runes of one word that produce features: words longer than this are compound
// names or junk, and the cap bounds the work per word.
const maxWordRunes = 40

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	wordSeed  = 0x9e3779b97f4a7c15
)

// feature is one hashed feature and its class.
type feature struct {
	key   uint32
	class uint8
}

// extractor turns text into features. It keeps scratch space, so it is reused per goroutine.
type extractor struct {
	tz    text.Tokenizer
	toks  []text.Token
	runes []rune
	feats []feature
	// letters counts the letters that produced features; latin how many of them are Latin script.
	letters, latin int
	// fwHits counts, per language in linguaLanguages order, the words of s on its function-word list.
	fwHits [maxLangs]int
	wbuf   []byte
}

func fold32(h uint64) uint32 {
	k := uint32(h>>32) ^ uint32(h)
	if k == 0 {
		k = 1 // 0 marks an empty slot in the table
	}
	return k
}

// extract fills e.feats with the features of s.
func (e *extractor) extract(s string) {
	e.toks = e.tz.Tokenize(e.toks[:0], s)
	e.extractTokens(e.toks)
}

// extractTokens fills e.feats with the features of tokens from text.Tokenizer.
func (e *extractor) extractTokens(toks []text.Token) {
	e.feats = e.feats[:0]
	e.letters, e.latin = 0, 0
	e.fwHits = [maxLangs]int{}
	for _, tk := range toks {
		if tk.Kind != text.Word || tk.Flags.Has(text.Part) {
			continue
		}
		e.word(tk.Text)
	}
}

// word adds the features of one word: its padded n-grams and the padded word itself.
func (e *extractor) word(w string) {
	r := append(e.runes[:0], ' ')
	for i := 0; i < len(w) && len(r) <= maxWordRunes; {
		c, size := rune(w[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(w[i:])
		}
		i += size
		switch {
		case c == '’' || c == '‘':
			c = '\''
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
		case unicode.IsMark(c) || c == 0xAD || c == 0x200C || c == 0x200D:
			continue
		default:
			c = unicode.ToLower(c)
		}
		if c == '\'' || unicode.IsLetter(c) {
			if c != '\'' {
				e.letters++
				if c < utf8.RuneSelf || unicode.Is(unicode.Latin, c) {
					e.latin++
				}
			}
			r = append(r, c)
		}
	}
	if len(r) == 1 {
		e.runes = r
		return
	}
	if len(r)-1 <= maxFunctionWord {
		e.wbuf = e.wbuf[:0]
		for _, c := range r[1:] {
			e.wbuf = utf8.AppendRune(e.wbuf, c)
		}
		if mask := wordLangs[string(e.wbuf)]; mask != 0 {
			for i := range e.fwHits {
				if mask&(1<<i) != 0 {
					e.fwHits[i]++
				}
			}
		}
	}
	r = append(r, ' ')
	e.runes = r
	for i := range r {
		h := uint64(fnvOffset)
		for n := 1; n <= maxGram && i+n <= len(r); n++ {
			h ^= uint64(r[i+n-1])
			h *= fnvPrime
			if n == 1 && r[i] == ' ' {
				continue // a lone space is in every language
			}
			e.feats = append(e.feats, feature{key: fold32(h), class: uint8(n)})
		}
	}
	h := uint64(fnvOffset ^ wordSeed)
	for _, c := range r {
		h ^= uint64(c)
		h *= fnvPrime
	}
	e.feats = append(e.feats, feature{key: fold32(h), class: classWord})
}
