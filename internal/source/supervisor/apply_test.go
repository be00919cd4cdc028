package supervisor

import (
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestApplyAllFromAnotherProcess: a plan import on the command line applies the plan's sources through
// a manager without a supervisor; the running supervisor notices within SyncEvery, starts what is new,
// stops what was switched off, and keeps credentials the plan never carries.
func TestApplyAllFromAnotherProcess(t *testing.T) {
	e := newEnv(t)
	feed := &feedServer{items: []string{"Storing bij Vitens in Deventer"}}
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	sup, _ := e.start(t, func(c *Config) { c.SyncEvery = 100 * time.Millisecond })
	cli, err := NewManager(e.st, e.box, nil, nil) // the other process
	if err != nil {
		t.Fatal(err)
	}
	// A Mastodon source whose token was entered in the web app.
	tok, err := SealCredentials(e.box, Credentials{Token: secret.New("masto-token")})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := e.st.CreateSource(t.Context(), store.Source{ID: "masto", Kind: store.SourceMastodon, Name: "M", Credentials: tok,
		Settings: Settings{URL: "https://mastodon.example", Stream: StreamUser}.JSON(), CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateSource(t.Context(), store.Source{ID: "old", Kind: store.SourceRSS, Name: "Old", Settings: Settings{URL: "https://old.example/rss"}.JSON(), CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}

	specs := []Spec{
		{ID: "oost", Kind: store.SourceRSS, Name: "Omroep Oost", Enabled: true, Settings: Settings{URL: srv.URL + "/rss", Interval: "10m"}},
		{ID: "masto", Kind: store.SourceMastodon, Name: "Mastodon (user)", Settings: Settings{URL: "https://mastodon.example", Stream: StreamUser}},
		{ID: "xacct", Kind: store.SourceX, Name: "X", Settings: Settings{URL: "https://api.x.example"}},
	}
	// The other process allows no private addresses: the loopback feed is refused there, all or nothing.
	if _, err := cli.ApplyAll(t.Context(), specs, ApplyOptions{}); !errors.Is(err, source.ErrBlockedAddress) {
		t.Fatalf("ApplyAll with a loopback feed = %v, want refused", err)
	}
	if srcs, _ := e.st.Sources(t.Context()); len(srcs) != 2 {
		t.Fatalf("a refused plan changed the sources: %+v", srcs)
	}
	mgr, err := NewManager(e.st, e.box, sup, nil) // the supervisor here allows them
	if err != nil {
		t.Fatal(err)
	}
	res, err := mgr.ApplyAll(t.Context(), specs, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Created, []string{"oost", "xacct"}) || !slices.Equal(res.Updated, []string{"masto"}) ||
		!slices.Equal(res.Deleted, []string{"old"}) || !slices.Equal(res.NeedToken, []string{"xacct"}) {
		t.Errorf("applied %+v", res)
	}
	e.waitPosts(t, 1)
	masto, err := e.st.SourceByID(t.Context(), "masto")
	if err != nil || masto.Credentials != tok || masto.Name != "Mastodon (user)" {
		t.Errorf("masto after apply: %+v, %v; want its token kept and its new name", masto, err)
	}
	// Applying the same plan again changes nothing.
	if res, err := mgr.ApplyAll(t.Context(), specs, ApplyOptions{}); err != nil || len(res.Unchanged) != 3 {
		t.Errorf("second apply = %+v, %v; want all unchanged", res, err)
	}

	// Switched off by a plan imported in another process that allows private addresses: its
	// supervisor does not run, so only the periodic sync of the running one can notice.
	specs[0].Enabled = false
	idle, err := New(Config{Box: e.box, AllowPrivate: true}, e.st, e.rec)
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewManager(e.st, e.box, idle, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ApplyAll(t.Context(), specs, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		if _, running := sup.Statuses()["oost"]; !running {
			break
		}
		select {
		case <-deadline:
			t.Fatal("the switched-off source still runs")
		case <-time.After(10 * time.Millisecond):
		}
	}

	// A kind never changes.
	bad := []Spec{{ID: "oost", Kind: store.SourceBluesky, Name: "B"}}
	if err := mgr.CheckAll(t.Context(), bad, ApplyOptions{}); !errors.Is(err, ErrKindChanged) {
		t.Errorf("CheckAll with a changed kind = %v", err)
	}
}
