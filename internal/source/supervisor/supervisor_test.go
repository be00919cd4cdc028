package supervisor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// feedServer serves an RSS document whose items the test changes, and counts requests.
type feedServer struct {
	mu       sync.Mutex
	items    []string // titles; each becomes an item with a guid of its own
	requests int
}

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Omroep Oost | Nieuws</title>` +
		`<link>https://www.omroepoost.example/nieuws</link><description>Regionaal nieuws</description><language>nl-NL</language>`)
	for i, title := range f.items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://www.omroepoost.example/nieuws/%d</link><guid isPermaLink="false">oost-%d</guid>`+
			`<pubDate>Fri, 20 Nov 2026 %02d:00:00 +0100</pubDate><description>%s, meldt de redactie.</description></item>`, title, i, i, 8+i, title)
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	_, _ = io.WriteString(w, b.String())
}

func (f *feedServer) add(title string) {
	f.mu.Lock()
	f.items = append(f.items, title)
	f.mu.Unlock()
}

func (f *feedServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// recorder passes batches to the real ingester and tells the test about each one.
type recorder struct {
	in      Ingester
	batches chan []post.Post
}

func (r *recorder) Ingest(ctx context.Context, posts []post.Post) (ingest.Result, error) {
	res, err := r.in.Ingest(ctx, posts)
	if err == nil {
		r.batches <- slices.Clone(posts)
	}
	return res, err
}

type env struct {
	st  *sqlite.Store
	box *secret.Box
	rec *recorder
	reg *prometheus.Registry
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := sqlite.Open(t.Context(), ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	ing, err := ingest.New(ingest.Config{Filter: ingest.StoreAll}, an, query.NewRegistry(), st)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox([]byte(strings.Repeat("k", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	return &env{st: st, box: box, rec: &recorder{in: ing, batches: make(chan []post.Post, 100)}, reg: prometheus.NewRegistry()}
}

// start runs a supervisor until the test ends or stop is called; stop waits for Run to return.
func (e *env) start(t *testing.T, tweak ...func(*Config)) (sup *Supervisor, stop func()) {
	t.Helper()
	m, err := source.NewMetrics(e.reg)
	if err != nil {
		t.Fatal(err)
	}
	// The platforms' fakes listen on loopback, which sources may reach only when allowed.
	cfg := Config{Box: e.box, Metrics: m, Logger: slog.New(slog.DiscardHandler), FlushEvery: 10 * time.Millisecond, AllowPrivate: true}
	for _, f := range tweak {
		f(&cfg)
	}
	sup, err = New(cfg, e.st, e.rec)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		close(ready)
		done <- sup.Run(ctx)
	}()
	<-ready
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return sup, stop
}

// waitPosts reads batches until n posts arrived, and returns their ids.
func (e *env) waitPosts(t *testing.T, n int) []string {
	t.Helper()
	var got []string
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case b := <-e.rec.batches:
			for _, p := range b {
				got = append(got, p.ID)
			}
		case <-timeout:
			t.Fatalf("waited for %d posts, got %v", n, got)
		}
	}
	return got
}

// syncWhenRunning retries Sync until Run has set the supervisor up.
func syncWhenRunning(t *testing.T, sup *Supervisor) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		err := sup.Sync(t.Context())
		if err == nil {
			return
		}
		if !errors.Is(err, ErrNotRunning) {
			t.Fatalf("Sync: %v", err)
		}
		select {
		case <-deadline:
			t.Fatal("supervisor never started")
		default:
			runtimeGosched()
		}
	}
}

func rssSource(id, url string) store.Source {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	return store.Source{ID: id, Kind: store.SourceRSS, Name: "Omroep Oost",
		Settings: Settings{URL: url, Interval: "10m"}.JSON(), Enabled: true, CreatedAt: at, UpdatedAt: at}
}

func TestRSSSourceIngestsAndResumesFromItsCursor(t *testing.T) {
	e := newEnv(t)
	feed := &feedServer{items: []string{"Storing bij Vitens in Deventer", "Datalek bij energieleverancier"}}
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	if err := e.st.CreateSource(t.Context(), rssSource("oost", srv.URL+"/rss")); err != nil {
		t.Fatal(err)
	}

	sup, stop := e.start(t)
	first := e.waitPosts(t, 2)
	if n, err := e.st.CountPosts(t.Context()); err != nil || n != 2 {
		t.Fatalf("stored %d posts (%v), want 2; ids %v", n, err, first)
	}
	st, ok := sup.Statuses()["oost"]
	if !ok || !st.Running || st.Posts != 2 || st.LastPostAt.IsZero() {
		t.Errorf("status = %+v, want running with 2 posts", st)
	}
	// The feed saves its cursor right after the batch is stored; wait for that before stopping, as a
	// stop in between would (rightly) make the restart deliver the last item again.
	deadline := time.After(5 * time.Second)
	for {
		c, err := e.st.Cursor(t.Context(), "oost")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c, "oost-1") {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("cursor = %q; want one that has seen oost-1", c)
		default:
			runtimeGosched()
		}
	}
	if v := counterValue(t, e.reg, "crisisdesk_source_posts_total", "oost"); v != 2 {
		t.Errorf("crisisdesk_source_posts_total{source=oost} = %v, want 2", v)
	}
	stop()

	// While nothing runs, the feed publishes one more item. A new supervisor on the same store must
	// ingest exactly that one: nothing missed, nothing sent again.
	feed.add("Vitens: water in Keizerslanden weer drinkbaar")
	e.start(t)
	second := e.waitPosts(t, 1)
	if len(second) != 1 || slices.Contains(first, second[0]) {
		t.Fatalf("after restart ingested %v, want only the new item (first run had %v)", second, first)
	}
	select {
	case b := <-e.rec.batches:
		t.Errorf("after restart another batch arrived: %v", b)
	default:
	}
	if n, _ := e.st.CountPosts(t.Context()); n != 3 {
		t.Errorf("stored %d posts, want 3", n)
	}
}

func TestSyncFollowsChanges(t *testing.T) {
	e := newEnv(t)
	feed := &feedServer{items: []string{"Eerste bericht"}}
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	ctx := t.Context()
	sup, _ := e.start(t)
	syncWhenRunning(t, sup)
	if len(sup.Statuses()) != 0 {
		t.Fatalf("statuses with no sources: %v", sup.Statuses())
	}

	// Added: it starts.
	src := rssSource("oost", srv.URL+"/rss")
	if err := e.st.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitPosts(t, 1)

	// Disabled: it stops, and Sync returns only once it has.
	src.Enabled, src.UpdatedAt = false, src.UpdatedAt.Add(time.Second)
	if err := e.st.UpdateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := sup.Statuses()["oost"]; ok {
		t.Error("a disabled source is still running")
	}
	before := feed.count()

	// Enabled with a new feed URL: it runs again against the new address.
	feed2 := &feedServer{items: []string{"Bericht op de nieuwe feed"}}
	srv2 := httptest.NewServer(feed2)
	t.Cleanup(srv2.Close)
	src.Enabled, src.UpdatedAt, src.Settings = true, src.UpdatedAt.Add(time.Second), Settings{URL: srv2.URL, Interval: "10m"}.JSON()
	if err := e.st.UpdateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitPosts(t, 1)
	if feed.count() != before {
		t.Errorf("the old feed was polled %d more times after its source moved", feed.count()-before)
	}

	// Deleted: it stops.
	if err := e.st.DeleteSource(ctx, "oost"); err != nil {
		t.Fatal(err)
	}
	if err := sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sup.Statuses()) != 0 {
		t.Errorf("statuses after delete: %v", sup.Statuses())
	}
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "source" && l.GetValue() == "oost" {
					t.Errorf("%s still reports the deleted source", mf.GetName())
				}
			}
		}
	}
}

func TestSourceThatCannotStartReportsWhy(t *testing.T) {
	e := newEnv(t)
	other, err := secret.NewBox([]byte(strings.Repeat("o", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := SealCredentials(other, Credentials{Token: secret.New("token-under-an-old-key")})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []store.Source{
		{ID: "wrong-key", Kind: store.SourceMastodon, Name: "a", Settings: Settings{URL: "https://social.example", Stream: StreamPublic}.JSON(), Credentials: creds},
		{ID: "bad-settings", Kind: store.SourceRSS, Name: "b", Settings: `{"url":`},
		{ID: "no-url", Kind: store.SourceRSS, Name: "c", Settings: `{}`},
	}
	for _, src := range tests {
		src.Enabled, src.CreatedAt, src.UpdatedAt = true, at, at
		if err := e.st.CreateSource(t.Context(), src); err != nil {
			t.Fatal(err)
		}
	}
	sup, _ := e.start(t)
	syncWhenRunning(t, sup)
	deadline := time.After(5 * time.Second)
	for _, src := range tests {
		for {
			st := sup.Statuses()[src.ID]
			if st.Problem != "" {
				if strings.Contains(st.Problem, "token-under-an-old-key") {
					t.Errorf("%s: the problem shows the credential: %q", src.ID, st.Problem)
				}
				break
			}
			select {
			case <-deadline:
				t.Fatalf("%s: no problem reported: %+v", src.ID, st)
			default:
				runtimeGosched()
			}
		}
	}
}

func TestBatcherNeverSavesACursorAheadOfIngest(t *testing.T) {
	cursors := source.NewMemoryCursors()
	fail := errors.New("database is gone")
	var calls [][]string
	in := ingestFunc(func(ctx context.Context, posts []post.Post) (ingest.Result, error) {
		calls = append(calls, idsOf(posts))
		if len(calls) == 1 {
			return ingest.Result{}, fail
		}
		return ingest.Result{Received: len(posts), Stored: len(posts)}, nil
	})
	b := newBatcher(in, 3, cursors)
	ctx := t.Context()
	for _, id := range []string{"a", "b"} {
		if err := b.emit(ctx, post.Post{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if len(calls) != 0 {
		t.Fatalf("ingest called before the batch was full or a cursor saved: %v", calls)
	}
	if err := b.SetCursor(ctx, "s", "2"); !errors.Is(err, fail) {
		t.Fatalf("SetCursor with a failing ingest = %v, want %v", err, fail)
	}
	if c, _ := cursors.Cursor(ctx, "s"); c != "" {
		t.Fatalf("cursor saved although its posts were not stored: %q", c)
	}
	if err := b.SetCursor(ctx, "s", "2"); err != nil {
		t.Fatal(err)
	}
	if c, _ := cursors.Cursor(ctx, "s"); c != "2" {
		t.Errorf("cursor = %q, want 2", c)
	}
	for _, id := range []string{"c", "d", "e"} {
		if err := b.emit(ctx, post.Post{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{{"a", "b"}, {"a", "b"}, {"c", "d", "e"}}
	if !slices.EqualFunc(calls, want, slices.Equal) {
		t.Errorf("ingest calls = %v, want %v", calls, want)
	}
}

type ingestFunc func(ctx context.Context, posts []post.Post) (ingest.Result, error)

func (f ingestFunc) Ingest(ctx context.Context, posts []post.Post) (ingest.Result, error) {
	return f(ctx, posts)
}

func idsOf(ps []post.Post) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func counterValue(t *testing.T, g prometheus.Gatherer, name, src string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "source" && l.GetValue() == src {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{source=%q}", name, src)
	return 0
}
