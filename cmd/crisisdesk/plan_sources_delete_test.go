package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestPlanImportKeepsSourcesWithTokens: a plan that omits a source holding a token entered in the web
// app is refused whole, in the chosen language and naming the source, and nothing is stored; with
// --delete-sources it is deleted.
func TestPlanImportKeepsSourcesWithTokens(t *testing.T) {
	data := t.TempDir()
	t.Setenv("CRISISDESK_SOURCES_ALLOW_PRIVATE", "")
	code, base, stderr := runPlan(t, data, "", "export")
	if code != exitOK {
		t.Fatalf("export: %d %s", code, stderr)
	}
	st, err := openStore(t.Context(), config{Data: data}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
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
	withoutMasto := strings.TrimRight(base, "\n") + "\nsources:\n  - id: nos\n    kind: rss\n    name: NOS\n    enabled: true\n    url: https://feeds.nos.example/rss\n"

	for _, tc := range []struct{ lang, want string }{
		{"en", `source "masto" (Mastodon #storing) is not in the plan but holds a stored token`},
		{"nl", `bron "masto" (Mastodon #storing) staat niet in het plan, maar heeft een opgeslagen token`},
	} {
		code, _, stderr := runPlan(t, data, withoutMasto, "import", "--lang", tc.lang, "-")
		if code != exitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "--delete-sources") {
			t.Errorf("%s: exit %d, stderr %q; want it refused with %q", tc.lang, code, stderr, tc.want)
		}
	}
	if vs, err := st.PlanVersions(t.Context()); err != nil || len(vs) != 0 {
		t.Errorf("%d plan versions (%v) after refused imports, want none", len(vs), err)
	}
	if srcs, err := st.Sources(t.Context()); err != nil || len(srcs) != 1 {
		t.Errorf("sources after refused imports: %+v, %v", srcs, err)
	}

	code, out, stderr := runPlan(t, data, withoutMasto, "import", "--delete-sources", "-")
	if code != exitOK {
		t.Fatalf("import --delete-sources: %d %s", code, stderr)
	}
	var res struct {
		Sources struct{ Created, Deleted []string } `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !slices.Equal(res.Sources.Created, []string{"nos"}) || !slices.Equal(res.Sources.Deleted, []string{"masto"}) {
		t.Errorf("import --delete-sources said %s (%v)", out, err)
	}
	if _, err := st.SourceByID(t.Context(), "masto"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("masto after import --delete-sources: %v", err)
	}
}
