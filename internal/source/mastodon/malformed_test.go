package mastodon

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/prometheus/client_golang/prometheus"
)

// TestMalformedEventsAreCountedAndSkipped sends update events that cannot become posts between good ones
// and checks that each is logged with its reason and counted, and that the stream goes on.
func TestMalformedEventsAreCountedAndSkipped(t *testing.T) {
	raw, sts := loadStatuses(t)
	bad := []struct {
		data   string
		reason string
	}{
		{`{"id":"113520000000000001","content":`, "decode status"},
		{`["an","array"]`, "decode status"},
		{`{"content":"<p>zonder id</p>","created_at":"2026-11-20T10:00:00.000Z"}`, "status without id"},
		{`{"id":"113520000000000002","uri":"https://example.social/users/a/statuses/2","created_at":"gisteren","content":"<p>x</p>"}`, "created_at"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, ":)\n")
		for i, st := range raw {
			fmt.Fprintf(w, "event: update\ndata: %s\n\n", compact(st))
			if i < len(bad) {
				fmt.Fprintf(w, "event: update\ndata: %s\n\n", bad[i].data)
			}
		}
		w.(http.Flusher).Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
				if _, err := io.WriteString(w, ":thump\n"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}))
	t.Cleanup(srv.Close)

	m, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	src := newSource(t, srv, "", nil, nil)
	src.tracker = source.NewTracker(src.ID(), src.cfg.Clock, m)
	src.log = slog.New(slog.NewTextHandler(&logs, nil))

	want := 0
	for _, st := range sts {
		if _, err := ToPost("example.social", st); err == nil {
			want++
		}
	}
	got, err := run(t, src, want)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != want {
		t.Fatalf("%d posts, want %d", len(got), want)
	}
	if st := src.Status(); st.Malformed != int64(len(bad)) {
		t.Errorf("status counts %d malformed, want %d", st.Malformed, len(bad))
	}
	if n := m.MalformedTotal(src.ID()); n != float64(len(bad)) {
		t.Errorf("crisisdesk_source_malformed_total = %v, want %d", n, len(bad))
	}
	var warned []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "skipping malformed event") {
			warned = append(warned, l)
		}
	}
	if len(warned) != len(bad) {
		t.Fatalf("%d malformed warnings, want %d:\n%s", len(warned), len(bad), logs.String())
	}
	for i, b := range bad {
		if !strings.Contains(warned[i], b.reason) {
			t.Errorf("warning %d %q does not give the reason %q", i, warned[i], b.reason)
		}
	}
}
