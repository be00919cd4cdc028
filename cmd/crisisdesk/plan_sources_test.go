package main

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestPlanSourcesRoundTrip: sources go into the plan on export, without credentials, come back on
// import with their tokens kept, and a plan with a bad source is refused whole, with its path and line.
func TestPlanSourcesRoundTrip(t *testing.T) {
	data := t.TempDir()
	t.Setenv("CRISISDESK_SOURCES_ALLOW_PRIVATE", "")
	code, base, stderr := runPlan(t, data, "", "export")
	if code != exitOK {
		t.Fatalf("export: %d %s", code, stderr)
	}
	if strings.Contains(base, "sources:") {
		t.Fatalf("an installation without sources exported a sources key:\n%s", base)
	}

	// A source configured in the web app, with a token.
	st, err := openStore(t.Context(), config{Data: data}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := secret.LoadKey(func(string) string { return "" }, data)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := supervisor.SealCredentials(box, supervisor.Credentials{Token: secret.New("masto-secret-token")})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := st.CreateSource(t.Context(), store.Source{ID: "masto", Kind: store.SourceMastodon, Name: "Mastodon #storing", Credentials: sealed, Enabled: true,
		Settings: supervisor.Settings{URL: "https://mastodon.example", Stream: "hashtag", Hashtag: "storing"}.JSON(), CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, exported, stderr := runPlan(t, data, "", "export")
	if code != exitOK {
		t.Fatalf("export: %d %s", code, stderr)
	}
	p, err := plan.Parse([]byte(exported))
	if err != nil {
		t.Fatalf("the export does not parse: %v", err)
	}
	want := []plan.Source{{ID: "masto", Kind: "mastodon", Name: "Mastodon #storing", Enabled: true, URL: "https://mastodon.example", Stream: "hashtag", Hashtag: "storing"}}
	if !slices.EqualFunc(p.Sources, want, func(a, b plan.Source) bool {
		return a.ID == b.ID && a.URL == b.URL && a.Hashtag == b.Hashtag && a.Enabled == b.Enabled
	}) {
		t.Errorf("exported sources %+v, want %+v", p.Sources, want)
	}
	if strings.Contains(exported, "masto-secret-token") || strings.Contains(exported, sealed) {
		t.Fatal("the export holds the token")
	}

	// Edited as code: the Mastodon source switched off, a feed added.
	edited := strings.Replace(exported, "    enabled: true\n", "    enabled: false\n", 1) +
		"  - id: nos\n    kind: rss\n    name: NOS\n    enabled: true\n    url: https://feeds.nos.example/rss\n    interval: 5m\n"
	code, out, stderr := runPlan(t, data, edited, "import", "-")
	if code != exitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	var res struct {
		Version int64 `json:"version"`
		Sources struct {
			Created, Updated, Deleted []string
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !slices.Equal(res.Sources.Created, []string{"nos"}) || !slices.Equal(res.Sources.Updated, []string{"masto"}) {
		t.Errorf("import said %s (%v)", out, err)
	}
	st, err = openStore(t.Context(), config{Data: data}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	masto, err := st.SourceByID(t.Context(), "masto")
	if err != nil || masto.Enabled || masto.Credentials != sealed {
		t.Errorf("masto after import: %+v, %v; want it off with its token", masto, err)
	}
	if code, again, _ := runPlan(t, data, "", "export"); code != exitOK || !strings.Contains(again, "id: nos") || !strings.Contains(again, "feeds.nos.example") {
		t.Errorf("the export after the import lacks the new feed:\n%s", again)
	}

	// Refused whole: a path and line for a plan error, the path for a private address.
	badLine := edited + "  - id: x\n    kind: rss\n    name: X\n    url: ftp://files.example/feed\n"
	code, _, stderr = runPlan(t, data, badLine, "import", "-")
	lines := strings.Count(badLine, "\n")
	if code != exitUsage || !strings.Contains(stderr, "-:"+itoa(lines)+":10: sources[2].url:") {
		t.Errorf("bad URL: exit %d, stderr %q; want line %d", code, stderr, lines)
	}
	private := edited + "  - id: intranet\n    kind: rss\n    name: Intranet\n    url: http://10.1.2.3/rss\n"
	code, _, stderr = runPlan(t, data, private, "import", "-")
	if code != exitUsage || !strings.Contains(stderr, "sources[2] (intranet)") || !strings.Contains(stderr, "private") {
		t.Errorf("private address: exit %d, stderr %q", code, stderr)
	}
	if vs, err := st.PlanVersions(t.Context()); err != nil || len(vs) != 1 {
		t.Errorf("%d plan versions (%v) after two refused imports, want 1", len(vs), err)
	}
	t.Setenv("CRISISDESK_SOURCES_ALLOW_PRIVATE", "true")
	if code, _, stderr = runPlan(t, data, private, "import", "-"); code != exitOK {
		t.Errorf("private address allowed: exit %d, %s", code, stderr)
	}
}
