package text

import "unicode/utf8"

// Tokenizer splits text into Tokens. The zero value is ready to use. A Tokenizer keeps scratch buffers
// between calls so that the hot path does not allocate; it is not safe for concurrent use, so give each
// worker its own. Tokens it returns stay valid after later calls: their strings are never overwritten.
type Tokenizer struct {
	buf  []byte    // normalised forms that are not substrings of the input
	pend []pending // tokens whose Norm lies in buf, filled in once buf becomes a string
}

type pending struct{ idx, off, end int }

// maxKeptBuf bounds the scratch buffer kept between calls, so one huge input does not pin memory.
const maxKeptBuf = 64 << 10

// Tokenize appends the tokens of s to dst and returns the extended slice. Passing dst[:0] from the previous
// call reuses its storage.
func (t *Tokenizer) Tokenize(dst []Token, s string) []Token {
	t.buf = t.buf[:0]
	t.pend = t.pend[:0]
	sc := scanner{t: t, s: s, dst: dst}
	sc.run()
	dst = sc.dst
	if len(t.pend) > 0 {
		norms := string(t.buf)
		for _, p := range t.pend {
			dst[p.idx].Norm = norms[p.off:p.end]
		}
	}
	if cap(t.buf) > maxKeptBuf {
		t.buf = nil
	}
	if cap(t.pend) > maxKeptBuf {
		t.pend = nil
	}
	return dst
}

// Tokenize returns the tokens of s. It allocates a Tokenizer and a slice per call; hot paths keep a
// Tokenizer instead.
func Tokenize(s string) []Token {
	var t Tokenizer
	return t.Tokenize(nil, s)
}

type scanner struct {
	t   *Tokenizer
	s   string
	dst []Token
	// noDomainBefore: a bare-domain scan that failed reached this offset; any start before it would
	// reach the same end and the same top-level label and fail too, so it is not tried again. This keeps
	// a text like a.a.a.a… linear.
	noDomainBefore int
}

func (sc *scanner) emit(kind Kind, start, end int, flags Flags, norm string) {
	sc.dst = append(sc.dst, Token{Text: sc.s[start:end], Norm: norm, Start: start, End: end, Kind: kind, Flags: flags})
}

// emitBuf emits a token whose Norm is buf[off:] and records it for the final fix-up. When buf[off:] equals
// the token's own text the buffer is rolled back and the text itself becomes Norm.
func (sc *scanner) emitBuf(kind Kind, start, end int, flags Flags, off int, same string) {
	t := sc.t
	if string(t.buf[off:]) == same {
		t.buf = t.buf[:off]
		sc.emit(kind, start, end, flags, same)
		return
	}
	if off == len(t.buf) {
		// Everything folded away (a word of combining marks only); Norm must not be empty.
		t.buf = append(t.buf, sc.s[start:end]...)
	}
	sc.emit(kind, start, end, flags, "")
	t.pend = append(t.pend, pending{idx: len(sc.dst) - 1, off: off, end: len(t.buf)})
}

// emitFolded emits a token whose Norm is Fold(src).
func (sc *scanner) emitFolded(kind Kind, start, end int, flags Flags, src string) {
	off := len(sc.t.buf)
	var el bool
	sc.t.buf, el = appendFold(sc.t.buf, src)
	if el {
		flags |= Elongated
	}
	sc.emitBuf(kind, start, end, flags, off, src)
}

func (sc *scanner) run() {
	s := sc.s
	for i := 0; i < len(s); {
		r, size := decode(s, i)
		if isSpace(r) || ignorable(r) {
			i += size
			continue
		}
		i = sc.token(i, r, size)
	}
}

// token scans one token (or a hashtag and its parts) starting at s[i] and returns where the next starts.
// Every branch consumes at least one byte.
func (sc *scanner) token(i int, r rune, size int) int {
	s := sc.s
	switch {
	case r == 'h' || r == 'H' || r == 'w' || r == 'W':
		if j := sc.schemeURL(i); j > i {
			return j
		}
	case r == '#':
		if j := scanKeycap(s, i); j > i {
			sc.emitEmoji(i, j)
			return j
		}
		if j := sc.hashtag(i); j > i {
			return j
		}
		return sc.punct(i, r, size)
	case r == '*':
		if j := scanKeycap(s, i); j > i {
			sc.emitEmoji(i, j)
			return j
		}
	case r == '@':
		if j := sc.mention(i); j > i {
			return j
		}
		return sc.punct(i, r, size)
	case isPictographic(r):
		j := scanEmoji(s, i, r, size)
		sc.emitEmoji(i, j)
		return j
	}
	if r < utf8.RuneSelf {
		if '0' <= r && r <= '9' {
			if j := scanKeycap(s, i); j > i {
				sc.emitEmoji(i, j)
				return j
			}
		}
		if j := sc.emoticon(i); j > i {
			return j
		}
	}
	if isApostrophe(r) && !prevWord(s, i) {
		if j := sc.leadingClitic(i, size); j > i {
			return j
		}
	}
	if isWordRune(r) {
		if r < utf8.RuneSelf && i >= sc.noDomainBefore && !sc.afterDomainChar(i) {
			if j := sc.bareDomain(i); j > i {
				return j
			}
		}
		return sc.word(i)
	}
	return sc.punct(i, r, size)
}

func (sc *scanner) emitEmoji(i, j int) {
	e := sc.s[i:j]
	if !emojiNormNeeded(e) {
		sc.emit(Emoji, i, j, 0, e)
		return
	}
	off := len(sc.t.buf)
	sc.t.buf = appendEmojiNorm(sc.t.buf, e)
	sc.emitBuf(Emoji, i, j, 0, off, e)
}

// punct emits a run of one punctuation or symbol rune, or a mixed run of ! and ?.
func (sc *scanner) punct(i int, r rune, size int) int {
	s := sc.s
	j := i + size
	bang := r == '!' || r == '?'
	for j < len(s) {
		r2, sz := decode(s, j)
		if bang {
			if r2 != '!' && r2 != '?' {
				break
			}
		} else if r2 != r || (r == utf8.RuneError && sz != size) {
			break
		}
		j += sz
	}
	var flags Flags
	if bang && j-i > 1 {
		flags = Elongated
	}
	sc.emit(Punct, i, j, flags, s[i:j])
	return j
}

// wordEnd returns the end of the run of word runes starting at s[i], letting ignorable runes through
// when a word rune follows them (a soft hyphen inside a word). It also reports whether the run has a
// letter.
func wordEnd(s string, i int) (int, bool) {
	letter := false
	j := i
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			cl := ascii[c]
			if cl&(cLetter|cDigit) == 0 {
				break
			}
			if cl&cLetter != 0 {
				letter = true
			}
			j++
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[j:])
		// A soft hyphen or joiner inside a word is invisible spelling; a zero-width space is a break.
		if ignorable(r) && r != 0x200B && r != 0xFEFF && nextWord(s, j+sz) && j > i {
			j += sz
			continue
		}
		if !isWordRune(r) {
			break
		}
		if isLetter(r) {
			letter = true
		}
		j += sz
	}
	return j, letter
}

// dutchWhole are Dutch words written with an inner apostrophe that must stay whole: they are not a stem
// plus an English-style clitic.
var dutchWhole = map[string]bool{
	"m'n": true, "z'n": true, "d'r": true, "zo'n": true, "da's": true, "m'ns": true,
	"d'rin": true, "d'ruit": true, "d'rop": true, "d'raan": true, "d'rvan": true, "d'rmee": true,
	"d'rnaar": true, "d'rom": true, "d'rbij": true, "d'rover": true,
}

// englishClitic maps the folded part after the apostrophe to the clitic's Norm.
var englishClitic = map[string]string{"s": "'s", "re": "'re", "ve": "'ve", "ll": "'ll", "m": "'m", "d": "'d"}

// negStem gives the Norm of stems that n't leaves unrecognisable.
var negStem = map[string]string{"ca": "can", "wo": "will", "sha": "shall"}

// word scans a word or number starting at s[i], splitting English clitics off and keeping words with inner
// apostrophes (O'Brien, l'homme, zo'n) together.
func (sc *scanner) word(i int) int {
	s := sc.s
	j, letter := wordEnd(s, i)
	if !letter {
		return sc.number(i, j)
	}
	for j < len(s) {
		r, sz := decode(s, j)
		if !isApostrophe(r) {
			break
		}
		k := j + sz
		if k >= len(s) {
			break
		}
		if r2, _ := decode(s, k); !isLetter(r2) {
			break
		}
		m, _ := wordEnd(s, k)
		w1, w2 := s[i:j], s[k:m]
		if len(w1)+len(w2) < 8 && isDutchWhole(w1, w2) {
			j = m
			continue
		}
		if lastIsN(w1) && len(w2) == 1 && (w2[0] == 't' || w2[0] == 'T') {
			stem := w1[:len(w1)-1]
			if stem != "" {
				var b [8]byte
				lw, _ := lowerASCII(&b, stem)
				if norm, ok := negStem[string(lw)]; ok {
					sc.emit(Word, i, j-1, caseFlags(stem), norm)
				} else {
					sc.emitWord(i, j-1, 0)
				}
			}
			sc.emit(Word, j-1, m, Clitic|Negation|caseFlags(s[j-1:m]), "not")
			return m
		}
		var b [8]byte
		if lw, ok := lowerASCII(&b, w2); ok && len(w2) <= 2 {
			if norm, ok := englishClitic[string(lw)]; ok {
				sc.emitWord(i, j, 0)
				sc.emit(Word, j, m, Clitic|caseFlags(s[j:m]), norm)
				return m
			}
		}
		j = m
	}
	sc.emitWord(i, j, 0)
	return j
}

func lastIsN(w string) bool { return w != "" && (w[len(w)-1] == 'n' || w[len(w)-1] == 'N') }

// lowerASCII lowercases w into b without allocating; ok is false when w is not short ASCII.
func lowerASCII(b *[8]byte, w string) ([]byte, bool) {
	if len(w) > len(b) {
		return nil, false
	}
	for k := 0; k < len(w); k++ {
		c := w[k]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[k] = c
	}
	return b[:len(w)], true
}

// isDutchWhole checks w1'w2 against dutchWhole, folding case without allocating.
func isDutchWhole(w1, w2 string) bool {
	var b [8]byte
	n := 0
	for _, w := range [2]string{w1, w2} {
		if n > 0 {
			b[n] = '\''
			n++
		}
		for k := 0; k < len(w); k++ {
			c := w[k]
			if c >= utf8.RuneSelf || n == len(b) {
				return false
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[n] = c
			n++
		}
	}
	return dutchWhole[string(b[:n])]
}

// emitWord emits s[i:j] as a Word, with its case flags and folded Norm.
func (sc *scanner) emitWord(i, j int, flags Flags) {
	text := sc.s[i:j]
	flags |= caseFlags(text)
	sc.emitFolded(Word, i, j, flags, text)
}

// number emits s[i:j] (digits only) extended over separators that sit between digits: 1.000,50 12:30 24/7.
func (sc *scanner) number(i, j int) int {
	s := sc.s
	for j+1 < len(s) {
		c := s[j]
		if c != '.' && c != ',' && c != ':' && c != '/' {
			break
		}
		m, letter := wordEnd(s, j+1)
		if m == j+1 || letter {
			break
		}
		j = m
	}
	sc.emit(Number, i, j, 0, s[i:j])
	return j
}

// leadingClitics are the Dutch clitics written with a leading apostrophe: 't (het), 's (des), 'n (een),
// 'k (ik), 'm (hem), 'r (haar). Their Norm is the constant with an ASCII apostrophe.
var leadingClitics = [...]string{'t': "'t", 's': "'s", 'n': "'n", 'k': "'k", 'm': "'m", 'r': "'r"}

func (sc *scanner) leadingClitic(i, size int) int {
	s := sc.s
	k := i + size
	if k >= len(s) {
		return i
	}
	c := s[k]
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	if int(c) >= len(leadingClitics) || leadingClitics[c] == "" || nextWord(s, k+1) {
		return i
	}
	sc.emit(Word, i, k+1, Clitic, leadingClitics[c])
	return k + 1
}
