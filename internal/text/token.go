package text

// Kind is what a token is.
type Kind uint8

// Token kinds. The zero Kind is never produced, so an unset Token is recognisable.
const (
	Word Kind = iota + 1
	Number
	Hashtag
	Mention
	URL
	Emoji
	Emoticon
	Punct
)

var kindNames = [...]string{"", "word", "number", "hashtag", "mention", "url", "emoji", "emoticon", "punct"}

// String returns the lowercase name of the kind, as used in logs and test failures.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return "invalid"
}

// Flags mark properties that analysis needs but that are lost in Norm.
type Flags uint8

// Token flags.
const (
	// AllCaps: a word (or hashtag) with at least two letters, all of them uppercase. Shouting.
	AllCaps Flags = 1 << iota
	// Elongated: letters were repeated three or more times (sooo), or ! and ? were repeated (!!, ?!).
	Elongated
	// Negation: the English clitic n't.
	Negation
	// Clitic: a contraction or clitic split off a word ('s, n't, 're) or a leading Dutch clitic ('t).
	Clitic
	// Part: a piece of the nearest Hashtag token before it; its span lies inside the hashtag's span.
	Part
)

// Has reports whether all flags in g are set.
func (f Flags) Has(g Flags) bool { return f&g == g }

// Token is one item of the input. Text is always input[Start:End]. Norm is never empty.
type Token struct {
	Text  string
	Norm  string
	Start int
	End   int
	Kind  Kind
	Flags Flags
}
