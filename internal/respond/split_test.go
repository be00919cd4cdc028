package respond

import (
	"strconv"
	"strings"
	"testing"
)

const longStatement = `We know that many of you cannot log in to the app since 09:15 this morning. We are very sorry. ` +
	`Our engineers are working on it right now and we are doing everything we can to restore access. ` +
	`Payments made before 09:15 have been processed normally. You do not need to do anything. ` +
	`We will post the next update at 12:00 on https://status.example.nl/incidents/2026-11-21-login-outage and here. ` +
	`Questions? Send us a direct message or call 0800-1234 (free).`

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		p     Platform
		s     string
		parts int
	}{
		{"fits", X, "We are sorry.", 1},
		{"no threads on linkedin", LinkedIn, strings.Repeat("word ", 700), 1},
		{"x thread", X, longStatement, 2},
		{"bluesky thread", Bluesky, longStatement, 2},
		{"mastodon fits", Mastodon, longStatement, 1},
		{"one long word", Bluesky, strings.Repeat("a", 700), 3},
		{"ten or more parts widen the numbering", X, strings.Repeat("Dit is een zin van een bericht. ", 100), 13},
		{"a hundred or more parts", X, strings.Repeat("word ", 12000), 223},
		{"long sentences and emoji", Bluesky, strings.Repeat("Het spijt ons 👩‍👩‍👧‍👦. ", 2000), 118},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := Split(tt.p, tt.s)
			if len(parts) != tt.parts {
				t.Fatalf("Split gave %d parts, want %d; the first: %q", len(parts), tt.parts, parts[0])
			}
			checkParts(t, tt.p, tt.s, parts)
		})
	}
}

// checkParts asserts the invariants every split keeps: each part fits, the numbering is right, and no
// text is lost or reordered.
func checkParts(t *testing.T, p Platform, s string, parts []string) {
	t.Helper()
	var joined []string
	for k, part := range parts {
		if l := Count(p, part); l.Over() && p.HasThreads() && !strings.Contains(part, "://") {
			t.Errorf("part %d is %d %s, over %d: %q", k+1, l.Used, l.Unit, l.Limit, part)
		}
		body := part
		if len(parts) > 1 {
			suffix := " " + strconv.Itoa(k+1) + "/" + strconv.Itoa(len(parts))
			if !strings.HasSuffix(part, suffix) {
				t.Errorf("part %d lacks %q: %q", k+1, suffix, part)
			}
			body = strings.TrimSuffix(part, suffix)
		}
		joined = append(joined, strings.Fields(body)...)
	}
	if got, want := strings.Join(joined, ""), strings.Join(strings.Fields(s), ""); got != want {
		t.Errorf("text changed by splitting:\n got %q\nwant %q", got, want)
	}
}

func TestSplitPrefersSentenceEnds(t *testing.T) {
	parts := Split(X, longStatement)
	for k, part := range parts[:len(parts)-1] {
		body := part[:strings.LastIndexByte(part, ' ')]
		if !strings.HasSuffix(body, ".") && !strings.HasSuffix(body, "?") {
			t.Errorf("part %d does not end at a sentence: %q", k+1, part)
		}
	}
}
