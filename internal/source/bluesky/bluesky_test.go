package bluesky

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/klauspost/compress/zstd"
)

// jetstream replays a recorded event stream the way Jetstream does: from the cursor if one is given,
// oldest first. It can drop a connection abruptly after a number of events, as a restarting server or a
// broken network would.
type jetstream struct {
	t      *testing.T
	events []string
	times  []int64

	mu      sync.Mutex
	drops   []int // events to send on each successive connection before dropping it; afterwards: all
	queries []url.Values
	status  []int         // handshake statuses to refuse with before accepting
	enc     *zstd.Encoder // compresses events for clients that ask with compress=true
}

func loadStream(t *testing.T) *jetstream {
	t.Helper()
	f, err := os.Open("testdata/stream.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	js := &jetstream{t: t}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		ev, err := DecodeEvent(sc.Bytes())
		if err != nil {
			t.Fatalf("recorded event %d: %v", len(js.events)+1, err)
		}
		js.events = append(js.events, sc.Text())
		js.times = append(js.times, ev.TimeUS)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return js
}

func (js *jetstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	js.mu.Lock()
	js.queries = append(js.queries, r.URL.Query())
	if len(js.status) > 0 {
		code := js.status[0]
		js.status = js.status[1:]
		js.mu.Unlock()
		http.Error(w, http.StatusText(code), code)
		return
	}
	limit := len(js.events)
	if len(js.drops) > 0 {
		limit = js.drops[0]
		js.drops = js.drops[1:]
	}
	js.mu.Unlock()

	start := 0
	if c := r.URL.Query().Get("cursor"); c != "" {
		cur, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			http.Error(w, "bad cursor", http.StatusBadRequest)
			return
		}
		for start < len(js.times) && js.times[start] < cur {
			start++
		}
	}
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		js.t.Errorf("accept: %v", err)
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	sent := 0
	for i := start; i < len(js.events); i++ {
		if sent == limit {
			return // the deferred CloseNow drops the TCP connection without a close frame
		}
		typ, msg := websocket.MessageText, []byte(js.events[i])
		if js.enc != nil && r.URL.Query().Get("compress") == "true" {
			typ, msg = websocket.MessageBinary, js.enc.EncodeAll(msg, nil)
		}
		if err := conn.Write(ctx, typ, msg); err != nil {
			return
		}
		sent++
	}
	// Everything is sent; a live stream would stay open, so wait for the client to leave.
	_, _, _ = conn.Read(ctx)
}

func (js *jetstream) seenQueries() []url.Values {
	js.mu.Lock()
	defer js.mu.Unlock()
	return append([]url.Values(nil), js.queries...)
}

// wantPosts are the posts in testdata/stream.jsonl, in stream order.
var wantPosts = []post.Post{
	{
		ID:        "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a",
		Platform:  "bluesky",
		Text:      "Weer geen water in Deventer, al uren. Zie https://www.omroepoost.example/nieuws/2318841/waterleiding-gesprongen-in-deventer",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 812e6, time.UTC),
		Lang:      "nl",
		URL:       "https://bsky.app/profile/did:plc:anna4vqz6x7qj3ylb2cnl5mh/post/3mabc2k3jcs2a",
		Author:    post.Author{ID: "did:plc:anna4vqz6x7qj3ylb2cnl5mh", Handle: "anna.bsky.social"},
	},
	{
		ID:        "at://did:plc:bobq5b7s3rw2y4kq6x2cqf4a/app.bsky.feed.post/3mabc2mvyq22c",
		Platform:  "bluesky",
		Text:      "Hier ook. @vitens.example weet iemand meer? #storing",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 2, 731e6, time.UTC),
		Lang:      "nl",
		URL:       "https://bsky.app/profile/did:plc:bobq5b7s3rw2y4kq6x2cqf4a/post/3mabc2mvyq22c",
		ReplyTo:   "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a",
		Author:    post.Author{ID: "did:plc:bobq5b7s3rw2y4kq6x2cqf4a"},
	},
	{
		ID:        "at://did:plc:carolm2n4v6b7c5x3z2l1k9j/app.bsky.feed.post/3mabc2nczpk2d",
		Platform:  "bluesky",
		Text:      "Dit dus. Vitens, wanneer komt er een update?",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 3, 402e6, time.UTC),
		Lang:      "nl",
		URL:       "https://bsky.app/profile/did:plc:carolm2n4v6b7c5x3z2l1k9j/post/3mabc2nczpk2d",
		QuoteOf:   "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a",
		Author:    post.Author{ID: "did:plc:carolm2n4v6b7c5x3z2l1k9j"},
	},
	{
		ID:        "at://did:plc:dave8h3k2m5n7b4v6c1x9z0q/app.bsky.feed.post/3mabc2ogxkc2f",
		Platform:  "bluesky",
		Text:      "Foto van de straat, alles staat blank",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 5, 117e6, time.UTC),
		Lang:      "nl",
		URL:       "https://bsky.app/profile/did:plc:dave8h3k2m5n7b4v6c1x9z0q/post/3mabc2ogxkc2f",
		QuoteOf:   "at://did:plc:carolm2n4v6b7c5x3z2l1k9j/app.bsky.feed.post/3mabc2nczpk2d",
		Author:    post.Author{ID: "did:plc:dave8h3k2m5n7b4v6c1x9z0q"},
	},
	{
		ID:        "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2pxdws2h",
		Platform:  "bluesky",
		Text:      "Update: water is back on in most streets, thanks to the crews out there.",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 8, 990e6, time.UTC),
		Lang:      "en",
		URL:       "https://bsky.app/profile/did:plc:anna4vqz6x7qj3ylb2cnl5mh/post/3mabc2pxdws2h",
		Author:    post.Author{ID: "did:plc:anna4vqz6x7qj3ylb2cnl5mh", Handle: "anna.bsky.social"},
	},
	{
		ID:        "at://did:plc:erin6z2x4c8v0b3n5m7k1j9h/app.bsky.feed.post/3mabc2r3zgk2j",
		Platform:  "bluesky",
		Text:      "Wij leveren vandaag gratis flessen water in Keizerslanden 💧",
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 10, 250e6, time.UTC),
		Lang:      "nl",
		URL:       "https://bsky.app/profile/did:plc:erin6z2x4c8v0b3n5m7k1j9h/post/3mabc2r3zgk2j",
		Author:    post.Author{ID: "did:plc:erin6z2x4c8v0b3n5m7k1j9h"},
	},
}

const lastTimeUS = 1795168811000000

// runUntil runs src until it has emitted n posts or the test's patience runs out.
func runUntil(t *testing.T, src *Source, n int) ([]post.Post, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []post.Post
	err := src.Run(ctx, func(_ context.Context, p post.Post) error {
		got = append(got, p)
		if len(got) == n {
			cancel()
		}
		return nil
	})
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("timed out after %d of %d posts", len(got), n)
	}
	return got, err
}

func newSource(t *testing.T, srv *httptest.Server, cursors source.CursorStore, waits *[]time.Duration) *Source {
	t.Helper()
	src, err := New(Config{
		URL:     strings.Replace(srv.URL, "http://", "ws://", 1) + "/subscribe",
		Cursors: cursors,
		Clock:   clock.NewSim(time.UnixMicro(lastTimeUS).Add(time.Second)),
		Backoff: source.Backoff{Initial: time.Second},
		Sleep: func(ctx context.Context, d time.Duration) error {
			if waits != nil {
				*waits = append(*waits, d)
			}
			return ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestReconnectResumesWithoutGapOrDuplicate(t *testing.T) {
	tests := []struct {
		name  string
		drops []int
	}{
		{"no drop", nil},
		{"drop after the quote with media", []int{7}},
		{"drop right after the first post", []int{2}},
		{"two drops, the second inside the replayed overlap", []int{7, 3}},
		{"drop before any event", []int{0, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := loadStream(t)
			js.drops = tt.drops
			srv := httptest.NewServer(js)
			defer srv.Close()
			cursors := source.NewMemoryCursors()
			var waits []time.Duration
			src := newSource(t, srv, cursors, &waits)
			got, err := runUntil(t, src, len(wantPosts))
			if err != nil {
				t.Fatalf("Run() = %v", err)
			}
			comparePosts(t, got, wantPosts)

			queries := js.seenQueries()
			if len(queries) != len(tt.drops)+1 {
				t.Errorf("%d connections, want %d", len(queries), len(tt.drops)+1)
			}
			for i, q := range queries {
				if got := q["wantedCollections"]; len(got) != 1 || got[0] != CollectionPost {
					t.Errorf("connection %d wantedCollections = %v", i, got)
				}
			}
			if queries[0].Get("cursor") != "" {
				t.Errorf("first connection sent cursor %q without a saved one", queries[0].Get("cursor"))
			}
			// Every reconnect asks for 5 s before the newest event handled so far, which a replayed overlap
			// does not move.
			newest := -1
			for i, drop := range tt.drops {
				if drop > 0 {
					newest = max(newest, lastIndexAfter(js, queries[i], drop))
				}
				q := queries[i+1]
				if newest < 0 {
					if q.Get("cursor") != "" {
						t.Errorf("reconnect %d sent cursor %q with nothing handled", i+1, q.Get("cursor"))
					}
					continue
				}
				want := strconv.FormatInt(js.times[newest]-5_000_000, 10)
				if q.Get("cursor") != want {
					t.Errorf("reconnect %d cursor = %s, want %s (5 s before %d)", i+1, q.Get("cursor"), want,
						js.times[newest])
				}
			}
			if len(waits) != len(tt.drops) {
				t.Errorf("backoff waits %v, want one per drop", waits)
			}
			if c, _ := cursors.Cursor(context.Background(), src.ID()); c != strconv.FormatInt(lastTimeUS, 10) {
				t.Errorf("saved cursor %q, want %d", c, int64(lastTimeUS))
			}
			st := src.Status()
			if st.Posts != int64(len(wantPosts)) || st.Connected {
				t.Errorf("status %+v", st)
			}
			if st.Lag != time.Second {
				t.Errorf("status lag %v, want 1s (sim clock 1s after the last event)", st.Lag)
			}
		})
	}
}

// lastIndexAfter is the index of the last event a connection with query q delivered when it dropped after
// drop events.
func lastIndexAfter(js *jetstream, q url.Values, drop int) int {
	start := 0
	if c := q.Get("cursor"); c != "" {
		cur, _ := strconv.ParseInt(c, 10, 64)
		for start < len(js.times) && js.times[start] < cur {
			start++
		}
	}
	return start + drop - 1
}

func comparePosts(t *testing.T, got, want []post.Post) {
	t.Helper()
	if len(got) != len(want) {
		var ids []string
		for _, p := range got {
			ids = append(ids, p.ID)
		}
		t.Fatalf("got %d posts, want %d:\n%s", len(got), len(want), strings.Join(ids, "\n"))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Platform != w.Platform || g.Text != w.Text || !g.CreatedAt.Equal(w.CreatedAt) ||
			g.Lang != w.Lang || g.URL != w.URL || g.ReplyTo != w.ReplyTo || g.QuoteOf != w.QuoteOf ||
			g.RepostOf != w.RepostOf || g.Author != w.Author {
			t.Errorf("post %d\n got %+v\nwant %+v", i, g, w)
		}
		if err := g.Validate(); err != nil {
			t.Errorf("post %d invalid: %v", i, err)
		}
	}
}

func TestRestartResumesFromSavedCursor(t *testing.T) {
	js := loadStream(t)
	srv := httptest.NewServer(js)
	defer srv.Close()
	cursors := source.NewMemoryCursors()
	// The first run stops after three posts; the cursor then points at the third post's event.
	if _, err := runUntil(t, newSource(t, srv, cursors, nil), 3); err != nil {
		t.Fatal(err)
	}
	saved, _ := cursors.Cursor(context.Background(), "bluesky:"+strings.TrimPrefix(srv.URL, "http://"))
	if saved != strconv.FormatInt(js.times[4], 10) {
		t.Fatalf("saved cursor %q, want the time of the third post %d", saved, js.times[4])
	}
	// A new process has no memory of handled events, so posts inside the 5 s rewind arrive again; ingest
	// drops them by id. What matters is that nothing after the cursor is missing.
	got, err := runUntil(t, newSource(t, srv, cursors, nil), 6)
	if err != nil {
		t.Fatal(err)
	}
	q := js.seenQueries()
	if c := q[len(q)-1].Get("cursor"); c != strconv.FormatInt(js.times[4]-5_000_000, 10) {
		t.Errorf("restart cursor %s, want 5 s before the saved one", c)
	}
	ids := map[string]bool{}
	for _, p := range got {
		ids[p.ID] = true
	}
	for _, w := range wantPosts[3:] {
		if !ids[w.ID] {
			t.Errorf("post %s after the cursor is missing after a restart", w.ID)
		}
	}
}

func TestHandshakeErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    []int
		wantErr   bool
		wantWaits int
	}{
		{"server busy is retried", []int{503, 502}, false, 2},
		{"rate limited is retried", []int{429}, false, 1},
		{"bad request is permanent", []int{400}, true, 0},
		{"not found is permanent", []int{404}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := loadStream(t)
			js.status = tt.status
			srv := httptest.NewServer(js)
			defer srv.Close()
			var waits []time.Duration
			src := newSource(t, srv, nil, &waits)
			n := len(wantPosts)
			if tt.wantErr {
				n = -1
			}
			got, err := runUntil(t, src, n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Run() = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr {
				comparePosts(t, got, wantPosts)
			}
			if len(waits) != tt.wantWaits {
				t.Errorf("waits %v, want %d", waits, tt.wantWaits)
			}
		})
	}
}

func TestEmitFailureStops(t *testing.T) {
	js := loadStream(t)
	srv := httptest.NewServer(js)
	defer srv.Close()
	cursors := source.NewMemoryCursors()
	src := newSource(t, srv, cursors, nil)
	refuse := errors.New("queue full")
	n := 0
	err := src.Run(context.Background(), func(context.Context, post.Post) error {
		n++
		if n == 2 {
			return refuse
		}
		return nil
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("Run() = %v, want the emit error", err)
	}
	// The cursor must stop before the refused post (the fourth event), so it comes again: at the like
	// handled after the first post.
	if c, _ := cursors.Cursor(context.Background(), src.ID()); c != strconv.FormatInt(js.times[2], 10) {
		t.Errorf("cursor %q, want %d, the last event before the refused post", c, js.times[2])
	}
}

func TestHandleCache(t *testing.T) {
	c := newHandleCache(2)
	c.set("did:plc:a", "a.example")
	c.set("did:plc:b", "b.example")
	c.get("did:plc:a") // a is now more recent than b
	c.set("did:plc:c", "c.example")
	tests := []struct{ did, want string }{
		{"did:plc:a", "a.example"},
		{"did:plc:b", ""}, // evicted as least recently used
		{"did:plc:c", "c.example"},
	}
	for _, tt := range tests {
		if got := c.get(tt.did); got != tt.want {
			t.Errorf("get(%s) = %q, want %q", tt.did, got, tt.want)
		}
	}
	c.set("did:plc:a", "handle.invalid")
	if got := c.get("did:plc:a"); got != "" {
		t.Errorf("handle.invalid kept as %q", got)
	}
}

func TestSubscribeURL(t *testing.T) {
	tests := []struct {
		url    string
		cursor int64
		want   string
	}{
		{"wss://jetstream.example/subscribe", 0, "wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post"},
		{"https://jetstream.example/subscribe?cursor=1", 1795168811000000,
			"wss://jetstream.example/subscribe?cursor=1795168806000000&wantedCollections=app.bsky.feed.post"},
		{"ws://127.0.0.1:6008/subscribe", 3_000_000, "ws://127.0.0.1:6008/subscribe?cursor=1&wantedCollections=app.bsky.feed.post"},
	}
	for _, tt := range tests {
		s, err := New(Config{URL: tt.url})
		if err != nil {
			t.Fatal(err)
		}
		s.cursor = tt.cursor
		if got := s.subscribeURL(); got != tt.want {
			t.Errorf("subscribeURL(%s, %d) = %s, want %s", tt.url, tt.cursor, got, tt.want)
		}
	}
	for _, bad := range []string{"", "ftp://x/subscribe", "jetstream.example"} {
		if _, err := New(Config{URL: bad}); err == nil {
			t.Errorf("New(%q) accepted a bad URL", bad)
		}
	}
}

// dictionary trains a zstd dictionary on the recorded events, as Jetstream trained its own on real traffic.
func dictionary(t *testing.T, js *jetstream) []byte {
	t.Helper()
	// The history is the first half of the stream and the training samples the second, so the samples
	// still hold literals the dictionary's tables can learn from.
	var contents [][]byte
	var history []byte
	for i, e := range js.events {
		if i < len(js.events)/2 {
			history = append(history, e...)
		} else {
			contents = append(contents, []byte(e))
		}
	}
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{ID: 0x4a53, Contents: contents, History: history,
		Offsets: [3]int{1, 4, 8}})
	if err != nil {
		t.Fatal(err)
	}
	return dict
}

func TestZstdCompression(t *testing.T) {
	js := loadStream(t)
	dict := dictionary(t, js)
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDict(dict))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	js.enc = enc
	js.drops = []int{4} // the rewind and dedupe work the same on compressed messages
	srv := httptest.NewServer(js)
	defer srv.Close()
	src := newSource(t, srv, nil, nil)
	src.cfg.ZstdDictionary = dict
	got, err := runUntil(t, src, len(wantPosts))
	if err != nil {
		t.Fatalf("Run() = %v", err)
	}
	comparePosts(t, got, wantPosts)
	for i, q := range js.seenQueries() {
		if q.Get("compress") != "true" {
			t.Errorf("connection %d did not ask for compression: %v", i, q)
		}
	}
	if st := src.Status(); st.LastError != "" && !strings.Contains(st.LastError, "decode post record") {
		t.Errorf("status error %q", st.LastError)
	}

	// The messages really were compressed: decoding one without the dictionary fails.
	plain, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.DecodeAll(enc.EncodeAll([]byte(js.events[1]), nil), nil); err == nil {
		t.Error("a frame made with the dictionary decoded without it")
	}
}

func TestZstdBadDictionary(t *testing.T) {
	_, err := New(Config{URL: "wss://jetstream.example/subscribe", ZstdDictionary: []byte("\x37\xa4\x30\xecnot a dictionary")})
	if err == nil {
		t.Error("New accepted a broken zstd dictionary")
	}
}

func TestZstdBomb(t *testing.T) {
	js := loadStream(t)
	dict := dictionary(t, js)
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDict(dict))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	// A message that inflates beyond the read limit is skipped, not decoded into memory.
	bomb := enc.EncodeAll([]byte(strings.Repeat(" ", 4<<20)), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		_ = c.Write(r.Context(), websocket.MessageBinary, enc.EncodeAll([]byte(js.events[0]), nil))
		_ = c.Write(r.Context(), websocket.MessageBinary, bomb)
		_ = c.Write(r.Context(), websocket.MessageBinary, enc.EncodeAll([]byte(js.events[1]), nil))
		_, _, _ = c.Read(r.Context())
	}))
	defer srv.Close()
	src := newSource(t, srv, nil, nil)
	src.cfg.ZstdDictionary = dict
	got, err := runUntil(t, src, 1)
	if err != nil {
		t.Fatal(err)
	}
	comparePosts(t, got, wantPosts[:1])
	if st := src.Status(); !strings.Contains(st.LastError, "decompress") {
		t.Errorf("status error %q, want the refused decompression", st.LastError)
	}
}

func TestSilentConnectionIsAbandoned(t *testing.T) {
	js := loadStream(t)
	var mu sync.Mutex
	conns := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns++
		n := conns
		mu.Unlock()
		if n == 1 {
			// Accept, then say nothing: a connection that died without TCP noticing looks like this.
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			<-r.Context().Done()
			return
		}
		js.ServeHTTP(w, r)
	}))
	defer srv.Close()
	src := newSource(t, srv, nil, nil)
	// Long enough that the answering connection after it never pauses that long on a loaded machine,
	// which would make it a second, unwanted reconnect.
	src.cfg.IdleTimeout = 2 * time.Second
	got, err := runUntil(t, src, len(wantPosts))
	if err != nil {
		t.Fatal(err)
	}
	comparePosts(t, got, wantPosts)
	mu.Lock()
	defer mu.Unlock()
	if st := src.Status(); st.Reconnects != 1 || conns != 2 {
		t.Errorf("%d connections, status %+v; want one reconnect after the read timeout", conns, st)
	}
}

func TestRecentSetStaysBounded(t *testing.T) {
	src, err := New(Config{URL: "wss://jetstream.example/subscribe"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	emitted := 0
	emit := func(context.Context, post.Post) error { emitted++; return nil }
	event := func(i int) []byte {
		return []byte(fmt.Sprintf(`{"did":"did:plc:load%d","time_us":%d,"kind":"commit","commit":{"rev":"r%d","operation":"create","collection":"app.bsky.feed.post","rkey":"k%d","record":{"text":"p","createdAt":"2026-11-20T10:00:00Z"}}}`,
			i%50, int64(lastTimeUS)+int64(i)*10_000, i, i))
	}
	const n = 10000 // 100 s of stream at 100 events per second
	for i := range n {
		if err := src.handle(ctx, event(i), emit); err != nil {
			t.Fatal(err)
		}
	}
	// The rewind window (2 × 5 s) holds 1000 events; the set may lag a sweep behind but not grow with n.
	if got := len(src.recent); got > 8192 {
		t.Errorf("recent set holds %d keys after %d events", got, n)
	}
	// An event from inside the window is still recognised when a rewind replays it.
	if err := src.handle(ctx, event(n-10), emit); err != nil {
		t.Fatal(err)
	}
	if emitted != n {
		t.Errorf("emitted %d, want %d: a replayed event inside the window came out again", emitted, n)
	}
}
