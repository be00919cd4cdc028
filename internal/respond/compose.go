package respond

import "strings"

// Variant is a statement as it goes out on one platform: the whole text, the posts it is published as
// (one unless the platform has threads and the text is too long), and each post's length.
type Variant struct {
	Platform Platform `json:"platform"`
	Text     string   `json:"text"`
	Parts    []string `json:"parts"`
	Lengths  []Length `json:"lengths"`
	Facts    []Fact   `json:"facts"`
}

// Over reports whether any post of the variant is longer than the platform allows.
func (v Variant) Over() bool {
	for _, l := range v.Lengths {
		if l.Over() {
			return true
		}
	}
	return false
}

// Compose makes the variant of core for each platform. edits holds texts that a responder adapted for one
// platform; a platform without an edit gets core itself. Run Consistency on the result to see whether the
// edits kept the key facts.
func Compose(core string, platforms []Platform, edits map[Platform]string) []Variant {
	var c Counter
	out := make([]Variant, 0, len(platforms))
	for _, p := range platforms {
		t := core
		if e, ok := edits[p]; ok {
			t = e
		}
		t = strings.TrimSpace(t)
		parts := c.Split(p, t)
		lengths := make([]Length, len(parts))
		for k, part := range parts {
			lengths[k] = c.Count(p, part)
		}
		out = append(out, Variant{Platform: p, Text: t, Parts: parts, Lengths: lengths, Facts: ExtractFacts(t)})
	}
	return out
}

// Inconsistency is a key fact that one variant states differently from the core message.
//   - Contradiction: the core has Want and the variant has Got instead, of the same kind.
//   - Missing: the core has Want and the variant leaves it out.
//   - Added: the variant has Got, which the core does not mention.
type Inconsistency struct {
	Platform   Platform `json:"platform"`
	Kind       FactKind `json:"kind"`
	Issue      string   `json:"issue"`
	Want       string   `json:"want,omitempty"`
	Got        string   `json:"got,omitempty"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion"`
}

// Issues an Inconsistency reports.
const (
	Contradiction = "contradiction"
	Missing       = "missing"
	Added         = "added"
)

// Consistency compares the key facts of each variant with those of core and reports, in lang, every fact
// that a variant contradicts, leaves out or adds. A contradiction is an error: two channels would say
// different things. A missing or added fact is a warning, since a short channel may leave out a detail on
// purpose.
func Consistency(core string, variants []Variant, lang Lang) []Inconsistency {
	ref := factSet(ExtractFacts(core))
	msgs := messagesFor(lang)
	var out []Inconsistency
	for _, v := range variants {
		got := factSet(v.Facts)
		for _, kind := range factKinds {
			want := ref[kind]
			have := got[kind]
			var missing, added []string
			for _, w := range want {
				if !contains(have, w) {
					missing = append(missing, w)
				}
			}
			for _, h := range have {
				if !contains(want, h) {
					added = append(added, h)
				}
			}
			// Pair what is missing with what was added in its place: that is a contradiction.
			for len(missing) > 0 && len(added) > 0 {
				m := msgs.consistency[Contradiction]
				out = append(out, Inconsistency{Platform: v.Platform, Kind: kind, Issue: Contradiction, Want: missing[0], Got: added[0],
					Severity: SeverityError, Message: sprintf(m.Message, kindName(msgs, kind), added[0], missing[0]), Suggestion: sprintf(m.Suggestion, missing[0])})
				missing, added = missing[1:], added[1:]
			}
			for _, w := range missing {
				m := msgs.consistency[Missing]
				out = append(out, Inconsistency{Platform: v.Platform, Kind: kind, Issue: Missing, Want: w,
					Severity: SeverityWarning, Message: sprintf(m.Message, kindName(msgs, kind), w), Suggestion: sprintf(m.Suggestion, w)})
			}
			for _, a := range added {
				m := msgs.consistency[Added]
				out = append(out, Inconsistency{Platform: v.Platform, Kind: kind, Issue: Added, Got: a,
					Severity: SeverityWarning, Message: sprintf(m.Message, kindName(msgs, kind), a), Suggestion: sprintf(m.Suggestion, a)})
			}
		}
	}
	return out
}

var factKinds = []FactKind{FactNumber, FactDate, FactTime, FactURL, FactEmail, FactPhone, FactName}

func kindName(m *messages, k FactKind) string { return m.factKinds[k] }

func factSet(fs []Fact) map[FactKind][]string {
	set := make(map[FactKind][]string)
	for _, f := range fs {
		if !contains(set[f.Kind], f.Value) {
			set[f.Kind] = append(set[f.Kind], f.Value)
		}
	}
	return set
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
