package x

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/query"
)

// FuzzStreamLine feeds arbitrary stream lines to the decoder and the mapping: neither may panic, and every
// post that comes out must be valid.
func FuzzStreamLine(f *testing.F) {
	b, err := os.ReadFile("testdata/stream.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		sl, err := DecodeStreamLine(line)
		if err != nil || sl.Data == nil {
			return
		}
		users := map[string]User{}
		for _, u := range sl.Includes.Users {
			users[u.ID] = u
		}
		p, err := ToPost(*sl.Data, users)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ToPost gave an invalid post: %v\n%+v", err, p)
		}
	})
}

// FuzzTranslate translates arbitrary monitor queries: it may refuse, but must not panic, must respect the
// length limit, and must never produce a negated parenthesised group, which X rejects.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{`storing`, `(storing OR uitval) AND (vitens OR #water)`, `storing NOT (test AND oefening)`,
		`"geen water" lang:nl authorVerified:false`, `author:vitens_nl OR site:nos.nl`, `a NEAR/3 b`, `stor*`, `platform:x`,
		`NOT NOT (a OR (b AND NOT c))`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := query.Parse(src)
		if err != nil {
			return
		}
		rule, err := Translate(q, 0)
		if err != nil {
			var te *TranslateError
			if !errors.As(err, &te) || te.Message("nl") == "" || te.Message("en") == "" {
				t.Fatalf("Translate(%q) = %v, want a TranslateError with messages", src, err)
			}
			return
		}
		if utf8.RuneCountInString(rule) > DefaultMaxRuleLength || rule == "" {
			t.Fatalf("Translate(%q) = %q: empty or too long", src, rule)
		}
		if strings.Contains(rule, "-(") {
			t.Fatalf("Translate(%q) = %q negates a group", src, rule)
		}
	})
}
