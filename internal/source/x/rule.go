package x

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/query"
)

// DefaultMaxRuleLength is the longest filtered-stream rule X accepts on its self-serve plans; Pro and
// Enterprise allow 1,024 characters, which Translate takes as an argument.
const DefaultMaxRuleLength = 512

// TranslateError says which part of a monitor query X's rule syntax cannot express.
type TranslateError struct {
	Construct Construct
	Offset    int    // byte offset of the part in the query
	Part      string // the part as the query language renders it
	Detail    string // a field name or a length, depending on Construct
}

// Error renders the message in English.
func (e *TranslateError) Error() string { return "x: " + e.Message("en") }

// Message renders the message in lang ("nl" or "en").
func (e *TranslateError) Message(lang string) string {
	return render(lang, e.Construct, e.Part, e.Detail)
}

// Translate turns a parsed monitor query into an X filtered-stream rule: words, exact phrases, AND, OR,
// grouping, negation, #hashtags, @mentions, lang:, is:verified, from: and url:. A query X cannot express
// yields a *TranslateError naming the first construct that does not fit, as does a rule longer than
// maxLen characters (maxLen <= 0 means DefaultMaxRuleLength).
//
// X evaluates AND before OR and forbids negating a parenthesised group, so OR groups are always
// parenthesised and a negated group is pushed down to its atoms with De Morgan's laws.
func Translate(q *query.Query, maxLen int) (string, error) {
	if maxLen <= 0 {
		maxLen = DefaultMaxRuleLength
	}
	r, err := translate(q.Root, false)
	if err != nil {
		return "", err
	}
	switch {
	case r.truth == always:
		return "", &TranslateError{Construct: ConstructAlways, Part: q.Root.String()}
	case r.truth == never:
		return "", &TranslateError{Construct: ConstructNever, Part: q.Root.String()}
	case !r.anchored:
		return "", &TranslateError{Construct: ConstructUnanchored, Part: q.Root.String()}
	}
	// The outermost group needs no parentheses.
	s := r.s
	if r.group {
		s = s[1 : len(s)-1]
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "", &TranslateError{Construct: ConstructTooLong, Part: strconv.Itoa(maxLen), Detail: strconv.Itoa(n)}
	}
	return s, nil
}

type truth uint8

const (
	expr   truth = iota // s holds a rule clause
	always              // the clause is true of every post on X (platform:x)
	never               // the clause is false of every post on X (platform:bluesky)
)

type clause struct {
	s     string
	truth truth
	group bool // s is a parenthesised OR group
	and   bool // s is clauses joined by spaces
	// anchored: every way the clause can match involves a positive standalone operator (a word, phrase,
	// hashtag, mention, from: or url:). X refuses rules that only narrow, with lang:, is: or negations.
	anchored bool
}

// translate renders n, negated when neg is set.
func translate(n query.Node, neg bool) (clause, error) {
	switch n := n.(type) {
	case *query.Not:
		return translate(n.X, !neg)
	case *query.And:
		// NOT (a AND b) is (NOT a) OR (NOT b).
		return combine(n.Children, neg, !neg)
	case *query.Or:
		return combine(n.Children, neg, neg)
	case *query.Near:
		return clause{}, &TranslateError{Construct: ConstructNear, Offset: n.Off, Part: n.String()}
	case *query.Term:
		s, err := term(n)
		if err != nil {
			return clause{}, err
		}
		return negate(s, neg), nil
	case *query.Phrase:
		if n.Slop >= 0 {
			return clause{}, &TranslateError{Construct: ConstructProximity, Offset: n.Off, Part: n.String()}
		}
		words := make([]string, len(n.Words))
		for i, w := range n.Words {
			if w.Wildcard {
				return clause{}, &TranslateError{Construct: ConstructWildcard, Offset: w.Off, Part: w.Raw}
			}
			// Inside quotes X takes every character literally, # and @ included; only a quote would end it.
			words[i] = strings.ReplaceAll(w.Raw, `"`, ``)
			if words[i] == "" {
				words[i] = w.Text
			}
		}
		return negate(`"`+strings.Join(words, " ")+`"`, neg), nil
	case *query.Field:
		return field(n, neg)
	}
	return clause{}, &TranslateError{Construct: ConstructField, Part: n.String(), Detail: "?"}
}

// combine renders children joined by AND (and true) or OR (and false), each negated when neg is set.
func combine(children []query.Node, neg, and bool) (clause, error) {
	var parts []clause
	for _, c := range children {
		r, err := translate(c, neg)
		if err != nil {
			return clause{}, err
		}
		switch {
		case r.truth == always && and, r.truth == never && !and:
			continue // the neutral element: "x AND true" is x
		case r.truth == never && and:
			return clause{truth: never}, nil
		case r.truth == always && !and:
			return clause{truth: always}, nil
		}
		parts = append(parts, r)
	}
	switch {
	case len(parts) == 0 && and:
		return clause{truth: always}, nil
	case len(parts) == 0:
		return clause{truth: never}, nil
	case len(parts) == 1:
		return parts[0], nil
	}
	ss := make([]string, len(parts))
	for i, p := range parts {
		switch {
		case !and && p.group:
			ss[i] = p.s[1 : len(p.s)-1] // (a OR b) OR c needs no inner parentheses
		case !and && p.and:
			ss[i] = "(" + p.s + ")" // X reads a b OR c as (a b) OR c; the parentheses say so
		default:
			ss[i] = p.s
		}
	}
	anchored := !and
	for _, p := range parts {
		if and {
			anchored = anchored || p.anchored // one anchored conjunct anchors the conjunction
		} else {
			anchored = anchored && p.anchored // every alternative must be anchored
		}
	}
	if and {
		return clause{s: strings.Join(ss, " "), and: true, anchored: anchored}, nil
	}
	return clause{s: "(" + strings.Join(ss, " OR ") + ")", group: true, anchored: anchored}, nil
}

// negate renders a standalone operator, negated when neg is set; only a positive one anchors a rule.
func negate(s string, neg bool) clause {
	if neg {
		return clause{s: "-" + s}
	}
	return clause{s: s, anchored: true}
}

// narrow renders an operator that X accepts only next to a standalone one (lang:, is:verified).
func narrow(s string, neg bool) clause {
	if neg {
		return clause{s: "-" + s}
	}
	return clause{s: s}
}

// term renders a word, hashtag or mention as written by the user, since X matches case-insensitively
// but keeps accents; the folded form would lose "café".
func term(t *query.Term) (string, error) {
	if t.Wildcard {
		return "", &TranslateError{Construct: ConstructWildcard, Offset: t.Off, Part: t.Raw}
	}
	raw := strings.TrimLeft(t.Raw, "#@")
	if raw == "" {
		raw = t.Text
	}
	switch t.Kind {
	case query.AtomHashtag:
		return "#" + raw, nil
	case query.AtomMention:
		if !validUsername(raw) {
			return "", &TranslateError{Construct: ConstructUsername, Offset: t.Off, Part: t.Raw}
		}
		return "@" + raw, nil
	}
	if strings.ContainsAny(raw, ` ():"-`) || strings.EqualFold(raw, "or") {
		// Punctuation that X's rule grammar would read as syntax, and the word "or", go in quotes.
		return `"` + strings.ReplaceAll(raw, `"`, ``) + `"`, nil
	}
	return raw, nil
}

func field(f *query.Field, neg bool) (clause, error) {
	switch f.Name {
	case query.FieldLang:
		return narrow("lang:"+f.Value, neg), nil
	case query.FieldAuthorVerified:
		return narrow("is:verified", neg != (f.Value != "true")), nil
	case query.FieldAuthor:
		name := strings.TrimPrefix(f.Value, "@")
		if !validUsername(name) {
			return clause{}, &TranslateError{Construct: ConstructUsername, Offset: f.Off, Part: f.Value}
		}
		return negate("from:"+name, neg), nil
	case query.FieldSite, query.FieldURL, query.FieldLinks:
		// X's url: matches the expanded links of a post, which is what all three ask about.
		return negate(`url:"`+strings.ReplaceAll(f.Value, `"`, ``)+`"`, neg), nil
	case query.FieldPlatform:
		if (f.Value == "x") != neg {
			return clause{truth: always}, nil
		}
		return clause{truth: never}, nil
	case query.FieldAuthorFollowers, query.FieldAuthorFollowing, query.FieldLikes, query.FieldReposts:
		return clause{}, &TranslateError{Construct: ConstructRange, Offset: f.Off, Part: f.String(), Detail: string(f.Name)}
	case query.FieldSentiment, query.FieldCategory, query.FieldComplaint, query.FieldAuthorKind:
		return clause{}, &TranslateError{Construct: ConstructAnalysisField, Offset: f.Off, Part: f.String(), Detail: string(f.Name)}
	}
	return clause{}, &TranslateError{Construct: ConstructField, Offset: f.Off, Part: f.String(), Detail: string(f.Name)}
}

// validUsername follows X's rule for usernames: 1 to 15 letters, digits or underscores.
func validUsername(s string) bool {
	if s == "" || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
