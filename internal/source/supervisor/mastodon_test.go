package supervisor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// mastodonStream speaks Mastodon's streaming API over SSE on loopback: it sends its statuses as update
// events to every client that presents the token it expects, then keeps the stream open.
type mastodonStream struct {
	mu       sync.Mutex
	token    string
	statuses []string
	seen     []string // Authorization header and path+query of each request
}

func (m *mastodonStream) status(id, text string) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC).Add(time.Duration(len(m.statuses)) * time.Minute)
	st := map[string]any{
		"id": id, "uri": "https://social.example/users/anna/statuses/" + id, "url": "https://social.example/@anna/" + id,
		"created_at": at.Format(time.RFC3339), "content": "<p>" + text + "</p>", "spoiler_text": "", "language": "nl",
		"visibility": "public", "in_reply_to_id": nil, "reblog": nil, "replies_count": 0, "reblogs_count": 2, "favourites_count": 5,
		"account": map[string]any{"id": "1091", "username": "anna", "acct": "anna", "display_name": "Anna de Vries",
			"url": "https://social.example/@anna", "followers_count": 412, "following_count": 180, "created_at": "2023-04-01T00:00:00.000Z", "bot": false},
		"tags": []map[string]string{{"name": "storing", "url": "https://social.example/tags/storing"}},
	}
	b, err := json.Marshal(st)
	if err != nil {
		panic(err)
	}
	m.mu.Lock()
	m.statuses = append(m.statuses, string(b))
	m.mu.Unlock()
}

func (m *mastodonStream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.seen = append(m.seen, r.Header.Get("Authorization")+" "+r.URL.RequestURI())
	ok := r.Header.Get("Authorization") == "Bearer "+m.token
	statuses := slices.Clone(m.statuses)
	m.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	if r.URL.Path == "/api/v1/timelines/tag/storing" {
		// The backfill after a reconnect: nothing was posted after min_id.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "[]")
		return
	}
	if r.URL.Path != "/api/v1/streaming/hashtag" || r.URL.Query().Get("tag") != "storing" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ":)\n")
	for _, st := range statuses {
		fmt.Fprintf(w, "event: update\ndata: %s\n\n", st)
	}
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

func (m *mastodonStream) setToken(tok string) {
	m.mu.Lock()
	m.token = tok
	m.mu.Unlock()
}

func (m *mastodonStream) requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.seen)
}

// TestMastodonTokenReachesThePlatformOnly: the token typed into the form is sealed in the store, opened
// by the supervisor, and sent to the instance as a bearer token; replacing it restarts the source with
// the new one.
func TestMastodonTokenReachesThePlatformOnly(t *testing.T) {
	e := newEnv(t)
	ms := &mastodonStream{token: "first-token"}
	ms.status("11301", "Alweer een #storing bij Vitens")
	ms.status("11302", "Ook hier geen water, #storing")
	srv := httptest.NewServer(ms)
	t.Cleanup(srv.Close)
	sup, _ := e.start(t)
	syncWhenRunning(t, sup)
	mgr, err := NewManager(e.st, e.box, sup, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	in := Input{Kind: store.SourceMastodon, Name: "Mastodon #storing", Enabled: true, Token: secret.New("wrong-token"),
		Settings: Settings{URL: srv.URL, Stream: StreamHashtag, Hashtag: "storing"}}
	view, err := mgr.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// A refused token stops the source with the instance's reason, and the token is not in it.
	deadline := time.After(10 * time.Second)
	for {
		st := sup.Statuses()[view.ID]
		if st.Problem != "" || st.LastError != "" {
			for _, s := range []string{st.Problem, st.LastError} {
				if strings.Contains(s, "wrong-token") {
					t.Errorf("status shows the token: %q", s)
				}
			}
			break
		}
		select {
		case <-deadline:
			t.Fatalf("no error for a refused token: %+v", st)
		default:
			runtimeGosched()
		}
	}

	in.Token = secret.New("first-token")
	if _, err := mgr.Update(ctx, view.ID, in); err != nil {
		t.Fatal(err)
	}
	got := e.waitPosts(t, 2)
	slices.Sort(got)
	if len(got) != 2 || !strings.HasSuffix(got[0], "11301") || !strings.HasSuffix(got[1], "11302") {
		t.Errorf("ingested %v, want the statuses 11301 and 11302", got)
	}
	if st := sup.Statuses()[view.ID]; !st.Connected || st.Posts != 2 {
		t.Errorf("status after the right token: %+v", st)
	}
	if reqs := ms.requests(); !slices.Contains(reqs, "Bearer first-token /api/v1/streaming/hashtag?tag=storing") {
		t.Errorf("requests %q lack the stream with the first token", reqs)
	}

	// A new token restarts the source with it; saving without one keeps it.
	ms.setToken("second-token")
	in.Token = secret.New("second-token")
	if _, err := mgr.Update(ctx, view.ID, in); err != nil {
		t.Fatal(err)
	}
	const stream = "Bearer second-token /api/v1/streaming/hashtag?tag=storing"
	waitStream := func(after int) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			reqs := ms.requests()
			if slices.Contains(reqs[after:], stream) && sup.Statuses()[view.ID].Connected {
				return
			}
			select {
			case <-deadline:
				t.Fatalf("requests since #%d: %q", after, reqs[after:])
			default:
				runtimeGosched()
			}
		}
	}
	waitStream(0)
	before := len(ms.requests())
	in.Token = secret.Secret{}
	in.Name = "Mastodon storing"
	if _, err := mgr.Update(ctx, view.ID, in); err != nil {
		t.Fatal(err)
	}
	waitStream(before)
	reqs := ms.requests()
	for _, r := range reqs[slices.Index(reqs, stream):] {
		if !strings.HasPrefix(r, "Bearer second-token ") {
			t.Errorf("after the token change a request went out as %q", r)
		}
	}
}
