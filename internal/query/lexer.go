package query

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of one lexeme of the query language. This lexer reads queries only; post text
// is tokenized by internal/text.
type tokKind int

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tNear
	tWord   // a bare term, possibly with # or @ in front or wildcards inside
	tPhrase // "…", possibly with ~n after it
	tField  // name:value or name:[a TO b] or name:"…"
)

// Limits that keep one query from costing much to parse or evaluate.
const (
	MaxQueryBytes = 16 << 10
	MaxDepth      = 64
	MaxNear       = 100
)

type lexeme struct {
	kind tokKind
	off  int    // byte offset of the first character
	text string // word or phrase content (without quotes), field name, or the operator as written
	// fields
	value    string
	valueOff int
	isRange  bool
	// NEAR and ~n
	n       int
	ordered bool
}

type lexer struct {
	src string
	pos int
}

// startsOperand reports whether a lexeme can start an operand; adjacent operands mean AND.
func (l lexeme) startsOperand() bool {
	switch l.kind {
	case tWord, tPhrase, tField, tLParen, tNot:
		return true
	}
	return false
}

// describe names a lexeme for "expected … but found …" messages.
func (l lexeme) describe() string {
	switch l.kind {
	case tEOF:
		return "" // never shown: the end has a message of its own, as this text would need translating
	case tRParen:
		return ")"
	case tNear:
		return l.text
	case tAnd, tOr, tNot:
		return l.text
	}
	return quote(l.text)
}

func (lx *lexer) fail(off int, key MsgKey, args ...string) {
	panic(newError(lx.src, off, key, args...))
}

// skipSpace skips white space and <<< comments >>>.
func (lx *lexer) skipSpace() {
	for lx.pos < len(lx.src) {
		r, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if unicode.IsSpace(r) {
			lx.pos += size
			continue
		}
		if strings.HasPrefix(lx.src[lx.pos:], "<<<") {
			end := strings.Index(lx.src[lx.pos+3:], ">>>")
			if end < 0 {
				lx.fail(lx.pos, MsgUnterminatedComment)
			}
			lx.pos += 3 + end + 3
			continue
		}
		return
	}
}

// wordEnd reports whether the byte at i ends a bare word.
func (lx *lexer) wordEnd(i int) bool {
	c := lx.src[i]
	switch c {
	case '(', ')', '"', ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	case '<':
		return strings.HasPrefix(lx.src[i:], "<<<")
	}
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(lx.src[i:])
		return unicode.IsSpace(r)
	}
	return false
}

func (lx *lexer) next() lexeme {
	lx.skipSpace()
	start := lx.pos
	if lx.pos >= len(lx.src) {
		return lexeme{kind: tEOF, off: start}
	}
	switch lx.src[lx.pos] {
	case '(':
		lx.pos++
		return lexeme{kind: tLParen, off: start, text: "("}
	case ')':
		lx.pos++
		return lexeme{kind: tRParen, off: start, text: ")"}
	case '"':
		return lx.phrase()
	}
	for lx.pos < len(lx.src) && !lx.wordEnd(lx.pos) {
		_, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
		lx.pos += size
	}
	w := lx.src[start:lx.pos]
	switch w {
	case "AND":
		return lexeme{kind: tAnd, off: start, text: w}
	case "OR":
		return lexeme{kind: tOr, off: start, text: w}
	case "NOT":
		return lexeme{kind: tNot, off: start, text: w}
	}
	if w == "NEAR" || strings.HasPrefix(w, "NEAR/") {
		return lx.near(w, start)
	}
	if f, ok := lx.field(w, start); ok {
		return f
	}
	return lexeme{kind: tWord, off: start, text: w}
}

// near parses NEAR/n and NEAR/nf.
func (lx *lexer) near(w string, start int) lexeme {
	arg, ok := strings.CutPrefix(w, "NEAR/")
	if !ok {
		lx.fail(start, MsgBadNear)
	}
	ordered := false
	if a, ok := strings.CutSuffix(arg, "f"); ok {
		arg, ordered = a, true
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < 0 || strings.HasPrefix(arg, "+") {
		lx.fail(start, MsgBadNear)
	}
	if n > MaxNear {
		lx.fail(start, MsgNearTooFar, strconv.Itoa(n), strconv.Itoa(MaxNear))
	}
	return lexeme{kind: tNear, off: start, text: w, n: n, ordered: ordered}
}

func (lx *lexer) phrase() lexeme {
	start := lx.pos
	end := strings.IndexByte(lx.src[start+1:], '"')
	if end < 0 {
		lx.fail(start, MsgUnterminatedPhrase)
	}
	content := lx.src[start+1 : start+1+end]
	lx.pos = start + 1 + end + 1
	l := lexeme{kind: tPhrase, off: start, text: content, n: -1}
	if lx.pos < len(lx.src) && lx.src[lx.pos] == '~' {
		tilde := lx.pos
		lx.pos++
		d := lx.pos
		for lx.pos < len(lx.src) && lx.src[lx.pos] >= '0' && lx.src[lx.pos] <= '9' {
			lx.pos++
		}
		n, err := strconv.Atoi(lx.src[d:lx.pos])
		if err != nil || n > MaxNear || (lx.pos < len(lx.src) && !lx.wordEnd(lx.pos)) {
			lx.fail(tilde, MsgBadSlop, strconv.Itoa(MaxNear))
		}
		l.n = n
	}
	return l
}

// field recognises name:value. A word is a field when the part before the first colon is letters only
// and a value follows; "http://…" and a trailing colon ("let op:") stay ordinary words, unless the name
// is a known field, in which case a missing value is an error rather than a silent surprise.
func (lx *lexer) field(w string, start int) (lexeme, bool) {
	colon := strings.IndexByte(w, ':')
	if colon <= 0 {
		return lexeme{}, false
	}
	name := w[:colon]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return lexeme{}, false
		}
	}
	value := w[colon+1:]
	if strings.HasPrefix(value, "//") {
		return lexeme{}, false
	}
	l := lexeme{kind: tField, off: start, text: name, valueOff: start + colon + 1}
	if value == "" {
		if lx.pos < len(lx.src) {
			switch lx.src[lx.pos] {
			case '[':
				end := strings.IndexByte(lx.src[lx.pos:], ']')
				if end < 0 {
					lx.fail(lx.pos, MsgUnterminatedRange)
				}
				l.value = lx.src[lx.pos+1 : lx.pos+end]
				l.isRange = true
				lx.pos += end + 1
				return l, true
			case '"':
				end := strings.IndexByte(lx.src[lx.pos+1:], '"')
				if end < 0 {
					lx.fail(lx.pos, MsgUnterminatedPhrase)
				}
				l.value = lx.src[lx.pos+1 : lx.pos+1+end]
				lx.pos += end + 2
				return l, true
			}
		}
		if f, known := lookupField(name); known {
			lx.fail(start+colon, MsgFieldNeedsValue, string(f.name), string(f.name)+":"+f.example)
		}
		return lexeme{}, false
	}
	if strings.HasPrefix(value, "[") {
		// "name:[a" followed by " TO b]": the word stopped at the space; read on to the bracket.
		end := strings.IndexByte(lx.src[l.valueOff:], ']')
		if end < 0 {
			lx.fail(l.valueOff, MsgUnterminatedRange)
		}
		l.value = lx.src[l.valueOff+1 : l.valueOff+end]
		l.isRange = true
		lx.pos = l.valueOff + end + 1
		return l, true
	}
	l.value = value
	return l, true
}
