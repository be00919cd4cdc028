package query

import (
	"strconv"
	"strings"
	"unicode"
)

// Node is one node of a parsed query. The concrete types are *And, *Or, *Not, *Near, *Term, *Phrase
// and *Field.
type Node interface {
	// Offset is the byte offset in the query where the node starts; errors found after parsing
	// point there.
	Offset() int
	String() string
}

// And matches when every child matches.
type And struct {
	Off      int
	Children []Node
}

// Or matches when any child matches.
type Or struct {
	Off      int
	Children []Node
}

// Not matches when X does not.
type Not struct {
	Off int
	X   Node
}

// Near matches when a span of L and a span of R lie at most N words apart (N words or fewer between
// them), in either order, or with L first when Ordered. L and R are positional: terms, phrases,
// OR-groups of those, or another Near.
type Near struct {
	Off     int
	L, R    Node
	N       int
	Ordered bool
}

// AtomKind says which kind of post token a term matches.
type AtomKind uint8

const (
	// AtomWord matches a word, number, emoji or link with the same folded text, and a hashtag whose
	// name is that word.
	AtomWord AtomKind = iota
	// AtomHashtag matches only a hashtag (#storing).
	AtomHashtag
	// AtomMention matches only a mention (@ing).
	AtomMention
)

// Term is one word, hashtag or mention, folded the way internal/text folds post tokens. With Wildcard
// set, Text is a pattern in which * stands for any run of characters and ? for exactly one.
type Term struct {
	Off      int
	Raw      string // as written in the query
	Kind     AtomKind
	Text     string // folded, without the # or @
	Wildcard bool
}

// Phrase matches its words as consecutive tokens; punctuation between them does not count. With
// Slop >= 0 ("a b"~n) the words may come in any order within a window of len(Words)+Slop tokens.
type Phrase struct {
	Off   int
	Raw   string
	Words []*Term
	Slop  int // -1: exact phrase
}

// FieldName is a field a query can test.
type FieldName string

// The fields.
const (
	FieldLang            FieldName = "lang"
	FieldPlatform        FieldName = "platform"
	FieldAuthor          FieldName = "author"
	FieldSite            FieldName = "site"
	FieldURL             FieldName = "url"
	FieldLinks           FieldName = "links"
	FieldAuthorFollowers FieldName = "authorFollowers"
	FieldAuthorFollowing FieldName = "authorFollowing"
	FieldLikes           FieldName = "likes"
	FieldReposts         FieldName = "reposts"
	FieldAuthorVerified  FieldName = "authorVerified"
	FieldAuthorKind      FieldName = "authorKind"
	FieldSentiment       FieldName = "sentiment"
	FieldCategory        FieldName = "category"
	FieldComplaint       FieldName = "complaint"
)

// Field tests a property of the post or of its analysis rather than its words.
type Field struct {
	Off   int
	Name  FieldName
	Value string // normalised: lower case, "true"/"false" for flags, host or URL without scheme
	// Numeric ranges, inclusive. An open end (*) is the extreme int64.
	Min, Max int64
}

func (n *And) Offset() int    { return n.Off }
func (n *Or) Offset() int     { return n.Off }
func (n *Not) Offset() int    { return n.Off }
func (n *Near) Offset() int   { return n.Off }
func (n *Term) Offset() int   { return n.Off }
func (n *Phrase) Offset() int { return n.Off }
func (n *Field) Offset() int  { return n.Off }

// String renders a node in the query language, fully parenthesised, with folded terms. Parsing the
// result gives an equivalent query; tests and the fuzz target rely on that.
func (n *And) String() string { return join(n.Children, " AND ") }
func (n *Or) String() string  { return join(n.Children, " OR ") }
func (n *Not) String() string { return "NOT " + n.X.String() }
func (n *Near) String() string {
	op := "NEAR/" + strconv.Itoa(n.N)
	if n.Ordered {
		op += "f"
	}
	return "(" + n.L.String() + " " + op + " " + n.R.String() + ")"
}
func (n *Term) String() string {
	switch n.Kind {
	case AtomHashtag:
		return "#" + n.Text
	case AtomMention:
		return "@" + n.Text
	}
	if !n.Wildcard && strings.IndexFunc(n.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
		// Emoticons, links and clitics would lex differently bare: ":)" would close a parenthesis.
		return `"` + n.Text + `"`
	}
	return n.Text
}
func (n *Phrase) String() string {
	words := make([]string, len(n.Words))
	for i, w := range n.Words {
		words[i] = w.String()
		if w.Kind == AtomWord {
			words[i] = w.Text // already inside quotes
		}
	}
	s := `"` + strings.Join(words, " ") + `"`
	if n.Slop >= 0 {
		s += "~" + strconv.Itoa(n.Slop)
	}
	return s
}
func (n *Field) String() string {
	if isRangeField(n.Name) {
		return string(n.Name) + ":[" + rangeEnd(n.Min, minInt) + " TO " + rangeEnd(n.Max, maxInt) + "]"
	}
	return string(n.Name) + `:"` + n.Value + `"`
}

const (
	minInt = -1 << 63
	maxInt = 1<<63 - 1
)

func rangeEnd(v, open int64) string {
	if v == open {
		return "*"
	}
	return strconv.FormatInt(v, 10)
}

func join(children []Node, sep string) string {
	parts := make([]string, len(children))
	for i, c := range children {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}
