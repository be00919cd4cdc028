package web

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestIncidentEventStream: the room's stream says "changed" once the timeline grows, whoever wrote
// the entry, and ends when the browser goes away. The change must arrive well before the stream's
// 30-second tick, which only the incident hub can deliver: nothing re-reads the room on a timer.
func TestIncidentEventStream(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	id, err := strconv.ParseInt(strings.TrimPrefix(room, "/incidents/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), incidentTick/6)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+room+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	// The stream is open once its first comment arrives; only then can it miss nothing.
	for lines.Scan() && lines.Text() != ": connected" {
	}
	if _, err := h.web.deps.Incidents.AddNote(context.Background(), id, "From elsewhere", "colleague@example.nl"); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		if lines.Text() == "event: changed" {
			cancel()
			return
		}
	}
	t.Fatalf("no changed event before the stream ended: %v", lines.Err())
}

// TestIncidentHub: a change wakes the subscribers of that incident only; changes coalesce while one
// is pending, so Notify never blocks; cancel and Close end subscriptions.
func TestIncidentHub(t *testing.T) {
	h := NewIncidentHub()
	a, cancelA := h.Subscribe(1)
	b, cancelB := h.Subscribe(2)
	defer cancelB()
	if n := h.Subscribers(); n != 2 {
		t.Fatalf("%d subscribers, want 2", n)
	}
	for range 100 { // far more than any buffer: must not block
		h.Notify(1)
	}
	select {
	case <-a:
	default:
		t.Fatal("incident 1's subscriber was not woken")
	}
	select {
	case <-a:
		t.Fatal("100 changes while one was pending gave more than one wake-up")
	default:
	}
	select {
	case <-b:
		t.Fatal("incident 2's subscriber was woken by a change of incident 1")
	default:
	}
	cancelA()
	if _, open := <-a; open {
		t.Fatal("cancel left the channel open")
	}
	cancelA() // twice is harmless
	h.Notify(1)
	h.Close()
	if _, open := <-b; open {
		t.Fatal("Close left a subscription open")
	}
	if h.Subscribers() != 0 {
		t.Fatal("subscribers left after Close")
	}
	c, cancelC := h.Subscribe(3)
	defer cancelC()
	if _, open := <-c; open {
		t.Fatal("a subscription to a closed hub is open")
	}
}

// TestIncidentEventStreamEndsOnClose: closing the hub, as serve does when shutdown begins, ends an
// open room's stream, so the server's graceful shutdown does not wait for it.
func TestIncidentEventStreamEndsOnClose(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), incidentTick/6)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+room+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() && lines.Text() != ": connected" {
	}
	h.web.deps.IncidentHub.Close()
	for lines.Scan() {
	}
	if ctx.Err() != nil {
		t.Fatal("the stream was still open when the test gave up")
	}
}
