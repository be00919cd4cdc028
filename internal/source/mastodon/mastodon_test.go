package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

func loadStatuses(t *testing.T) ([]json.RawMessage, []Status) {
	t.Helper()
	b, err := os.ReadFile("testdata/statuses.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	sts := make([]Status, len(raw))
	for i, r := range raw {
		if sts[i], err = DecodeStatus(r); err != nil {
			t.Fatal(err)
		}
	}
	return raw, sts
}

// instance follows Mastodon's streaming and timeline APIs for one hashtag. Each stream connection plays one
// script: indexes of statuses to send as update events, then either an abrupt drop or an open stream with
// heartbeats until the client leaves. The timeline holds the statuses "posted" so far.
type instance struct {
	t      *testing.T
	raw    []json.RawMessage
	ids    []string
	token  string // required bearer token, if set
	closed bool   // the timeline refuses anonymous and token readers alike
	// backlog statuses reach the timeline, though not the stream, by the time a backfill asks for them:
	// they were posted while the client was disconnected.
	backlog int

	mu        sync.Mutex
	scripts   []script
	posted    int // statuses visible on the timeline
	streamReq []*http.Request
	timeReq   []*http.Request
}

type script struct {
	send   []int
	drop   bool // cut the connection abruptly after sending
	end    bool // end the response cleanly after sending
	status int  // refuse the handshake with this status
	silent bool // send nothing at all after the opening comment, not even heartbeats
	hang   bool // never answer the request at all
}

func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if in.token != "" && r.Header.Get("Authorization") != "Bearer "+in.token {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"The access token is invalid"}`)
		return
	}
	switch {
	case r.URL.Path == "/api/v1/streaming/hashtag":
		in.stream(w, r)
	case r.URL.Path == "/api/v1/timelines/tag/storing":
		in.timeline(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (in *instance) stream(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	in.streamReq = append(in.streamReq, r)
	var sc script
	if len(in.scripts) > 0 {
		sc = in.scripts[0]
		in.scripts = in.scripts[1:]
	}
	in.mu.Unlock()
	if r.URL.Query().Get("tag") != "storing" {
		http.Error(w, `{"error":"No tag"}`, http.StatusBadRequest)
		return
	}
	if sc.status != 0 {
		http.Error(w, `{"error":"Error"}`, sc.status)
		return
	}
	if sc.hang {
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	flusher := w.(http.Flusher)
	io.WriteString(w, ":)\n")
	flusher.Flush()
	if sc.silent {
		<-r.Context().Done()
		return
	}
	for _, i := range sc.send {
		in.mu.Lock()
		in.posted = max(in.posted, i+1)
		in.mu.Unlock()
		fmt.Fprintf(w, "event: update\ndata: %s\n\n", compact(in.raw[i]))
		// Events the client must pass over: a heartbeat, an edit and a deletion.
		io.WriteString(w, ":thump\n")
		fmt.Fprintf(w, "event: status.update\r\ndata: %s\r\n\r\n", compact(in.raw[i]))
		io.WriteString(w, "event: delete\ndata: 113519999999999999\n\n")
		flusher.Flush()
	}
	if sc.drop {
		panic(http.ErrAbortHandler) // cut the connection without ending the chunked body
	}
	if sc.end {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(5 * time.Millisecond):
			if _, err := io.WriteString(w, ":thump\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// timeline answers GET /api/v1/timelines/tag/:tag with min_id paging: the statuses right after min_id,
// newest first.
func (in *instance) timeline(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	in.timeReq = append(in.timeReq, r)
	in.posted = max(in.posted, in.backlog)
	posted := in.posted
	in.mu.Unlock()
	if in.closed {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		io.WriteString(w, `{"error":"This method requires an authenticated user"}`)
		return
	}
	minID := r.URL.Query().Get("min_id")
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 40 {
		limit = 20
	}
	var page []json.RawMessage
	for i := 0; i < posted && len(page) < limit; i++ {
		if idLess(minID, in.ids[i]) {
			page = append(page, in.raw[i])
		}
	}
	for i, j := 0, len(page)-1; i < j; i, j = i+1, j-1 {
		page[i], page[j] = page[j], page[i]
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

func (in *instance) post(n int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.posted = max(in.posted, n)
}

func (in *instance) requests() (stream, timeline []*http.Request) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]*http.Request(nil), in.streamReq...), append([]*http.Request(nil), in.timeReq...)
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		panic(err)
	}
	return out.Bytes()
}

func newInstance(t *testing.T) (*instance, []Status) {
	raw, sts := loadStatuses(t)
	in := &instance{t: t, raw: raw}
	for _, s := range sts {
		in.ids = append(in.ids, s.ID)
	}
	return in, sts
}

func run(t *testing.T, src *Source, n int) ([]post.Post, error) {
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

func newSource(t *testing.T, srv *httptest.Server, token string, cursors source.CursorStore, waits *[]time.Duration) *Source {
	t.Helper()
	src, err := New(Config{
		URL:     srv.URL + "/api/v1/streaming/hashtag?tag=storing",
		Token:   token,
		Client:  srv.Client(),
		Cursors: cursors,
		Clock:   clock.NewSim(time.Date(2026, 11, 20, 10, 0, 10, 0, time.UTC)),
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

func statusIDs(ps []post.Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID[strings.LastIndex(p.ID, "/")+1:])
	}
	return out
}

func TestStreamReconnectBackfillsTheGap(t *testing.T) {
	tests := []struct {
		name    string
		scripts []script
		want    []string
		conns   int
	}{
		{
			name:    "one connection",
			scripts: []script{{send: []int{0, 1, 2, 3, 4, 5}}},
			want:    []string{"101", "102", "103", "104", "105", "106"},
			conns:   1,
		},
		{
			name:    "a drop, two statuses posted meanwhile, and an overlap with the stream",
			scripts: []script{{send: []int{0, 1, 2}, drop: true}, {status: 502}, {send: []int{4, 5}}},
			want:    []string{"101", "102", "103", "104", "105", "106"},
			conns:   3,
		},
		{
			name:    "a server that closes the stream cleanly",
			scripts: []script{{send: []int{0}, end: true}, {send: []int{1, 2, 3, 4, 5}}},
			want:    []string{"101", "102", "103", "104", "105", "106"},
			conns:   2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, _ := newInstance(t)
			in.token = "s3cret-token"
			in.scripts = tt.scripts
			in.backlog = 5
			srv := httptest.NewServer(in)
			defer srv.Close()
			var waits []time.Duration
			cursors := source.NewMemoryCursors()
			src := newSource(t, srv, in.token, cursors, &waits)
			got, err := run(t, src, 6)
			if err != nil {
				t.Fatalf("Run() = %v", err)
			}
			var want []string
			for _, id := range tt.want {
				want = append(want, "113520000000000"+id)
			}
			if g := statusIDs(got); strings.Join(g, ",") != strings.Join(want, ",") {
				t.Errorf("emitted %v, want %v", g, want)
			}
			streams, timelines := in.requests()
			if len(streams) != tt.conns {
				t.Errorf("%d stream connections, want %d", len(streams), tt.conns)
			}
			for _, r := range append(streams, timelines...) {
				if r.Header.Get("Authorization") != "Bearer s3cret-token" {
					t.Errorf("%s sent Authorization %q", r.URL, r.Header.Get("Authorization"))
				}
			}
			if streams[0].Header.Get("Accept") != "text/event-stream" {
				t.Errorf("stream Accept = %q", streams[0].Header.Get("Accept"))
			}
			// The first connection has no cursor and so no backfill; every later one pages from the cursor.
			if tt.conns > 1 {
				if len(timelines) == 0 {
					t.Fatal("no backfill after a reconnect")
				}
				if got := timelines[0].URL.Query().Get("min_id"); got == "" {
					t.Errorf("backfill without min_id: %s", timelines[0].URL)
				}
			} else if len(timelines) != 0 {
				t.Errorf("backfill on a first start: %s", timelines[0].URL)
			}
			if c, _ := cursors.Cursor(context.Background(), src.ID()); c != "113520000000000106" {
				t.Errorf("saved cursor %q", c)
			}
		})
	}
}

func TestRestartBackfillsFromSavedCursor(t *testing.T) {
	in, _ := newInstance(t)
	in.scripts = []script{{send: []int{0, 1}}, {send: []int{5}}}
	srv := httptest.NewServer(in)
	defer srv.Close()
	cursors := source.NewMemoryCursors()
	if _, err := run(t, newSource(t, srv, "", cursors, nil), 2); err != nil {
		t.Fatal(err)
	}
	in.post(6) // 103 to 106 are posted while the process is down
	got, err := run(t, newSource(t, srv, "", cursors, nil), 4)
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(statusIDs(got), ","); g != "113520000000000103,113520000000000104,113520000000000105,113520000000000106" {
		t.Errorf("after restart emitted %s", g)
	}
	_, timelines := in.requests()
	if len(timelines) == 0 || timelines[0].URL.Query().Get("min_id") != "113520000000000102" {
		t.Errorf("restart backfill requests %v, want min_id=113520000000000102 first", timelines)
	}
}

func TestStreamFailures(t *testing.T) {
	t.Run("a rejected token stops the source", func(t *testing.T) {
		in, _ := newInstance(t)
		in.token = "right"
		srv := httptest.NewServer(in)
		defer srv.Close()
		src := newSource(t, srv, "wrong", nil, nil)
		_, err := run(t, src, 1)
		if err == nil || !source.IsPermanent(err) || !strings.Contains(err.Error(), "The access token is invalid") {
			t.Fatalf("Run() = %v, want a permanent error with the server's reason", err)
		}
		if strings.Contains(err.Error(), "wrong") {
			t.Errorf("error %q contains the token", err)
		}
	})
	t.Run("a closed timeline leaves the stream running", func(t *testing.T) {
		in, _ := newInstance(t)
		in.closed = true
		in.scripts = []script{{send: []int{0}, drop: true}, {send: []int{2}}}
		srv := httptest.NewServer(in)
		defer srv.Close()
		src := newSource(t, srv, "", nil, nil)
		got, err := run(t, src, 2)
		if err != nil {
			t.Fatal(err)
		}
		if g := strings.Join(statusIDs(got), ","); g != "113520000000000101,113520000000000103" {
			t.Errorf("emitted %s", g)
		}
		if st := src.Status(); !strings.Contains(st.LastError, "backfill") {
			t.Errorf("status last error %q, want the backfill failure", st.LastError)
		}
	})
	t.Run("a server that never answers is abandoned after the idle timeout", func(t *testing.T) {
		in, _ := newInstance(t)
		in.scripts = []script{{hang: true}, {send: []int{0}}}
		srv := httptest.NewServer(in)
		defer srv.Close()
		src := newSource(t, srv, "", nil, nil)
		// The timeout also bounds the next, answering connection: it must be long enough for a loaded
		// machine to answer a loopback request in, or that one is abandoned too.
		src.cfg.IdleTimeout = 2 * time.Second
		got, err := run(t, src, 1)
		if err != nil || len(got) != 1 {
			t.Fatalf("Run() = %v with %d posts", err, len(got))
		}
		if st := src.Status(); !strings.Contains(st.LastError, "no response") {
			t.Errorf("status last error %q, want the handshake timeout", st.LastError)
		}
	})
	t.Run("a silent connection is abandoned after the idle timeout", func(t *testing.T) {
		in, _ := newInstance(t)
		in.scripts = []script{{silent: true}, {send: []int{0}}}
		srv := httptest.NewServer(in)
		defer srv.Close()
		src := newSource(t, srv, "", nil, nil)
		// The timeout also bounds the next, answering connection: it must be long enough for a loaded
		// machine to answer a loopback request in, or that one is abandoned too.
		src.cfg.IdleTimeout = 2 * time.Second
		got, err := run(t, src, 1)
		if err != nil || len(got) != 1 {
			t.Fatalf("Run() = %v with %d posts", err, len(got))
		}
		if st := src.Status(); !strings.Contains(st.LastError, "no data or heartbeat") {
			t.Errorf("status last error %q, want the idle timeout", st.LastError)
		}
	})
}

func TestToPost(t *testing.T) {
	_, sts := loadStatuses(t)
	annaCreated := time.Date(2022, 11, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		st   Status
		want post.Post
	}{
		{"a local status with a link", sts[0], post.Post{
			ID: "https://social.example/users/anna/statuses/113520000000000101", Platform: "mastodon",
			Text:      "Weer geen water in Keizerslanden. #storing\n\nZie https://www.omroepoost.example/nieuws/2318841",
			CreatedAt: time.Date(2026, 11, 20, 10, 0, 1, 0, time.UTC), Lang: "nl",
			URL: "https://social.example/@anna/113520000000000101",
			Author: post.Author{ID: "https://social.example/users/anna", Handle: "anna@social.example",
				Name: "Anna de Vries", Followers: 1234, Following: 200, CreatedAt: &annaCreated},
			Metrics: post.Metrics{Likes: 11, Reposts: 5, Replies: 2},
		}},
		{"a reply from a remote account", sts[1], post.Post{
			ID: "https://mastodon.example/users/bert/statuses/113520000000000102", Platform: "mastodon",
			Text:      "@anna hier ook, sinds 7 uur & geen bericht van Vitens #storing",
			CreatedAt: time.Date(2026, 11, 20, 10, 0, 2, 0, time.UTC), Lang: "nl",
			URL:     "https://mastodon.example/@bert/113520000000000102",
			ReplyTo: "https://social.example/api/v1/statuses/113520000000000101",
			Author: post.Author{ID: "https://mastodon.example/users/bert", Handle: "bert@mastodon.example",
				Name: "Bert 🚰", Followers: 87, Following: 140, CreatedAt: &annaCreated},
			Metrics: post.Metrics{Likes: 3},
		}},
		{"a reblog by a bot carries the original text", sts[2], post.Post{
			ID: "https://bots.example/users/storingsbot/statuses/113520000000000103", Platform: "mastodon",
			Text:      "Al drie uur geen water in #Deventer.",
			CreatedAt: time.Date(2026, 11, 20, 10, 0, 3, 0, time.UTC), Lang: "nl",
			URL:      "https://bots.example/@storingsbot/113520000000000103",
			RepostOf: "https://mastodon.example/users/bert/statuses/113520000000000010",
			Author: post.Author{ID: "https://bots.example/users/storingsbot", Handle: "storingsbot@bots.example",
				Name: "Storingen Oost", Followers: 5021, CreatedAt: &annaCreated, Kind: "unknown"},
		}},
		{"a content warning comes first", sts[3], post.Post{
			ID: "https://social.example/users/anna/statuses/113520000000000104", Platform: "mastodon",
			Text:      "waterstoring Deventer\n\nZe zeggen nu rond het middaguur. #storing",
			CreatedAt: time.Date(2026, 11, 20, 10, 0, 4, 0, time.UTC), Lang: "nl",
			URL: "https://social.example/@anna/113520000000000104",
			Author: post.Author{ID: "https://social.example/users/anna", Handle: "anna@social.example",
				Name: "Anna de Vries", Followers: 1234, Following: 200, CreatedAt: &annaCreated},
		}},
		{"a quote", sts[4], post.Post{
			ID: "https://mastodon.example/users/bert/statuses/113520000000000105", Platform: "mastodon",
			Text:      "Dit. #storing",
			CreatedAt: time.Date(2026, 11, 20, 10, 0, 5, 0, time.UTC), Lang: "nl",
			URL:     "https://mastodon.example/@bert/113520000000000105",
			QuoteOf: "https://mastodon.example/users/bert/statuses/113520000000000010",
			Author: post.Author{ID: "https://mastodon.example/users/bert", Handle: "bert@mastodon.example",
				Name: "Bert 🚰", Followers: 87, Following: 140, CreatedAt: &annaCreated},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToPost("social.example", tt.st)
			if err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tt.want)
			if string(g) != string(w) {
				t.Errorf("ToPost()\n got %s\nwant %s", g, w)
			}
		})
	}

	bad := []struct {
		name string
		st   Status
	}{
		{"no id or uri", Status{CreatedAt: "2026-11-20T10:00:00Z"}},
		{"bad created_at", Status{ID: "1", CreatedAt: "gisteren"}},
		{"negative counts are clamped, not rejected", Status{}},
	}
	for _, tt := range bad[:2] {
		if _, err := ToPost("social.example", tt.st); err == nil {
			t.Errorf("%s: ToPost accepted it", tt.name)
		}
	}
	p, err := ToPost("social.example", Status{ID: "7", CreatedAt: "2026-11-20T10:00:00Z", FavouritesCount: -3})
	if err != nil || p.Metrics.Likes != 0 || p.ID != "https://social.example/7" {
		t.Errorf("status without uri: %+v, %v", p, err)
	}
}

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []sseEvent
		err  error
	}{
		{"update, heartbeat and delete", ":)\nevent: update\ndata: {\"id\":\"1\"}\n\n:thump\n\nevent: delete\ndata: 1\n\n",
			[]sseEvent{{"update", []byte(`{"id":"1"}`)}, {"delete", []byte("1")}}, io.EOF},
		{"CRLF and multi-line data", "event: update\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n",
			[]sseEvent{{"update", []byte("{\"a\":\n1}")}}, io.EOF},
		{"no space after the colon, unknown fields", "id: 5\nretry: 100\nevent:delete\ndata:9\n\n",
			[]sseEvent{{"delete", []byte("9")}}, io.EOF},
		{"cut inside a line", "event: update\ndata: {\"id\"", nil, io.ErrUnexpectedEOF},
		{"too large", "data: " + strings.Repeat("x", 300) + "\n\n", nil, errEventTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := 0
			r := newSSEReader(strings.NewReader(tt.in), 256, func() { lines++ })
			var got []sseEvent
			var err error
			for {
				var ev sseEvent
				if ev, err = r.Next(); err != nil {
					break
				}
				got = append(got, ev)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("final error %v, want %v", err, tt.err)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("events %q, want %q", got, tt.want)
			}
			if tt.err == io.EOF && lines == 0 {
				t.Error("onLine never ran")
			}
		})
	}
}

func TestTimelineFor(t *testing.T) {
	tests := []struct{ stream, want string }{
		{"https://m.example/api/v1/streaming/public", "https://m.example/api/v1/timelines/public"},
		{"https://m.example/api/v1/streaming/public/local?only_media=true", "https://m.example/api/v1/timelines/public?local=true&only_media=true"},
		{"https://m.example/api/v1/streaming/public/remote", "https://m.example/api/v1/timelines/public?remote=true"},
		{"https://m.example/api/v1/streaming/hashtag?tag=storing", "https://m.example/api/v1/timelines/tag/storing"},
		{"https://m.example/api/v1/streaming/hashtag/local?tag=caf%C3%A9", "https://m.example/api/v1/timelines/tag/caf%C3%A9?local=true"},
		{"https://m.example/api/v1/streaming/user", "https://m.example/api/v1/timelines/home"},
		{"https://m.example/api/v1/streaming/list?list=12", "https://m.example/api/v1/timelines/list/12"},
		{"https://m.example/api/v1/streaming/hashtag", ""},
		{"https://m.example/api/v1/streaming/direct", ""},
	}
	for _, tt := range tests {
		s, err := New(Config{URL: tt.stream})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if s.timeline != nil {
			got = s.timeline.String()
		}
		if got != tt.want {
			t.Errorf("timelineFor(%s) = %s, want %s", tt.stream, got, tt.want)
		}
	}
	for _, bad := range []string{"https://m.example/api/v1/timelines/public", "wss://m.example/api/v1/streaming",
		"https://user:pw@m.example/api/v1/streaming/public",
		"https://m.example/api/v1/streaming/public?access_token=abc"} {
		if _, err := New(Config{URL: bad}); err == nil {
			t.Errorf("New(%q) accepted it", bad)
		}
	}
}

func TestIDLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "1", true},
		{"99", "100", true},
		{"100", "99", false},
		{"113520000000000101", "113520000000000102", true},
		{"AbC9", "AbCA", true}, // sortable flake ids compare as text
		{"5", "5", false},
	}
	for _, tt := range tests {
		if got := idLess(tt.a, tt.b); got != tt.want {
			t.Errorf("idLess(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestEmitFailureStopsBeforeTheCursorMoves(t *testing.T) {
	in, _ := newInstance(t)
	in.scripts = []script{{send: []int{0, 1, 2}}}
	srv := httptest.NewServer(in)
	defer srv.Close()
	cursors := source.NewMemoryCursors()
	src := newSource(t, srv, "", cursors, nil)
	refuse := errors.New("queue full")
	n := 0
	err := src.Run(context.Background(), func(context.Context, post.Post) error {
		n++
		if n == 2 {
			return refuse
		}
		return nil
	})
	if !errors.Is(err, refuse) || !source.IsPermanent(err) {
		t.Fatalf("Run() = %v, want the emit error, permanent", err)
	}
	// The refused status must come again, from the backfill of the next run.
	if c, _ := cursors.Cursor(context.Background(), src.ID()); c != "113520000000000101" {
		t.Errorf("cursor %q, want the last accepted status", c)
	}
}
