package x

import (
	"errors"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/query"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		query string
		want  string
	}{
		{`storing`, `storing`},
		{`storing Vitens`, `storing Vitens`},
		{`storing OR uitval`, `storing OR uitval`},
		{`"geen water" Deventer`, `"geen water" Deventer`},
		{`(storing OR uitval) AND (vitens OR #water)`, `(storing OR uitval) (vitens OR #water)`},
		{`#storing @Vitens_NL`, `#storing @Vitens_NL`},
		{`storing NOT test`, `storing -test`},
		{`storing -test`, `storing "-test"`}, // our language negates only with NOT; X would read -test as negation
		{`storing NOT (test OR oefening)`, `storing -test -oefening`},
		{`storing NOT (test AND oefening)`, `storing (-test OR -oefening)`},
		{`storing NOT NOT water`, `storing water`},
		{`(a b) OR c`, `(a b) OR c`},
		{`(a OR b) OR c`, `a OR b OR c`},
		{`datalek lang:nl`, `datalek lang:nl`},
		{`datalek authorVerified:true`, `datalek is:verified`},
		{`datalek authorVerified:false`, `datalek -is:verified`},
		{`datalek NOT authorVerified:true`, `datalek -is:verified`},
		{`author:vitens_nl storing`, `from:vitens_nl storing`},
		{`storing platform:x`, `storing`},
		{`storing OR (water platform:bluesky)`, `storing`},
		{`storing site:nos.nl`, `storing url:"nos.nl"`},
		{`"café open" OR Café`, `"café open" OR Café`},
		{`storing "c'est"`, `storing c'est`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := query.Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Translate(q, 0)
			if err != nil {
				t.Fatalf("Translate(%q): %v", tt.query, err)
			}
			if got != tt.want {
				t.Errorf("Translate(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestTranslateRefuses(t *testing.T) {
	tests := []struct {
		query     string
		construct Construct
		en, nl    string // a part of each message
	}{
		{`storing NEAR/3 water`, ConstructNear, "no NEAR operator", "kennen geen NEAR"},
		{`stor*`, ConstructWildcard, "no wildcards: stor*", "geen jokertekens: stor*"},
		{`"geen water"~2`, ConstructProximity, "no phrase proximity", "geen woordafstand"},
		{`storing likes:[100 TO *]`, ConstructRange, "cannot filter on likes", "niet filteren op likes"},
		{`storing authorFollowers:[1000 TO *]`, ConstructRange, "authorFollowers", "getallenbereik"},
		{`storing sentiment:negative`, ConstructAnalysisField, "sentiment comes from crisisdesk's own analysis", "eigen analyse"},
		{`storing category:data_breach`, ConstructAnalysisField, "category", "category"},
		{`storing complaint:true`, ConstructAnalysisField, "complaint", "complaint"},
		{`storing authorKind:press`, ConstructAnalysisField, "authorKind", "authorKind"},
		{`author:anna.bsky.social`, ConstructUsername, "not an X username", "geen gebruikersnaam"},
		{`storing platform:bluesky`, ConstructNever, "can match no post", "geen enkel bericht"},
		{`platform:x`, ConstructAlways, "matches every post", "elk bericht"},
		{`lang:nl`, ConstructUnanchored, "lang:, authorVerified and NOT only narrow", "alleen smaller"},
		{`storing OR lang:nl`, ConstructUnanchored, "every alternative", "elk alternatief"},
		{`authorVerified:true NOT storing`, ConstructUnanchored, "not negated", "zonder NOT"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := query.Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Translate(q, 0)
			var te *TranslateError
			if !errors.As(err, &te) {
				t.Fatalf("Translate(%q) = %v, want a TranslateError", tt.query, err)
			}
			if te.Construct != tt.construct {
				t.Errorf("construct %q, want %q", te.Construct, tt.construct)
			}
			if en := te.Message("en"); !strings.Contains(en, tt.en) {
				t.Errorf("English %q lacks %q", en, tt.en)
			}
			if nl := te.Message("nl"); !strings.Contains(nl, tt.nl) {
				t.Errorf("Dutch %q lacks %q", nl, tt.nl)
			}
			if te.Message("nl") == te.Message("en") {
				t.Error("Dutch and English messages are the same")
			}
		})
	}
}

func TestTranslateLengthLimit(t *testing.T) {
	words := make([]string, 120)
	for i := range words {
		words[i] = "storing"
	}
	q, err := query.Parse(strings.Join(words, " OR "))
	if err != nil {
		t.Fatal(err)
	}
	// 120 × "storing" plus 119 × " OR " is 1,316 characters.
	for _, tt := range []struct {
		max int
		ok  bool
	}{{0, false}, {1024, false}, {1316, true}} {
		_, err := Translate(q, tt.max)
		var te *TranslateError
		switch {
		case tt.ok && err != nil:
			t.Errorf("max %d: %v", tt.max, err)
		case !tt.ok && (!errors.As(err, &te) || te.Construct != ConstructTooLong):
			t.Errorf("max %d: %v, want a too-long error", tt.max, err)
		case !tt.ok && !strings.Contains(te.Message("nl"), "1316 tekens"):
			t.Errorf("max %d: Dutch %q does not give the length", tt.max, te.Message("nl"))
		}
	}
}

// TestMessagesComplete checks that every construct has a message in both languages.
func TestMessagesComplete(t *testing.T) {
	all := []Construct{ConstructNear, ConstructWildcard, ConstructProximity, ConstructRange, ConstructAnalysisField,
		ConstructField, ConstructUsername, ConstructAlways, ConstructNever, ConstructTooLong, ConstructUnanchored}
	for _, lang := range []string{"en", "nl"} {
		if len(messages[lang]) != len(all) {
			t.Errorf("%s has %d messages, want %d", lang, len(messages[lang]), len(all))
		}
		for _, c := range all {
			if messages[lang][c] == "" {
				t.Errorf("%s lacks %s", lang, c)
			}
		}
	}
}
