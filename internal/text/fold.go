package text

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldRange maps every rune in [lo, hi) to its folded form, or "" when lowercasing alone is enough.
type foldRange struct {
	lo, hi rune
	to     []string
}

// foldRanges covers Latin, Greek, Cyrillic and Latin Extended Additional, the ligatures and the
// fullwidth forms. Outside these ranges a rune is only lowercased: the scripts there have no diacritics
// that posts in our languages use. Built once at init and never written again.
var foldRanges = buildFoldRanges()

// foldSpecial are letters that Unicode does not decompose but that readers of our languages treat as
// plain letters or letter pairs.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'ł': "l", 'Ł': "l", 'þ': "th", 'Þ': "th",
	'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t", 'ı': "i",
}

func buildFoldRanges() []foldRange {
	spans := [][2]rune{{0xC0, 0x2000}, {0xFB00, 0xFB07}, {0xFF01, 0xFF5F}}
	out := make([]foldRange, 0, len(spans))
	for _, sp := range spans {
		fr := foldRange{lo: sp[0], hi: sp[1], to: make([]string, sp[1]-sp[0])}
		for r := sp[0]; r < sp[1]; r++ {
			fr.to[r-sp[0]] = foldRuneSlow(r)
		}
		out = append(out, fr)
	}
	return out
}

// foldRuneSlow computes the folded form of r: compatibility decomposition (so ĳ becomes ij and ﬁ
// becomes fi), combining marks dropped, then lowercase. It returns "" when the result equals
// unicode.ToLower(r), so the table stays sparse in effect.
func foldRuneSlow(r rune) string {
	if s, ok := foldSpecial[r]; ok {
		return s
	}
	if !utf8.ValidRune(r) || unicode.Is(unicode.Cs, r) {
		return ""
	}
	d := norm.NFKD.String(string(r))
	b := make([]rune, 0, 4)
	for _, c := range d {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		if s, ok := foldSpecial[c]; ok {
			b = append(b, []rune(s)...)
			continue
		}
		if c == '’' || c == '‘' || c == 'ʼ' {
			c = '\''
		}
		b = append(b, unicode.ToLower(c))
	}
	// A decomposition to nothing but marks (a lone combining character) folds to nothing in words, which
	// the caller handles; keep the lowercase rune here so the table never erases a letter.
	if len(b) == 0 {
		return ""
	}
	if len(b) == 1 && b[0] == unicode.ToLower(r) {
		return ""
	}
	return string(b)
}

// ignorable runes carry no letter and are dropped from folded text: the soft hyphen, zero-width
// space/joiners, word joiner and byte-order mark. Writers and platforms insert them invisibly.
func ignorable(r rune) bool {
	switch r {
	case 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}

// foldPiece returns the folded form of a non-ASCII rune r: either one rune, or a string when folding
// yields several runes or a table entry.
func foldPiece(r rune) (rune, string) {
	switch r {
	case '’', '‘', 'ʼ':
		return '\'', ""
	}
	for i := range foldRanges {
		fr := &foldRanges[i]
		if r >= fr.lo && r < fr.hi {
			if s := fr.to[r-fr.lo]; s != "" {
				return 0, s
			}
			break
		}
	}
	return unicode.ToLower(r), ""
}

// lowerRune is the rune used for the Elongated flag: case-folded but not diacritic-folded, so that
// ideeën (e, e, ë) is not flagged as emphasis even though its Norm loses a letter.
func lowerRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// folder appends folded runes, collapsing runs of three or more identical letters in the output to two.
// The collapse works on the output so that Fold is idempotent and a query typed without diacritics
// (ideeen) folds like the word written with them (ideeën): both become ideen.
type folder struct {
	dst  []byte
	prev rune
	run  int
}

func (f *folder) put(o rune) {
	if isLetter(o) {
		if o == f.prev {
			f.run++
			if f.run > 2 {
				return
			}
		} else {
			f.prev, f.run = o, 1
		}
	} else {
		f.prev, f.run = -1, 0
	}
	if o < utf8.RuneSelf {
		f.dst = append(f.dst, byte(o))
		return
	}
	f.dst = utf8.AppendRune(f.dst, o)
}

// appendFold appends the folded form of s to dst and reports whether s has a run of three or more
// identical letters (ignoring case), which analysis reads as emphasis.
func appendFold(dst []byte, s string) ([]byte, bool) {
	elongated := false
	var prevL rune = -1
	runL := 0
	f := folder{dst: dst, prev: -1}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			r := rune(c)
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if ascii[c]&cLetter != 0 {
				if r == prevL {
					runL++
					elongated = elongated || runL > 2
				} else {
					prevL, runL = r, 1
				}
			} else {
				prevL, runL = -1, 0
			}
			f.put(r)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			// An invalid byte becomes U+FFFD, as in any UTF-8 decoding; keeping it would let two
			// stray bytes around a dropped mark join into a new letter and make Fold not idempotent.
			f.put(utf8.RuneError)
			prevL, runL = -1, 0
			continue
		}
		if ignorable(r) || unicode.Is(unicode.Mn, r) {
			continue
		}
		if unicode.IsLetter(r) {
			if l := lowerRune(r); l == prevL {
				runL++
				elongated = elongated || runL > 2
			} else {
				prevL, runL = l, 1
			}
		} else {
			prevL, runL = -1, 0
		}
		o, piece := foldPiece(r)
		if piece == "" {
			f.put(o)
			continue
		}
		for _, o := range piece {
			f.put(o)
		}
	}
	return f.dst, elongated
}

// Fold returns s case-folded and diacritic-folded, with letter runs of three or more collapsed to two,
// exactly as Word tokens are normalised. It returns s itself, without allocating, when nothing changes.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	b, _ := appendFold(make([]byte, 0, len(s)+8), s)
	return string(b)
}

// isFolded reports, without allocating, whether Fold(s) == s. It is exact for ASCII and falls back to
// folding for anything else.
func isFolded(s string) bool {
	var prev byte
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			var buf [64]byte
			if len(s) > len(buf) {
				return false
			}
			b, _ := appendFold(buf[:0], s)
			return string(b) == s
		}
		if 'A' <= c && c <= 'Z' {
			return false
		}
		if 'a' <= c && c <= 'z' {
			if c == prev {
				run++
				if run > 2 {
					return false
				}
			} else {
				prev, run = c, 1
			}
		} else {
			prev, run = 0, 0
		}
	}
	return true
}

func upperRune(r rune) rune { return unicode.ToUpper(r) }
