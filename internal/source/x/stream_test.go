package x

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/prometheus/client_golang/prometheus"
)

type harness struct {
	t       *testing.T
	fx      *fakeX
	srv     *httptest.Server
	cursors *source.MemoryCursors
	waits   []time.Duration
	onWait  func(n int)
	metrics *source.Metrics
	clock   *clock.Sim // shared by the clients and sources; the backoff sleeps move it
}

func newHarness(t *testing.T) *harness {
	fx := newFakeX(t)
	fx.rules = []Rule{{ID: "1859100000000000101", Value: "storing (Deventer OR water)", Tag: "m-storing"}}
	srv := httptest.NewServer(fx)
	t.Cleanup(srv.Close)
	m, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, fx: fx, srv: srv, cursors: source.NewMemoryCursors(), metrics: m, clock: clock.NewSim(fx.now)}
}

func (h *harness) client(token string) *Client {
	c, err := NewClient(ClientConfig{BaseURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Clock: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) source(token string) *Source {
	src, err := New(Config{
		Client:  h.client(token),
		Cursors: h.cursors,
		Clock:   h.clock,
		Metrics: h.metrics,
		Backoff: source.Backoff{Initial: time.Second},
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.waits = append(h.waits, d)
			h.clock.Advance(d)
			if h.onWait != nil {
				h.onWait(len(h.waits))
			}
			return ctx.Err()
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return src
}

// run runs src until n posts arrived.
func (h *harness) run(src *Source, n int) ([]post.Post, error) {
	h.t.Helper()
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
		h.t.Fatalf("timed out after %d of %d posts", len(got), n)
	}
	return got, err
}

func postIDs(ps []post.Post) string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID[len(p.ID)-1:])
	}
	return strings.Join(ids, ",")
}

// TestDisconnectResumesThroughRecentSearch cuts the stream mid-way while tweets keep being posted, and
// checks that every tweet arrives exactly once, in order, the missed ones through recent search.
func TestDisconnectResumesThroughRecentSearch(t *testing.T) {
	h := newHarness(t)
	h.fx.scripts = []connScript{{send: []int{0, 1}, drop: true}, {send: []int{4, 5}}}
	h.onWait = func(n int) {
		// Tweets 2 to 4 are posted while the client is away; the stream will not send 2 and 3 again.
		h.fx.mu.Lock()
		h.fx.posted = 5
		h.fx.mu.Unlock()
	}
	src := h.source(testToken)
	got, err := h.run(src, 6)
	if err != nil {
		t.Fatal(err)
	}
	if ids := postIDs(got); ids != "1,2,3,4,5,6" {
		t.Errorf("posts %s, want 1,2,3,4,5,6 each once", ids)
	}
	if len(h.waits) != 1 {
		t.Errorf("waits %v, want one reconnect", h.waits)
	}
	// One rule, three missed tweets, two per page: two search requests, the second with next_token.
	if len(h.fx.searches) != 2 {
		t.Fatalf("%d searches, want 2: %v", len(h.fx.searches), h.fx.searches)
	}
	for i, s := range h.fx.searches {
		if s["since_id"] != "1859200000000000002" || s["query"] != "storing (Deventer OR water)" {
			t.Errorf("search %d: %v", i, s)
		}
		if (s["next_token"] != "") != (i == 1) {
			t.Errorf("search %d next_token %q", i, s["next_token"])
		}
	}
	if c, _ := h.cursors.Cursor(context.Background(), src.ID()); c != "1859200000000000006" {
		t.Errorf("saved cursor %q", c)
	}
	if st := src.Status(); st.Posts != 6 || st.Reconnects != 1 {
		t.Errorf("status %+v", st)
	}
	if l := src.cfg.Client.RateLimit(SearchPath); l.Remaining != 449 || l.Limit != 450 {
		t.Errorf("rate limit %+v, want the search's headers", l)
	}

	// A restart with the saved cursor backfills from it and then listens.
	h.fx.mu.Lock()
	h.fx.scripts = nil // the stream stays quiet; only the backfill could (wrongly) emit anything
	h.fx.searches = nil
	h.fx.mu.Unlock()
	src2 := h.source(testToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var again []post.Post
	ran := make(chan error, 1)
	go func() {
		ran <- src2.Run(ctx, func(_ context.Context, p post.Post) error { again = append(again, p); return nil })
	}()
	// Let it run until the backfill's search was made, however slow the machine, and a while after, so
	// that anything the backfill (wrongly) emitted has been emitted.
	searched := func() bool { h.fx.mu.Lock(); defer h.fx.mu.Unlock(); return len(h.fx.searches) > 0 }
	for deadline := time.Now().Add(20 * time.Second); !searched() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("restart emitted %s again", postIDs(again))
	}
	if len(h.fx.searches) != 1 || h.fx.searches[0]["since_id"] != "1859200000000000006" {
		t.Errorf("restart searches %v, want one from the saved cursor", h.fx.searches)
	}
}

func TestStreamFailures(t *testing.T) {
	tests := []struct {
		name        string
		scripts     []connScript
		token       string
		searchFails []int
		want        int // posts to wait for
		wantErr     bool
		wantWaits   []time.Duration // lower bounds of the waits
		malformed   int64
	}{
		{
			name:      "connection limit waits for the rate-limit reset",
			scripts:   []connScript{{status: http.StatusTooManyRequests, resetAfter: 15 * time.Minute}, {send: []int{0}}},
			want:      1,
			wantWaits: []time.Duration{15 * time.Minute},
		},
		{
			name: "operational disconnect reconnects",
			scripts: []connScript{{send: []int{0}, extra: []string{`{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}`}},
				{send: []int{1}}},
			want:      2,
			wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name: "malformed lines are skipped",
			scripts: []connScript{{send: []int{0}, extra: []string{`{"data":{"id":"18592`, `{"data":{"id":"abc","text":"x"}}`, `{"meta":{}}`,
				`{"data":{"id":"1859200000000000099","text":"geen datum"}}`}, end: true},
				{send: []int{1}}},
			want:      2,
			malformed: 4,
		},
		{
			name:    "a bad token is permanent",
			scripts: []connScript{{send: []int{0}}},
			token:   "wrong",
			wantErr: true,
		},
		{
			name:        "a rate-limited backfill retries the connection",
			scripts:     []connScript{{send: []int{0}, drop: true}, {send: []int{2}}, {send: []int{2}}},
			searchFails: []int{http.StatusTooManyRequests},
			want:        3,
			wantWaits:   []time.Duration{500 * time.Millisecond, 15*time.Minute - time.Second}, // until the reset
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.fx.scripts = tt.scripts
			h.fx.searchStatus = tt.searchFails
			h.onWait = func(int) {
				h.fx.mu.Lock()
				h.fx.posted = max(h.fx.posted, 2)
				h.fx.mu.Unlock()
			}
			token := testToken
			if tt.token != "" {
				token = tt.token
			}
			src := h.source(token)
			got, err := h.run(src, tt.want)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if !source.IsPermanent(err) || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), testToken) {
					t.Errorf("error %v, want a permanent 401 without the token", err)
				}
				return
			}
			if len(got) != tt.want {
				t.Errorf("%d posts, want %d", len(got), tt.want)
			}
			seen := map[string]bool{}
			for _, p := range got {
				if seen[p.ID] {
					t.Errorf("post %s twice", p.ID)
				}
				seen[p.ID] = true
			}
			if len(h.waits) < len(tt.wantWaits) {
				t.Fatalf("waits %v, want at least %v", h.waits, tt.wantWaits)
			}
			for i, w := range tt.wantWaits {
				if h.waits[i] < w {
					t.Errorf("wait %d = %v, want at least %v", i, h.waits[i], w)
				}
			}
			if st := src.Status(); st.Malformed != tt.malformed {
				t.Errorf("malformed %d, want %d", st.Malformed, tt.malformed)
			}
		})
	}
}

// TestUsedUpWindowIsNotAskedAgain checks that after a response says the window is used up, the client
// waits for the reset instead of sending requests that can only earn another 429.
func TestUsedUpWindowIsNotAskedAgain(t *testing.T) {
	h := newHarness(t)
	h.fx.searchStatus = []int{http.StatusTooManyRequests}
	c := h.client(testToken)
	q := tweetQuery()
	q.Set("query", "storing")
	q.Set("max_results", "10")
	var sp searchPage
	err := c.getJSON(context.Background(), "recent search", SearchPath, q, &sp)
	if !IsStatus(err, http.StatusTooManyRequests) {
		t.Fatalf("first search: %v, want 429", err)
	}
	if l := c.RateLimit(SearchPath); l.Remaining != 0 || !l.Reset.Equal(h.fx.now.Add(15*time.Minute)) {
		t.Errorf("rate limit %+v", l)
	}
	err = c.getJSON(context.Background(), "recent search", SearchPath, q, &sp)
	if err == nil || !strings.Contains(err.Error(), "used up") || len(h.fx.searches) != 1 {
		t.Errorf("second search: %v after %d requests, want a local refusal", err, len(h.fx.searches))
	}
	h.clock.Advance(15 * time.Minute)
	if err := c.getJSON(context.Background(), "recent search", SearchPath, q, &sp); err != nil || len(h.fx.searches) != 2 {
		t.Errorf("after the reset: %v, %d requests", err, len(h.fx.searches))
	}
}
