package source

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMalformedCountsEveryEventAndSamplesTheLog(t *testing.T) {
	tests := []struct {
		events   int
		wantLogs int
	}{
		{1, 1},
		{malformedLogAll, malformedLogAll},
		{2500, malformedLogAll + 2}, // the 1000th and 2000th as well
	}
	for _, tt := range tests {
		m, err := NewMetrics(prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, nil))
		tr := NewTracker("s1", clock.NewSim(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)), m)
		for i := 0; i < tt.events; i++ {
			tr.Malformed(logger, errors.New("decode event: bad json"))
		}
		st := tr.Status()
		if st.Malformed != int64(tt.events) || m.MalformedTotal("s1") != float64(tt.events) {
			t.Errorf("%d events: status %d, metric %v", tt.events, st.Malformed, m.MalformedTotal("s1"))
		}
		if st.LastError != "decode event: bad json" || st.Connected || st.Posts != 0 {
			t.Errorf("%d events: status %+v", tt.events, st)
		}
		if n := strings.Count(logs.String(), "skipping malformed event"); n != tt.wantLogs {
			t.Errorf("%d events: %d log lines, want %d", tt.events, n, tt.wantLogs)
		}
	}
	var nilTracker *Tracker
	nilTracker.Malformed(nil, errors.New("ignored")) // must not panic
}
