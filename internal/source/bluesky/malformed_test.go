package bluesky

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/prometheus/client_golang/prometheus"
)

// TestMalformedEventsAreCountedAndSkipped interleaves the recorded stream with events that cannot become
// posts and checks that each is logged with its reason and counted, and that every good post still arrives.
func TestMalformedEventsAreCountedAndSkipped(t *testing.T) {
	good := loadStream(t)
	bad := []struct {
		event  string
		reason string
	}{
		{`{"did":"did:plc:x","time_us":1795168800500000,"kind":"commit","commit":`, "decode event"},
		{`{"did":"did:plc:x","kind":"commit"}`, "no time_us"},
		{`{"did":"did:plc:x","time_us":1795168801500000,"kind":"commit","commit":{"rev":"3m","operation":"create","collection":"app.bsky.feed.post","rkey":"3mbad","record":"not an object"}}`, "decode post record"},
		{`{"did":"no-did","time_us":1795168802500000,"kind":"commit","commit":{"rev":"3m","operation":"create","collection":"app.bsky.feed.post","rkey":"3mbad2","record":{"text":"x","createdAt":"2026-11-20T10:00:00Z"}}}`, "bad did"},
		{`{"did":"did:plc:x","time_us":1795168803500000,"kind":"commit","commit":{"rev":"3m","operation":"create","collection":"app.bsky.feed.post","rkey":"3mbad3","record":{"text":"hoi","langs":"nl","createdAt":"2026-11-20T10:00:00Z"}}}`, "cannot unmarshal string"},
	}
	js := &jetstream{t: t}
	for i, ev := range good.events {
		js.events = append(js.events, ev)
		js.times = append(js.times, good.times[i])
		if i < len(bad) {
			js.events = append(js.events, bad[i].event)
			js.times = append(js.times, good.times[i])
		}
	}
	// The recording itself holds one broken record (a number for text), after all of the above.
	want := len(bad) + 1
	srv := httptest.NewServer(js)
	t.Cleanup(srv.Close)

	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	m, err := source.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	src := newSource(t, srv, nil, nil)
	src.cfg.Metrics = m
	src.tracker = source.NewTracker(src.cfg.ID, src.cfg.Clock, m)
	src.log = slog.New(slog.NewTextHandler(&logs, nil))

	got, err := runUntil(t, src, len(wantPosts))
	if err != nil {
		t.Fatal(err)
	}
	comparePosts(t, got, wantPosts)
	if st := src.Status(); st.Malformed != int64(want) {
		t.Errorf("status counts %d malformed, want %d", st.Malformed, want)
	}
	if n := m.MalformedTotal(src.ID()); n != float64(want) {
		t.Errorf("crisisdesk_source_malformed_total = %v, want %d", n, want)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var warned []string
	for _, l := range lines {
		if strings.Contains(l, "skipping malformed event") {
			warned = append(warned, l)
		}
	}
	if len(warned) != want {
		t.Fatalf("%d malformed warnings, want %d:\n%s", len(warned), want, logs.String())
	}
	for i, b := range bad {
		if !strings.Contains(warned[i], b.reason) {
			t.Errorf("warning %d %q does not give the reason %q", i, warned[i], b.reason)
		}
	}
}
