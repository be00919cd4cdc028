package supervisor

import (
	"encoding/json"
	"fmt"
	"io"
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

// xAPI speaks the X API v2 filtered stream on loopback: the rules endpoint (list, add, delete) and the
// stream, which sends one recorded-shape tweet line and then stays open.
type xAPI struct {
	mu      sync.Mutex
	rules   []map[string]string
	added   []string // "tag=value"
	deleted []string
	streams int
}

const xTweet = `{"data":{"author_id":"1403881130802225152","conversation_id":"1859200000000000001","created_at":"2026-11-20T10:00:01.000Z","edit_history_tweet_ids":["1859200000000000001"],"id":"1859200000000000001","lang":"nl","public_metrics":{"retweet_count":3,"reply_count":1,"like_count":12,"quote_count":0,"bookmark_count":0,"impression_count":2210},"text":"Storing bij Zebrabank, al uren niet pinnen #storing"},"includes":{"users":[{"created_at":"2021-06-13T08:12:44.000Z","id":"1403881130802225152","name":"Anna de Vries","public_metrics":{"followers_count":1234,"following_count":200,"tweet_count":5121,"listed_count":3,"like_count":9000,"media_count":40},"username":"annadevries","verified":false,"verified_type":"none"}]},"matching_rules":[{"id":"2001","tag":"%s"}]}`

func (x *xAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer x-bearer-token" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
		return
	}
	if r.URL.Path == "/2/tweets/search/stream" {
		x.mu.Lock()
		x.streams++
		tag := ""
		if len(x.rules) > 0 {
			tag = x.rules[0]["tag"]
		}
		x.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, xTweet+"\r\n", tag)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // a live stream stays open until the client leaves
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case r.URL.Path == "/2/tweets/search/stream/rules" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": x.rules, "meta": map[string]any{"sent": "2026-11-20T09:59:00.000Z", "result_count": len(x.rules)}})
	case r.URL.Path == "/2/tweets/search/stream/rules" && r.Method == http.MethodPost:
		var body struct {
			Add    []map[string]string `json:"add"`
			Delete struct {
				IDs []string `json:"ids"`
			} `json:"delete"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var data []map[string]string
		for i, a := range body.Add {
			rule := map[string]string{"id": fmt.Sprint(2001 + i), "value": a["value"], "tag": a["tag"]}
			x.rules = append(x.rules, rule)
			x.added = append(x.added, a["tag"]+"="+a["value"])
			data = append(data, rule)
		}
		for _, id := range body.Delete.IDs {
			x.deleted = append(x.deleted, id)
			x.rules = slices.DeleteFunc(x.rules, func(r map[string]string) bool { return r["id"] == id })
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": data, "meta": map[string]any{"sent": "2026-11-20T09:59:01.000Z",
			"summary": map[string]int{"created": len(body.Add), "not_created": 0, "deleted": len(body.Delete.IDs), "not_deleted": 0}}})
	default:
		http.NotFound(w, r)
	}
}

func (x *xAPI) state() (added, deleted []string, streams int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.added), slices.Clone(x.deleted), x.streams
}

// TestXSourceSyncsRulesFromMonitors: an X source with rule sync makes the stream's rules those of the
// enabled monitors X can express, drops rules no monitor wants, and ingests what the stream sends.
func TestXSourceSyncsRulesFromMonitors(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, m := range []store.Monitor{
		{ID: "mzebra", Name: "Zebrabank", Query: "zebrabank AND storing", Enabled: true},
		{ID: "moff", Name: "Uit", Query: "vitens", Enabled: false},
		{ID: "mneg", Name: "Alleen negatief", Query: "sentiment:negative", Enabled: true},
	} {
		m.CreatedAt, m.UpdatedAt = at, at
		if err := e.st.CreateMonitor(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	api := &xAPI{rules: []map[string]string{{"id": "1001", "value": "oude regel", "tag": "mgone"}}}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	sup, _ := e.start(t, func(c *Config) { c.RulesEvery = 10 * time.Millisecond })
	syncWhenRunning(t, sup)
	mgr, err := NewManager(e.st, e.box, sup, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.Create(ctx, Input{Kind: store.SourceX, Name: "X", Enabled: true, Token: secret.New("x-bearer-token"),
		Settings: Settings{URL: srv.URL, SyncRules: true}}); err != nil {
		t.Fatal(err)
	}
	got := e.waitPosts(t, 1)
	if len(got) != 1 || !strings.Contains(got[0], "1859200000000000001") {
		t.Errorf("ingested %v, want the streamed tweet", got)
	}
	added, deleted, streams := api.state()
	if len(added) != 1 || !strings.HasPrefix(added[0], "mzebra=") || !strings.Contains(added[0], "zebrabank") {
		t.Errorf("rules added %q; want one for mzebra only (moff is off, mneg cannot be expressed)", added)
	}
	if !slices.Equal(deleted, []string{"1001"}) {
		t.Errorf("rules deleted %q; want the rule no monitor wants", deleted)
	}
	if streams != 1 {
		t.Errorf("stream opened %d times", streams)
	}

	// A monitor added later reaches the open stream's rules without a reconnect.
	m := store.Monitor{ID: "mvitens", Name: "Vitens", Query: "vitens AND water", Enabled: true, CreatedAt: at, UpdatedAt: at}
	if err := e.st.CreateMonitor(ctx, m); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		added, _, streams = api.state()
		if len(added) == 2 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("rules added %q; want mvitens to follow", added)
		default:
			runtimeGosched()
		}
	}
	if !strings.HasPrefix(added[1], "mvitens=") || streams != 1 {
		t.Errorf("rules added %q with the stream opened %d times; want mvitens added to the open stream", added, streams)
	}
}
