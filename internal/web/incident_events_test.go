package web

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIncidentEventStream: the room's stream says "changed" once the timeline grows, whoever wrote
// the entry, and ends when the browser goes away.
func TestIncidentEventStream(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	id, err := strconv.ParseInt(strings.TrimPrefix(room, "/incidents/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
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
