package query

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Query is one parsed, checked monitor query.
type Query struct {
	Source string
	Root   Node
}

// Parse parses and checks a query. Every error it returns is an *Error with a position.
//
// Grammar, from loosest to tightest binding:
//
//	query   = or
//	or      = and { "OR" and }
//	and     = unary { ["AND"] unary }      adjacent operands mean AND
//	unary   = "NOT" unary | near
//	near    = primary { "NEAR/n" primary | "NEAR/nf" primary }
//	primary = "(" or ")" | term | phrase ["~" n] | field
func Parse(src string) (q *Query, err error) {
	if len(src) > MaxQueryBytes {
		return nil, newError(src, 0, MsgQueryTooLong, strconv.Itoa(MaxQueryBytes))
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			q, err = nil, e
		}
	}()
	p := &parser{lx: lexer{src: src}, src: src}
	p.advance()
	if p.tok.kind == tEOF {
		return nil, newError(src, p.tok.off, MsgEmptyQuery)
	}
	root := p.parseOr()
	if p.tok.kind != tEOF {
		// Only a stray ")" can stop parseOr before the end.
		p.fail(p.tok.off, MsgUnbalancedParen)
	}
	if !p.checkPositive(root) {
		p.fail(firstNot(root), MsgOnlyNegative)
	}
	return &Query{Source: src, Root: root}, nil
}

type parser struct {
	lx    lexer
	src   string
	tok   lexeme
	depth int
	tz    text.Tokenizer
	toks  []text.Token
}

func (p *parser) advance() { p.tok = p.lx.next() }

func (p *parser) fail(off int, key MsgKey, args ...string) {
	panic(newError(p.src, off, key, args...))
}

func (p *parser) enter(off int) {
	p.depth++
	if p.depth > MaxDepth {
		p.fail(off, MsgTooDeep, strconv.Itoa(MaxDepth))
	}
}

// requireOperand reports a missing operand after an operator such as AND, OR, NOT or NEAR.
func (p *parser) requireOperand(op lexeme) {
	switch p.tok.kind {
	case tWord, tPhrase, tField, tLParen, tNot:
		return
	case tEOF:
		p.fail(op.off, MsgExpectedTermAfter, op.text)
	}
	p.fail(p.tok.off, MsgExpectedTerm, p.tok.describe())
}

func (p *parser) parseOr() Node {
	first := p.parseAnd()
	if p.tok.kind != tOr {
		return first
	}
	n := &Or{Off: first.Offset(), Children: []Node{first}}
	for p.tok.kind == tOr {
		op := p.tok
		p.advance()
		p.requireOperand(op)
		n.Children = append(n.Children, p.parseAnd())
	}
	return n
}

func (p *parser) parseAnd() Node {
	first := p.parseUnary()
	var n *And
	for {
		if p.tok.kind == tAnd {
			op := p.tok
			p.advance()
			p.requireOperand(op)
		} else if !p.tok.startsOperand() {
			break
		}
		if n == nil {
			n = &And{Off: first.Offset(), Children: []Node{first}}
		}
		n.Children = append(n.Children, p.parseUnary())
	}
	if n == nil {
		return first
	}
	return n
}

func (p *parser) parseUnary() Node {
	if p.tok.kind == tNot {
		op := p.tok
		p.enter(op.off)
		p.advance()
		p.requireOperand(op)
		x := p.parseUnary()
		p.depth--
		return &Not{Off: op.off, X: x}
	}
	return p.parseNear()
}

func (p *parser) parseNear() Node {
	left := p.parsePrimary()
	for p.tok.kind == tNear {
		op := p.tok
		p.advance()
		if !positional(left) {
			p.fail(op.off, MsgNearOperand)
		}
		p.requireOperand(op)
		if p.tok.kind == tNot || p.tok.kind == tField {
			p.fail(p.tok.off, MsgNearOperand)
		}
		right := p.parsePrimary()
		if !positional(right) {
			p.fail(op.off, MsgNearOperand)
		}
		left = &Near{Off: left.Offset(), L: left, R: right, N: op.n, Ordered: op.ordered}
	}
	return left
}

// positional reports whether a node has word positions that NEAR can measure.
func positional(n Node) bool {
	switch n := n.(type) {
	case *Term, *Phrase, *Near:
		return true
	case *Or:
		for _, c := range n.Children {
			if !positional(c) {
				return false
			}
		}
		return true
	}
	return false
}

func (p *parser) parsePrimary() Node {
	t := p.tok
	switch t.kind {
	case tLParen:
		p.enter(t.off)
		p.advance()
		if p.tok.kind == tRParen {
			p.fail(t.off, MsgEmptyParens)
		}
		if p.tok.kind == tEOF {
			p.fail(t.off, MsgUnbalancedParen)
		}
		x := p.parseOr()
		if p.tok.kind != tRParen {
			// parseOr stops only at ")" or the end, so the "(" was never closed.
			p.fail(t.off, MsgUnbalancedParen)
		}
		p.advance()
		p.depth--
		return x
	case tWord:
		p.advance()
		return p.term(t)
	case tPhrase:
		p.advance()
		return p.phrase(t)
	case tField:
		p.advance()
		return buildField(p.src, t)
	case tRParen:
		p.fail(t.off, MsgUnbalancedParen)
	case tEOF:
		p.fail(t.off, MsgUnexpectedEnd)
	}
	p.fail(t.off, MsgExpectedTerm, t.describe())
	return nil
}

// term turns a bare word into a Term, or into a Phrase when the tokenizer splits it (e-mail,
// klantenservice,ING), so a query word always means what the same text means in a post.
func (p *parser) term(t lexeme) Node {
	w := t.text
	if i := strings.IndexAny(w, "*?"); i >= 0 {
		return p.wildcard(t, i)
	}
	return p.words(t, w, -1)
}

func (p *parser) phrase(t lexeme) Node {
	if strings.TrimSpace(t.text) == "" {
		p.fail(t.off, MsgEmptyPhrase)
	}
	if i := strings.IndexByte(t.text, '*'); i >= 0 {
		p.fail(t.off+1+i, MsgWildcardInPhrase)
	}
	return p.words(t, t.text, t.n)
}

// words tokenizes s with the post tokenizer and builds a Term for one token or a Phrase for several.
func (p *parser) words(t lexeme, s string, slop int) Node {
	p.toks = p.tz.Tokenize(p.toks[:0], s)
	var words []*Term
	for _, tk := range p.toks {
		kind, ok := atomKind(tk)
		if !ok {
			continue
		}
		words = append(words, &Term{Off: t.off, Raw: tk.Text, Kind: kind, Text: tk.Norm})
	}
	switch len(words) {
	case 0:
		p.fail(t.off, MsgNoLetters, quote(s))
	case 1:
		words[0].Raw = t.text
		return words[0]
	}
	return &Phrase{Off: t.off, Raw: t.text, Words: words, Slop: slop}
}

// atomKind says which positions a post token takes and how terms compare with it. Punctuation takes
// no position, so phrases match across it; hashtag parts share their hashtag's position.
func atomKind(tk text.Token) (AtomKind, bool) {
	if tk.Kind == text.Punct || tk.Flags.Has(text.Part) {
		return 0, false
	}
	switch tk.Kind {
	case text.Hashtag:
		return AtomHashtag, true
	case text.Mention:
		return AtomMention, true
	}
	return AtomWord, true
}

// wildcard builds a wildcard Term. The literal text before the first wildcard must be at least two
// letters or digits: a shorter prefix matches a large share of all words, and the index needs a
// prefix to find candidates by.
func (p *parser) wildcard(t lexeme, first int) Node {
	w := t.text
	kind, body, bodyOff := AtomWord, w, t.off
	switch {
	case strings.HasPrefix(w, "#"):
		kind, body, bodyOff = AtomHashtag, w[1:], t.off+1
	case strings.HasPrefix(w, "@"):
		kind, body, bodyOff = AtomMention, w[1:], t.off+1
	}
	first -= bodyOff - t.off
	letters := 0
	for _, r := range body[:max(first, 0)] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters++
		}
	}
	if letters < 2 {
		p.fail(bodyOff+max(first, 0), MsgWildcardPrefix, string(body[max(first, 0)]))
	}
	// Fold the literal pieces between wildcards the way post words are folded; the wildcards stay.
	// Mentions are only lower-cased by the tokenizer, so their patterns are too.
	fold := text.Fold
	if kind == AtomMention {
		fold = strings.ToLower
	}
	var b strings.Builder
	start := 0
	for i := 0; i < len(body); i++ {
		if body[i] == '*' || body[i] == '?' {
			b.WriteString(fold(body[start:i]))
			b.WriteByte(body[i])
			start = i + 1
		}
	}
	b.WriteString(fold(body[start:]))
	pat := b.String()
	// "ab**" is "ab*"; collapsing keeps the matcher's backtracking small.
	for strings.Contains(pat, "**") {
		pat = strings.ReplaceAll(pat, "**", "*")
	}
	if i := strings.IndexFunc(pat, func(r rune) bool { return strings.ContainsRune(`():"<>`, r) || unicode.IsSpace(r) }); i >= 0 {
		// Folding maps some characters to query syntax (a full-width colon or parenthesis); no post
		// word contains them, and the pattern could not be written back as a query.
		r, _ := utf8.DecodeRuneInString(pat[i:])
		p.fail(t.off, MsgWildcardChars, quote(string(r)))
	}
	if utf8.RuneCountInString(literalPrefix(pat)) < 2 {
		// Letters that fold to nothing or to one letter leave the index without a prefix.
		p.fail(bodyOff+max(first, 0), MsgWildcardPrefix, string(body[max(first, 0)]))
	}
	return &Term{Off: t.off, Raw: w, Kind: kind, Text: pat, Wildcard: true}
}

// checkPositive reports whether n needs something to be present to match, and rejects OR branches
// that match by absence alone: "a OR NOT b" matches nearly every post.
func (p *parser) checkPositive(n Node) bool {
	switch n := n.(type) {
	case *Not:
		p.checkPositive(n.X)
		return false
	case *And:
		pos := false
		for _, c := range n.Children {
			if p.checkPositive(c) {
				pos = true
			}
		}
		return pos
	case *Or:
		for _, c := range n.Children {
			if !p.checkPositive(c) {
				p.fail(c.Offset(), MsgNegativeOrBranch)
			}
		}
		return true
	}
	return true
}

// firstNot finds where to point an "only negative" error: the first NOT.
func firstNot(n Node) int {
	switch n := n.(type) {
	case *Not:
		return n.Off
	case *And:
		for _, c := range n.Children {
			if _, ok := c.(*Not); ok {
				return c.Offset()
			}
		}
	}
	return n.Offset()
}

// literalPrefix is the text of a wildcard pattern before its first wildcard.
func literalPrefix(pat string) string {
	if i := strings.IndexAny(pat, "*?"); i >= 0 {
		return pat[:i]
	}
	return pat
}

// matchWildcard reports whether s matches pat, where * matches any run of characters (also none)
// and ? exactly one character.
func matchWildcard(pat, s string) bool {
	// Iterative matching with one backtrack point for the last *: linear for patterns without
	// nested stars, and never exponential.
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(pat) {
			switch pat[pi] {
			case '*':
				starP, starS = pi, si
				pi++
				continue
			case '?':
				_, size := utf8.DecodeRuneInString(s[si:])
				pi++
				si += size
				continue
			default:
				if pat[pi] == s[si] {
					pi++
					si++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[starS:])
		starS += size
		pi, si = starP+1, starS
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}
