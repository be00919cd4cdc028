package supervisor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// jetstream speaks Jetstream's subscribe protocol on loopback: commit events as JSON text messages,
// starting at the cursor (microseconds) when one is given, and then the connection stays open as a
// quiet live stream would.
type jetstream struct {
	mu      sync.Mutex
	events  []jetEvent
	cursors []string // the cursor of each connection, "" for none
}

type jetEvent struct {
	timeUS int64
	json   string
}

// add appends a post in lang, ten seconds after the previous event, so a reconnect's rewind of a few
// seconds reaches back exactly one event.
func (js *jetstream) add(rkey, lang, text string) {
	js.mu.Lock()
	defer js.mu.Unlock()
	t := time.Date(2026, 11, 20, 10, 0, 10*len(js.events), 0, time.UTC)
	ev := map[string]any{
		"did": "did:plc:anna4vqz6x7qj3ylb2cnl5mh", "time_us": t.UnixMicro(), "kind": "commit",
		"commit": map[string]any{
			"rev": "3mabc" + rkey, "operation": "create", "collection": "app.bsky.feed.post", "rkey": rkey,
			"cid":    "bafyreihq3nkx7a2pfbvvdhj6lszgqz4c5rjd3m2wq6a2k7z5yzk" + rkey,
			"record": map[string]any{"$type": "app.bsky.feed.post", "createdAt": t.Format(time.RFC3339Nano), "langs": []string{lang}, "text": text},
		},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	js.events = append(js.events, jetEvent{timeUS: t.UnixMicro(), json: string(b)})
}

func (js *jetstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if got := r.URL.Query()["wantedCollections"]; !slices.Contains(got, "app.bsky.feed.post") {
		http.Error(w, "wantedCollections must name app.bsky.feed.post", http.StatusBadRequest)
		return
	}
	cursor := r.URL.Query().Get("cursor")
	var from int64
	if cursor != "" {
		var err error
		if from, err = strconv.ParseInt(cursor, 10, 64); err != nil {
			http.Error(w, "bad cursor", http.StatusBadRequest)
			return
		}
	}
	js.mu.Lock()
	js.cursors = append(js.cursors, cursor)
	events := slices.Clone(js.events)
	js.mu.Unlock()
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	for _, ev := range events {
		if ev.timeUS < from {
			continue
		}
		if err := conn.Write(ctx, websocket.MessageText, []byte(ev.json)); err != nil {
			return
		}
	}
	_, _, _ = conn.Read(ctx) // until the client leaves
}

func (js *jetstream) seenCursors() []string {
	js.mu.Lock()
	defer js.mu.Unlock()
	return slices.Clone(js.cursors)
}

func TestBlueskySourceFiltersLanguagesAndResumes(t *testing.T) {
	e := newEnv(t)
	js := &jetstream{}
	for i, lang := range []string{"nl", "en", "nl", "nl", "en", "nl"} {
		js.add(fmt.Sprintf("a%d", i), lang, fmt.Sprintf("Bericht %d over de storing bij Vitens", i))
	}
	srv := httptest.NewServer(js)
	t.Cleanup(srv.Close)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	src := store.Source{ID: "bsky", Kind: store.SourceBluesky, Name: "Bluesky NL",
		Settings: Settings{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/subscribe", Langs: []string{"nl"}}.JSON(),
		Enabled:  true, CreatedAt: at, UpdatedAt: at}
	if err := e.st.CreateSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}

	_, stop := e.start(t)
	first := e.waitPosts(t, 4)
	for _, id := range first {
		if !strings.Contains(id, "/app.bsky.feed.post/a") {
			t.Fatalf("unexpected post id %q", id)
		}
	}
	lastUS := strconv.FormatInt(time.Date(2026, 11, 20, 10, 0, 50, 0, time.UTC).UnixMicro(), 10)
	// A quiet stream saves its cursor at most once a second, and for certain when it stops.
	stop()
	if c, err := e.st.Cursor(t.Context(), "bsky"); err != nil || c != lastUS {
		t.Fatalf("cursor after stop = %q, %v; want %s, the last event", c, err, lastUS)
	}

	js.add("b0", "nl", "Vitens: water weer drinkbaar")
	js.add("b1", "en", "Water is back in Deventer")
	js.add("b2", "nl", "Excuses van Vitens aan de wijk")
	e.start(t)
	var again []string
	for len(again) == 0 || !slices.Contains(again, postID("b2")) {
		again = append(again, e.waitPosts(t, 1)...)
	}
	// The restart resumed from the saved cursor (rewound a few seconds, as Jetstream advises), so it
	// may hand the last post before the stop to ingest again; the store keeps it once.
	for _, id := range again {
		if slices.Contains(first, id) && id != postID("a5") {
			t.Errorf("after the restart %s came again, from before the rewind window", id)
		}
	}
	if !slices.Contains(again, postID("b0")) || slices.Contains(again, postID("b1")) {
		t.Errorf("after the restart ingested %v; want b0 and b2, not the English b1", again)
	}
	cursors := js.seenCursors()
	if len(cursors) != 2 || cursors[0] != "" || cursors[1] == "" {
		t.Fatalf("connections sent cursors %q; want none, then the saved one", cursors)
	}
	if c, _ := strconv.ParseInt(cursors[1], 10, 64); c > mustInt(t, lastUS) || c < mustInt(t, lastUS)-int64(10*time.Second/time.Microsecond) {
		t.Errorf("resumed at cursor %s; want a little before %s", cursors[1], lastUS)
	}
	if n, err := e.st.CountPosts(t.Context()); err != nil || n != 6 {
		t.Errorf("stored %d posts (%v); want the 6 Dutch ones, each once", n, err)
	}
}

func postID(rkey string) string {
	return "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/" + rkey
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
