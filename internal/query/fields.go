package query

import (
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

type fieldType uint8

const (
	ftText fieldType = iota
	ftEnum
	ftBool
	ftRange
	ftHost
	ftURL
)

type fieldSpec struct {
	name    FieldName
	typ     fieldType
	example string
	values  []string // the accepted values of an enum
}

// sentiments and categories are the labels the analysis produces, as DESIGN.md fixes them.
var (
	sentiments = []string{"negative", "neutral", "positive"}
	categories = []string{"data_breach", "product_safety", "service_outage", "employee_conduct",
		"discrimination", "fraud_scam", "legal_regulatory", "boycott"}
)

var fieldSpecs = []fieldSpec{
	{name: FieldLang, typ: ftText, example: "nl"},
	{name: FieldPlatform, typ: ftEnum, example: "bluesky", values: post.Platforms},
	{name: FieldAuthor, typ: ftText, example: "anna.bsky.social"},
	{name: FieldSite, typ: ftHost, example: "example.nl"},
	{name: FieldURL, typ: ftURL, example: "example.nl/nieuws"},
	{name: FieldLinks, typ: ftURL, example: "example.nl"},
	{name: FieldAuthorFollowers, typ: ftRange, example: "[1000 TO *]"},
	{name: FieldAuthorFollowing, typ: ftRange, example: "[* TO 50]"},
	{name: FieldLikes, typ: ftRange, example: "[100 TO *]"},
	{name: FieldReposts, typ: ftRange, example: "[100 TO *]"},
	{name: FieldAuthorVerified, typ: ftBool, example: "true"},
	{name: FieldAuthorKind, typ: ftEnum, example: "press", values: post.AuthorKinds},
	{name: FieldSentiment, typ: ftEnum, example: "negative", values: sentiments},
	{name: FieldCategory, typ: ftEnum, example: "data_breach", values: categories},
	{name: FieldComplaint, typ: ftBool, example: "true"},
}

// lookupField finds a field by name, ignoring case so authorfollowers works as well as
// authorFollowers.
func lookupField(name string) (fieldSpec, bool) {
	for _, f := range fieldSpecs {
		if strings.EqualFold(string(f.name), name) {
			return f, true
		}
	}
	return fieldSpec{}, false
}

func isRangeField(n FieldName) bool {
	f, _ := lookupField(string(n))
	return f.typ == ftRange
}

// suggestField returns the known field nearest to name by edit distance, if it is near enough to be
// a likely typo.
func suggestField(name string) (string, bool) {
	best, bestD := "", 1<<30
	for _, f := range fieldSpecs {
		d := editDistance(strings.ToLower(name), strings.ToLower(string(f.name)))
		if d < bestD {
			best, bestD = string(f.name), d
		}
	}
	limit := 2
	if len(name) < 4 {
		limit = 1
	}
	return best, bestD <= limit
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func fieldNames() string {
	names := make([]string, len(fieldSpecs))
	for i, f := range fieldSpecs {
		names[i] = string(f.name)
	}
	return strings.Join(names, ", ")
}

// buildField checks a field lexeme and normalises its value.
func buildField(src string, l lexeme) *Field {
	spec, ok := lookupField(l.text)
	if !ok {
		if s, ok := suggestField(l.text); ok {
			panic(newError(src, l.off, MsgUnknownField, quote(l.text), s))
		}
		panic(newError(src, l.off, MsgUnknownFieldHint, quote(l.text), fieldNames()))
	}
	f := &Field{Off: l.off, Name: spec.name}
	bad := func(key MsgKey, extra ...string) {
		panic(newError(src, l.valueOff, key, append([]string{quote(l.value), string(spec.name)}, extra...)...))
	}
	if l.isRange != (spec.typ == ftRange) {
		if spec.typ == ftRange {
			panic(newError(src, l.valueOff, MsgBadRange, string(spec.name)))
		}
		bad(MsgBadValue, spec.example)
	}
	v := strings.TrimSpace(l.value)
	if v == "" {
		panic(newError(src, l.valueOff, MsgFieldNeedsValue, string(spec.name), string(spec.name)+":"+spec.example))
	}
	switch spec.typ {
	case ftRange:
		lo, hi, ok := parseRange(v)
		if !ok {
			panic(newError(src, l.valueOff, MsgBadRange, string(spec.name)))
		}
		f.Min, f.Max = lo, hi
	case ftBool:
		switch strings.ToLower(v) {
		case "true":
			f.Value = "true"
		case "false":
			f.Value = "false"
		default:
			bad(MsgBadBool)
		}
	case ftEnum:
		v = strings.ToLower(v)
		found := false
		for _, a := range spec.values {
			if v == a {
				found = true
			}
		}
		if !found {
			bad(MsgBadEnum, strings.Join(spec.values, ", "))
		}
		f.Value = v
	case ftText:
		f.Value = strings.ToLower(strings.TrimPrefix(v, "@"))
		if f.Value == "" {
			panic(newError(src, l.valueOff, MsgFieldNeedsValue, string(spec.name), string(spec.name)+":"+spec.example))
		}
		if strings.ContainsAny(f.Value, " \t") {
			bad(MsgBadValue, spec.example)
		}
	case ftHost:
		f.Value = normHost(v)
		if f.Value == "" || strings.ContainsAny(f.Value, "/ ") {
			bad(MsgBadValue, spec.example)
		}
	case ftURL:
		f.Value = normURL(v)
		if f.Value == "" || strings.Contains(f.Value, " ") {
			bad(MsgBadValue, spec.example)
		}
	}
	return f
}

// parseRange reads "MIN TO MAX" where either end may be *.
func parseRange(v string) (int64, int64, bool) {
	parts := strings.Fields(v)
	if len(parts) != 3 || parts[1] != "TO" {
		return 0, 0, false
	}
	end := func(s string, open int64) (int64, bool) {
		if s == "*" {
			return open, true
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	lo, ok1 := end(parts[0], minInt)
	hi, ok2 := end(parts[2], maxInt)
	if !ok1 || !ok2 || lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// normURL lower-cases an address and strips what does not identify a page for monitoring purposes:
// the scheme, a leading www. and a trailing slash.
func normURL(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	s = strings.TrimPrefix(s, "www.")
	return strings.TrimSuffix(s, "/")
}

// normHost is the host part of normURL, without a port.
func normHost(s string) string {
	s = normURL(s)
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return s
}

// hostMatches reports whether host is domain or a subdomain of it: site:example.nl covers
// nieuws.example.nl but not badexample.nl.
func hostMatches(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, domain) && host[len(host)-len(domain)-1] == '.'
}

// urlMatches applies a url: or links: value to a normalised address. A bare domain matches the
// domain and its subdomains; a value with a path matches addresses that start with it.
func urlMatches(u, value string) bool {
	if !strings.ContainsAny(value, "/?#") {
		return hostMatches(normHost(u), value)
	}
	return strings.HasPrefix(u, value)
}
