package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Every store keeps the sources' resume positions; testCursors checks that they survive.
var _ source.CursorStore = store.Store(nil)

func testMonitors(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.Monitors(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("Monitors on an empty store = %v, %v; want none", got, err)
	}
	a := store.Monitor{ID: "m1", Name: "Brand", Query: `acme OR "acme bank"`, Enabled: true, CreatedBy: 7,
		CreatedAt: base, UpdatedAt: base}
	b := store.Monitor{ID: "m0", Name: "Alerts", Query: "storing NOT test", Enabled: false, CreatedAt: base, UpdatedAt: base}
	for _, m := range []store.Monitor{a, b} {
		if err := s.CreateMonitor(ctx, m); err != nil {
			t.Fatalf("CreateMonitor(%s): %v", m.ID, err)
		}
	}
	if err := s.CreateMonitor(ctx, a); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("CreateMonitor(same id) = %v, want ErrAlreadyExists", err)
	}
	m, err := s.MonitorByID(ctx, "m1")
	if err != nil || !reflect.DeepEqual(m, a) {
		t.Errorf("MonitorByID(m1) = %+v, %v; want %+v", m, err, a)
	}
	if _, err := s.MonitorByID(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MonitorByID(nope) = %v, want ErrNotFound", err)
	}
	all, err := s.Monitors(ctx)
	if err != nil {
		t.Fatalf("Monitors: %v", err)
	}
	if want := []store.Monitor{b, a}; !reflect.DeepEqual(all, want) {
		t.Errorf("Monitors = %+v, want by name %+v", all, want)
	}

	a.Name, a.Query, a.Enabled, a.UpdatedAt = "Brand NL", "acme lang:nl", false, base.Add(time.Hour)
	a.CreatedAt = base.Add(-time.Hour) // not changeable: UpdateMonitor must ignore it
	if err := s.UpdateMonitor(ctx, a); err != nil {
		t.Fatalf("UpdateMonitor: %v", err)
	}
	a.CreatedAt = base
	if m, err := s.MonitorByID(ctx, "m1"); err != nil || !reflect.DeepEqual(m, a) {
		t.Errorf("after UpdateMonitor, MonitorByID = %+v, %v; want %+v", m, err, a)
	}
	if err := s.UpdateMonitor(ctx, store.Monitor{ID: "nope"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateMonitor(nope) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteMonitor(ctx, "m0"); err != nil {
		t.Fatalf("DeleteMonitor: %v", err)
	}
	if err := s.DeleteMonitor(ctx, "m0"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteMonitor twice = %v, want ErrNotFound", err)
	}
	if all, err := s.Monitors(ctx); err != nil || len(all) != 1 || all[0].ID != "m1" {
		t.Errorf("after delete, Monitors = %+v, %v; want only m1", all, err)
	}
}

// analysedPosts are posts with analysis and matches, as ingest stores them.
func analysedPosts() []store.StoredPost {
	mk := func(id string, minutes int, sentiment string, complaint bool, cats []string, monitors []string) store.StoredPost {
		sp := store.StoredPost{
			Post: post.Post{ID: id, Platform: "bluesky", Text: "tekst van " + id, CreatedAt: base.Add(time.Duration(minutes) * time.Minute),
				Author: post.Author{Handle: "h", Kind: "person"}},
			Analysis: store.Analysis{Lang: "nl", LangConfidence: 0.9, Sentiment: sentiment, SentimentScore: -0.5,
				Complaint: complaint, ComplaintScore: 0.75, Categories: cats},
			Monitors: monitors,
		}
		if len(cats) > 0 {
			sp.Analysis.Evidence = map[string][]string{cats[0]: {"datalek"}}
		}
		return sp
	}
	return []store.StoredPost{
		mk("a", 1, "negative", true, []string{"data_breach"}, []string{"m1"}),
		mk("b", 2, "positive", false, []string{}, []string{"m1", "m2"}),
		mk("c", 3, "negative", false, []string{"service_outage", "boycott"}, []string{"m2"}),
		mk("d", 4, "neutral", false, []string{}, nil),
		{Post: post.Post{ID: "e", Platform: "x", Text: "geen analyse", CreatedAt: base.Add(5 * time.Minute)}},
	}
}

func testStoredPosts(t *testing.T, s store.Store) {
	ctx := t.Context()
	in := analysedPosts()
	n, err := s.InsertStoredPosts(ctx, in)
	if err != nil || n != len(in) {
		t.Fatalf("InsertStoredPosts = %d, %v; want %d new", n, err, len(in))
	}
	// A second copy with a different analysis and matches is a duplicate: the first stays.
	dup := analysedPosts()[:1]
	dup[0].Analysis.Sentiment, dup[0].Monitors = "positive", []string{"m9"}
	if n, err := s.InsertStoredPosts(ctx, dup); err != nil || n != 0 {
		t.Fatalf("InsertStoredPosts(duplicate) = %d, %v; want 0 new", n, err)
	}

	got, err := s.SearchStoredPosts(ctx, store.PostQuery{})
	if err != nil {
		t.Fatalf("SearchStoredPosts: %v", err)
	}
	if len(got) != len(in) {
		t.Fatalf("SearchStoredPosts returned %d posts, want %d", len(got), len(in))
	}
	for i, g := range got {
		want := in[len(in)-1-i] // newest first
		if !want.Post.CreatedAt.Equal(g.Post.CreatedAt) || g.Post.ID != want.Post.ID {
			t.Fatalf("post %d = %s, want %s", i, g.Post.ID, want.Post.ID)
		}
		if !reflect.DeepEqual(g.Analysis, want.Analysis) {
			t.Errorf("post %s analysis = %+v, want %+v", g.Post.ID, g.Analysis, want.Analysis)
		}
		if !slices.Equal(g.Monitors, want.Monitors) {
			t.Errorf("post %s monitors = %v, want %v", g.Post.ID, g.Monitors, want.Monitors)
		}
	}

	tests := []struct {
		name string
		q    store.PostQuery
		want []string
	}{
		{"monitor m1", store.PostQuery{Monitor: "m1"}, []string{"b", "a"}},
		{"monitor m2", store.PostQuery{Monitor: "m2"}, []string{"c", "b"}},
		{"monitor of a duplicate", store.PostQuery{Monitor: "m9"}, nil},
		{"negative", store.PostQuery{Sentiment: "negative"}, []string{"c", "a"}},
		{"complaints", store.PostQuery{Complaint: true}, []string{"a"}},
		{"category", store.PostQuery{Category: "boycott"}, []string{"c"}},
		{"category outside the set", store.PostQuery{Category: "weather"}, nil},
		{"combined", store.PostQuery{Monitor: "m2", Sentiment: "negative"}, []string{"c"}},
		{"with text", store.PostQuery{Text: "tekst", Monitor: "m1", Sentiment: "positive"}, []string{"b"}},
		{"hostile monitor id", store.PostQuery{Monitor: "m1\x00' OR 1=1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchStoredPosts(ctx, tt.q)
			if err != nil {
				t.Fatalf("SearchStoredPosts(%+v): %v", tt.q, err)
			}
			var ids []string
			for _, g := range got {
				ids = append(ids, g.Post.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("SearchStoredPosts(%+v) = %v, want %v", tt.q, ids, tt.want)
			}
		})
	}

	counts, err := s.MonitorMatchCounts(ctx, base.Add(2*time.Minute))
	if err != nil {
		t.Fatalf("MonitorMatchCounts: %v", err)
	}
	if want := map[string]int64{"m1": 1, "m2": 2}; !reflect.DeepEqual(counts, want) {
		t.Errorf("MonitorMatchCounts = %v, want %v", counts, want)
	}
}

func testSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.Settings(ctx)
	if err != nil || got != store.DefaultSettings() {
		t.Fatalf("Settings on a new store = %+v, %v; want the defaults %+v", got, err, store.DefaultSettings())
	}
	for _, keep := range []bool{true, false, true} {
		if err := s.SaveSettings(ctx, store.Settings{KeepAllPosts: keep}); err != nil {
			t.Fatalf("SaveSettings(%v): %v", keep, err)
		}
		if got, err := s.Settings(ctx); err != nil || got.KeepAllPosts != keep {
			t.Errorf("Settings after saving %v = %+v, %v", keep, got, err)
		}
	}
}

func testCursors(t *testing.T, s store.Store) {
	ctx := t.Context()
	if c, err := s.Cursor(ctx, "bluesky:jetstream"); err != nil || c != "" {
		t.Fatalf("Cursor of a new source = %q, %v; want empty", c, err)
	}
	steps := []struct{ source, cursor string }{
		{"bluesky:jetstream", "1732000000000000"},
		{"mastodon:https://example.social", "112233"},
		{"bluesky:jetstream", "1732000000500000"},
	}
	for _, st := range steps {
		if err := s.SetCursor(ctx, st.source, st.cursor); err != nil {
			t.Fatalf("SetCursor(%q, %q): %v", st.source, st.cursor, err)
		}
	}
	want := map[string]string{"bluesky:jetstream": "1732000000500000", "mastodon:https://example.social": "112233"}
	for source, cursor := range want {
		if c, err := s.Cursor(ctx, source); err != nil || c != cursor {
			t.Errorf("Cursor(%q) = %q, %v; want %q", source, c, err, cursor)
		}
	}
}
