package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/mmcdole/gofeed"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// publisher is a feed server that honours conditional GET the way common web servers do, and records the
// validators every request carried.
type publisher struct {
	mu           sync.Mutex
	body         string
	contentType  string
	etag         string
	lastModified string
	status       []int // statuses to answer before serving normally, one per request
	ignoreCond   bool  // answer 200 even when the validators match, as some servers do
	retryAfter   string
	requests     []http.Header
}

func (p *publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, r.Header.Clone())
	if len(p.status) > 0 {
		code := p.status[0]
		p.status = p.status[1:]
		if p.retryAfter != "" {
			w.Header().Set("Retry-After", p.retryAfter)
		}
		http.Error(w, http.StatusText(code), code)
		return
	}
	if !p.ignoreCond {
		if inm := r.Header.Get("If-None-Match"); inm != "" && inm == p.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if ims := r.Header.Get("If-Modified-Since"); ims != "" && r.Header.Get("If-None-Match") == "" &&
			ims == p.lastModified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if p.etag != "" {
		w.Header().Set("ETag", p.etag)
	}
	if p.lastModified != "" {
		w.Header().Set("Last-Modified", p.lastModified)
	}
	w.Header().Set("Content-Type", p.contentType)
	io := strings.NewReader(p.body)
	_, _ = io.WriteTo(w)
}

func (p *publisher) set(f func(p *publisher)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func (p *publisher) seen() []http.Header {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]http.Header(nil), p.requests...)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// harness runs a source whose interval sleeps are steps of a script instead of real waits: after the
// n-th poll, between(n) runs, and the run ends after polls polls.
type harness struct {
	t       *testing.T
	pub     *publisher
	srv     *httptest.Server
	cursors *source.MemoryCursors
	posts   []post.Post
	waits   []time.Duration
}

func newHarness(t *testing.T, pub *publisher) *harness {
	srv := httptest.NewServer(pub)
	t.Cleanup(srv.Close)
	return &harness{t: t, pub: pub, srv: srv, cursors: source.NewMemoryCursors()}
}

func (h *harness) run(polls int, between func(n int), emit source.Emit) error {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	s, err := New(Config{
		URL:      h.srv.URL + "/feed",
		Interval: 10 * time.Minute,
		Client:   h.srv.Client(),
		Cursors:  h.cursors,
		Clock:    clock.NewSim(now),
		Backoff:  source.Backoff{Initial: time.Second, Max: time.Minute},
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.waits = append(h.waits, d)
			if d != 10*time.Minute {
				return nil // a backoff wait after a failed poll
			}
			n++
			if n >= polls {
				cancel()
				return ctx.Err()
			}
			if between != nil {
				between(n)
			}
			return nil
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if emit == nil {
		emit = func(_ context.Context, p post.Post) error {
			h.posts = append(h.posts, p)
			return nil
		}
	}
	return s.Run(ctx, emit)
}

func ids(ps []post.Post) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func TestPollFormatsWithConditionalGet(t *testing.T) {
	tests := []struct {
		name, file, ctype string
		etag, lastMod     string
		wantIDs           []string // in emission order: oldest first
		wantFirst         post.Post
	}{
		{
			name: "RSS 2.0", file: "rss.xml", ctype: "application/rss+xml; charset=utf-8",
			etag: `"5f2a-61c0b"`, lastMod: "Fri, 20 Nov 2026 09:12:00 GMT",
			wantIDs: []string{
				"https://www.omroepoost.example/nieuws/2318790/klanten-boos-over-datalek",
				"{feed}#omroepoost-2318841",
				"https://www.omroepoost.example/nieuws/2318700/zonder-datum",
			},
			wantFirst: post.Post{
				ID:        "https://www.omroepoost.example/nieuws/2318790/klanten-boos-over-datalek",
				Platform:  "news",
				Text:      "Klanten boos over datalek bij energieleverancier\n\nGegevens van duizenden klanten zouden op straat liggen. Het bedrijf onderzoekt het lek.",
				CreatedAt: time.Date(2026, 11, 20, 7, 15, 0, 0, time.UTC),
				Lang:      "nl",
				URL:       "https://www.omroepoost.example/nieuws/2318790/klanten-boos-over-datalek",
				Author: post.Author{ID: "https://www.omroepoost.example/nieuws", Handle: "omroepoost.example",
					Name: "Omroep Oost | Nieuws", Kind: "press"},
			},
		},
		{
			name: "Atom", file: "atom.xml", ctype: "application/atom+xml",
			lastMod: "Fri, 20 Nov 2026 11:30:00 GMT", // no ETag: only If-Modified-Since can save the download
			wantIDs: []string{"tag:harbourtimes.example,2026:article-8790", "tag:harbourtimes.example,2026:article-8812"},
			wantFirst: post.Post{
				ID:        "tag:harbourtimes.example,2026:article-8790",
				Platform:  "news",
				Text:      "Council updates storm guidance\n\nResidents near the quay should secure loose objects.",
				CreatedAt: time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC), // only <updated>
				Lang:      "en",
				URL:       "https://harbourtimes.example/2026/11/19/storm-guidance",
				Author: post.Author{ID: "https://harbourtimes.example/", Handle: "harbourtimes.example",
					Name: "Harbour Times", Kind: "press"},
			},
		},
		{
			name: "JSON Feed", file: "feed.json", ctype: "application/feed+json",
			etag:    `W/"jf-77"`,
			wantIDs: []string{"https://stadsblog.example/2026/11/19/markt", "{feed}#2026-11-20-brug"},
			wantFirst: post.Post{
				ID:        "https://stadsblog.example/2026/11/19/markt",
				Platform:  "news",
				Text:      "Zaterdag is er weer markt op het plein.",
				CreatedAt: time.Date(2026, 11, 19, 17, 0, 0, 0, time.UTC),
				Lang:      "nl",
				URL:       "https://stadsblog.example/2026/11/19/markt",
				Author: post.Author{ID: "https://stadsblog.example/", Handle: "stadsblog.example",
					Name: "Stadsblog Zuid", Kind: "press"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &publisher{body: readFile(t, tt.file), contentType: tt.ctype, etag: tt.etag,
				lastModified: tt.lastMod})
			if err := h.run(3, nil, nil); err != nil {
				t.Fatalf("Run() = %v", err)
			}
			feedURL := h.srv.URL + "/feed"
			var want []string
			for _, id := range tt.wantIDs {
				want = append(want, strings.ReplaceAll(id, "{feed}", feedURL))
			}
			if got := ids(h.posts); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("emitted ids\n%v\nwant\n%v", got, want)
			}
			if len(h.posts) > 0 && !equalPost(h.posts[0], tt.wantFirst) {
				t.Errorf("first post\n%+v\nwant\n%+v", h.posts[0], tt.wantFirst)
			}
			for _, p := range h.posts {
				if err := p.Validate(); err != nil {
					t.Errorf("post %s invalid: %v", p.ID, err)
				}
			}
			reqs := h.pub.seen()
			if len(reqs) != 3 {
				t.Fatalf("server saw %d requests, want 3 polls", len(reqs))
			}
			if reqs[0].Get("If-None-Match") != "" || reqs[0].Get("If-Modified-Since") != "" {
				t.Errorf("first request carried validators: %v", reqs[0])
			}
			for i, r := range reqs[1:] {
				if got := r.Get("If-None-Match"); got != tt.etag {
					t.Errorf("poll %d If-None-Match = %q, want %q", i+2, got, tt.etag)
				}
				if got := r.Get("If-Modified-Since"); got != tt.lastMod {
					t.Errorf("poll %d If-Modified-Since = %q, want %q", i+2, got, tt.lastMod)
				}
				if r.Get("User-Agent") != DefaultUserAgent {
					t.Errorf("poll %d User-Agent = %q", i+2, r.Get("User-Agent"))
				}
			}
		})
	}
}

func equalPost(a, b post.Post) bool {
	return a.ID == b.ID && a.Platform == b.Platform && a.Text == b.Text && a.CreatedAt.Equal(b.CreatedAt) &&
		a.Lang == b.Lang && a.URL == b.URL && a.Author.ID == b.Author.ID && a.Author.Handle == b.Author.Handle &&
		a.Author.Name == b.Author.Name && a.Author.Kind == b.Author.Kind
}

const newItem = `<item>
      <title>Vitens: water in Deventer weer veilig</title>
      <link>https://www.omroepoost.example/nieuws/2318902/water-weer-veilig</link>
      <guid isPermaLink="false">omroepoost-2318902</guid>
      <pubDate>Fri, 20 Nov 2026 11:55:00 +0100</pubDate>
      <description>Het water kan weer zonder koken worden gedronken.</description>
    </item>
    `

func TestNewItemsOnlyAndRestart(t *testing.T) {
	rss := readFile(t, "rss.xml")
	pub := &publisher{body: rss, contentType: "application/rss+xml", etag: `"v1"`}
	h := newHarness(t, pub)
	// Poll 1 sees three items; before poll 2 the publisher adds one and changes its ETag; poll 3 gets 304.
	err := h.run(3, func(n int) {
		if n == 1 {
			pub.set(func(p *publisher) {
				p.body = strings.Replace(rss, "<item>", newItem+"<item>", 1)
				p.etag = `"v2"`
			})
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.posts) != 4 {
		t.Fatalf("emitted %d posts, want 3 then 1 new: %v", len(h.posts), ids(h.posts))
	}
	if want := h.srv.URL + "/feed#omroepoost-2318902"; h.posts[3].ID != want {
		t.Errorf("fourth post %q, want the new item %q", h.posts[3].ID, want)
	}
	reqs := pub.seen()
	if got := reqs[2].Get("If-None-Match"); got != `"v2"` {
		t.Errorf("poll after a change sent If-None-Match %q, want the new ETag", got)
	}

	// A restart with the same cursor store sends the saved validators and emits nothing on 304.
	h.posts = nil
	if err := h.run(1, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(h.posts) != 0 {
		t.Errorf("restart emitted %v, want nothing", ids(h.posts))
	}
	reqs = pub.seen()
	if got := reqs[len(reqs)-1].Get("If-None-Match"); got != `"v2"` {
		t.Errorf("restart sent If-None-Match %q, want the saved ETag", got)
	}

	// A server that ignores validators still gets no duplicates: the seen-set in the cursor catches them.
	pub.set(func(p *publisher) { p.ignoreCond = true })
	if err := h.run(2, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(h.posts) != 0 {
		t.Errorf("full re-download emitted %v, want nothing", ids(h.posts))
	}
}

func TestServerErrors(t *testing.T) {
	rss := readFile(t, "rss.xml")
	tests := []struct {
		name      string
		status    []int
		retry     string // Retry-After sent with the error statuses
		body      string
		wantErr   bool
		wantPosts int
		wantWaits []time.Duration
	}{
		{"server errors are retried with backoff", []int{503, 500}, "", rss, false, 3,
			[]time.Duration{time.Second / 2, time.Second, 10 * time.Minute}},
		{"Retry-After is honoured when longer than the backoff", []int{429}, "90", rss, false, 3,
			[]time.Duration{90 * time.Second, 10 * time.Minute}}, // not the 0.5–1s backoff
		{"410 Gone stops the source", []int{410}, "", rss, true, 0, nil},
		{"403 Forbidden stops the source", []int{403}, "", rss, true, 0, nil},
		{"a broken document is retried", nil, "", "<rss><channel><item>", false, 0,
			[]time.Duration{time.Second / 2, time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := &publisher{body: tt.body, contentType: "application/rss+xml", status: tt.status, retryAfter: tt.retry}
			h := newHarness(t, pub)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := New(Config{URL: h.srv.URL + "/feed", Interval: 10 * time.Minute, Client: h.srv.Client(),
				Backoff: source.Backoff{Initial: time.Second, Max: time.Minute}, Clock: clock.NewSim(now)})
			if err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			s.cfg.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				// Stop at the first successful poll's interval wait, or after three backoff waits for a
				// server that never recovers.
				if len(waits) >= 3 || d == 10*time.Minute {
					cancel()
					return ctx.Err()
				}
				return nil
			}
			// Equal jitter puts each backoff wait between half and all of its step, so the test checks the
			// range rather than pinning the random draw.
			var got []post.Post
			err = s.Run(ctx, func(_ context.Context, p post.Post) error { got = append(got, p); return nil })
			if (err != nil) != tt.wantErr {
				t.Fatalf("Run() = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != tt.wantPosts {
				t.Errorf("emitted %d posts, want %d", len(got), tt.wantPosts)
			}
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits %v, want %d like %v", waits, len(tt.wantWaits), tt.wantWaits)
			}
			for i, w := range tt.wantWaits {
				if w == 10*time.Minute {
					if waits[i] != w {
						t.Errorf("wait %d = %v, want the poll interval", i, waits[i])
					}
					continue
				}
				if waits[i] < w || waits[i] > 2*w {
					t.Errorf("backoff wait %d = %v, want within [%v, %v]", i, waits[i], w, 2*w)
				}
			}
			if st := s.Status(); tt.status != nil && st.LastError == "" {
				t.Errorf("status has no last error after %v", tt.status)
			}
		})
	}
}

func TestEmitFailureKeepsItemForNextRun(t *testing.T) {
	pub := &publisher{body: readFile(t, "rss.xml"), contentType: "application/rss+xml", etag: `"v1"`}
	h := newHarness(t, pub)
	refuse := errors.New("bus unavailable")
	calls := 0
	err := h.run(5, nil, func(_ context.Context, p post.Post) error {
		calls++
		if calls == 2 {
			return refuse
		}
		h.posts = append(h.posts, p)
		return nil
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("Run() = %v, want the emit error", err)
	}
	if len(h.posts) != 1 {
		t.Fatalf("accepted %d posts before the failure, want 1", len(h.posts))
	}
	// The next run must not trust the ETag (not every item got out) and must emit the remaining two.
	h.posts = nil
	if err := h.run(1, nil, nil); err != nil {
		t.Fatal(err)
	}
	reqs := pub.seen()
	if got := reqs[len(reqs)-1].Get("If-None-Match"); got != "" {
		t.Errorf("request after a failed emit sent If-None-Match %q; a 304 would lose items", got)
	}
	if len(h.posts) != 2 {
		t.Errorf("second run emitted %v, want the two items not yet accepted", ids(h.posts))
	}
}

func TestPostsEdgeCases(t *testing.T) {
	const feedURL = "https://example.org/feed.xml"
	long := strings.Repeat("lang verhaal ", post.MaxTextBytes/10)
	f := &gofeed.Feed{Title: "Krant &amp; Co", Language: "EN_us", Items: []*gofeed.Item{
		{GUID: "a", Title: "Een"},
		{GUID: "a", Title: "Een (dubbel)"},                        // repeated id: dropped
		{Title: "", Description: "<p> </p>"},                      // nothing to say: dropped
		{Title: "Zonder id of link", Description: "tekst"},        // id from a hash
		{GUID: "b", Title: "Lang", Description: long},             // cut to the text limit
		{GUID: "c", Title: "Titel", Description: "Titel en meer"}, // summary repeats the title
		nil,
	}}
	got := Posts(feedURL, f, now)
	if len(got) != 4 {
		t.Fatalf("Posts() gave %d posts, want 4: %v", len(got), ids(got))
	}
	if got[0].ID != feedURL+"#a" || got[0].Author.Name != "Krant & Co" || got[0].Lang != "en" {
		t.Errorf("first post = %+v", got[0])
	}
	if !strings.HasPrefix(got[1].ID, feedURL+"#sha256:") {
		t.Errorf("id without guid or link = %q, want a hash anchored to the feed", got[1].ID)
	}
	if len(got[2].Text) > post.MaxTextBytes {
		t.Errorf("long text is %d bytes", len(got[2].Text))
	}
	if got[3].Text != "Titel en meer" {
		t.Errorf("text = %q, want the summary alone when it starts with the title", got[3].Text)
	}
	for _, p := range got {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if !p.CreatedAt.Equal(now) {
			t.Errorf("%s: undated item created_at %v, want first seen %v", p.ID, p.CreatedAt, now)
		}
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "ftp://example.org/feed", "example.org/feed", "http://"} {
		if _, err := New(Config{URL: u}); err == nil {
			t.Errorf("New(%q) accepted a bad URL", u)
		}
	}
}

func TestCredentialsStayOutOfIDs(t *testing.T) {
	pub := &publisher{body: readFile(t, "rss.xml"), contentType: "application/rss+xml"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "lezer" || p != "geheim" {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		pub.ServeHTTP(w, r)
	}))
	defer srv.Close()
	private := strings.Replace(srv.URL, "http://", "http://lezer:geheim@", 1) + "/feed"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(Config{URL: private, Client: srv.Client(), Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []post.Post
	if err := s.Run(ctx, func(_ context.Context, p post.Post) error { got = append(got, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("emitted %d posts through basic auth, want 3", len(got))
	}
	for _, p := range append([]string{s.ID()}, ids(got)...) {
		if strings.Contains(p, "geheim") {
			t.Errorf("%q contains the password", p)
		}
	}
	if _, err := New(Config{URL: "ftp://lezer:geheim@example.org/"}); err == nil || strings.Contains(err.Error(), "geheim") {
		t.Errorf("New error %v", err)
	}
}
