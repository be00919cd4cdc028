package text

import (
	"unicode"
	"unicode/utf8"
)

const (
	cLetter = 1 << iota
	cDigit
	cSpace
	cUpper
)

// ascii classifies ASCII bytes so the common case avoids the unicode tables.
var ascii = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLetter
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cLetter | cUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	for _, c := range " \t\n\r\v\f" {
		t[c] = cSpace
	}
	return t
}()

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return ascii[r]&cLetter != 0
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return ascii[r]&cDigit != 0
	}
	return unicode.IsDigit(r)
}

// isWordRune reports whether r can be part of a word: letters, digits and combining marks (so a
// decomposed é, e + U+0301, stays inside its word).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ascii[r]&(cLetter|cDigit) != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return ascii[r]&cSpace != 0
	}
	return unicode.IsSpace(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// decode returns the rune at s[i] and its size; RuneError with size 1 for an invalid byte.
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// prevWord reports whether the rune before s[i] is a word rune. It reads at most four bytes back.
func prevWord(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

// nextWord reports whether the rune at s[i] is a word rune; false at the end.
func nextWord(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := decode(s, i)
	return isWordRune(r)
}

// caseFlags returns AllCaps for text with two or more letters that are all uppercase.
func caseFlags(s string) Flags {
	letters := 0
	for i := 0; i < len(s); {
		r, size := decode(s, i)
		i += size
		if !isLetter(r) {
			continue
		}
		if r < utf8.RuneSelf {
			if ascii[r]&cUpper == 0 {
				return 0
			}
		} else if !unicode.IsUpper(r) {
			return 0
		}
		letters++
	}
	if letters >= 2 {
		return AllCaps
	}
	return 0
}
