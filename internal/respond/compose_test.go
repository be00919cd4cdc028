package respond

import (
	"strings"
	"testing"
)

func TestComposeAndConsistency(t *testing.T) {
	core := "Sinds 09.15 uur kunnen 1.200 klanten van Voorbeeldbank niet inloggen. Het spijt ons. Om 12.00 uur volgt een update op https://voorbeeldbank.nl/status."
	edits := map[Platform]string{
		X:        "Sinds 09:15 kunnen 1200 klanten van Voorbeeldbank niet inloggen. Het spijt ons. Om 13.00 uur volgt een update op voorbeeldbank.nl/status.",
		Bluesky:  "Sinds 09.15 uur kunnen 1.200 klanten van Voorbeeldbank niet inloggen. Het spijt ons. Om 12.00 uur volgt een update.",
		Mastodon: "Sinds 09.15 uur kunnen 1.200 klanten van Voorbeeldbank niet inloggen. Het spijt ons. Om 12.00 uur volgt een update op https://voorbeeldbank.nl/status. Bel 0800-0123.",
	}
	vs := Compose(core, []Platform{X, Bluesky, Mastodon, LinkedIn}, edits)
	if len(vs) != 4 || vs[3].Text != core || vs[0].Text != edits[X] {
		t.Fatalf("Compose did not apply the edits: %+v", vs)
	}
	type want struct {
		p           Platform
		kind        FactKind
		issue       string
		want, got   string
		sev         Severity
		messageHave string
	}
	wants := []want{
		{X, FactTime, Contradiction, "12:00", "13:00", SeverityError, "„13:00” waar de kernboodschap „12:00”"},
		{Bluesky, FactURL, Missing, "voorbeeldbank.nl/status", "", SeverityWarning, "laat een link uit de kernboodschap weg"},
		{Mastodon, FactPhone, Added, "", "08000123", SeverityWarning, "voegt een telefoonnummer toe"},
	}
	got := Consistency(core, vs, LangNL)
	if len(got) != len(wants) {
		t.Fatalf("Consistency = %+v, want %d inconsistencies", got, len(wants))
	}
	for k, w := range wants {
		g := got[k]
		if g.Platform != w.p || g.Kind != w.kind || g.Issue != w.issue || g.Want != w.want || g.Got != w.got || g.Severity != w.sev {
			t.Errorf("inconsistency %d = %+v, want %+v", k, g, w)
		}
		if !strings.Contains(g.Message, w.messageHave) || g.Suggestion == "" {
			t.Errorf("inconsistency %d message %q lacks %q", k, g.Message, w.messageHave)
		}
	}
	// Written differently but meaning the same (09:15 and 09.15 uur, 1200 and 1.200, with or without
	// https://) is consistent: the X edit gives only the time contradiction above.
	en := Consistency(core, vs[:1], LangEN)
	if len(en) != 1 || !strings.Contains(en[0].Message, "gives the time as “13:00” where the core message says “12:00”") {
		t.Errorf("English consistency = %+v", en)
	}
}

func TestComposeSplitsWhereThePlatformHasThreads(t *testing.T) {
	for _, v := range Compose(longStatement, Platforms(), nil) {
		wantThread := v.Platform == X || v.Platform == Bluesky
		if (len(v.Parts) > 1) != wantThread {
			t.Errorf("%s: %d parts", v.Platform, len(v.Parts))
		}
		if len(v.Lengths) != len(v.Parts) || v.Over() {
			t.Errorf("%s: lengths %+v", v.Platform, v.Lengths)
		}
		if len(v.Facts) == 0 {
			t.Errorf("%s: no facts", v.Platform)
		}
	}
}
