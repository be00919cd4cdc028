package alert

import (
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// The timing tests use a small language, as Alertmanager's do: at a time, push a signal or add a
// silence; then want each event between two times. Between steps the manager is ticked every ten
// simulated seconds, as replay and serve tick it.
type step struct {
	at      time.Duration
	sig     *detect.Signal
	silence *Silence
}

type want struct {
	from, to time.Duration
	status   string
	monitor  string
	kind     string
	severity Severity
}

func sig(monitor, kind string, observed, expected float64, reach int64) *detect.Signal {
	return &detect.Signal{Monitor: monitor, Kind: kind, Window: 10 * time.Minute, Observed: observed, Expected: expected,
		PValue: 1e-9, Reach: reach, Posts: int(observed), Authors: int(observed),
		Top: []detect.PostRef{{ID: kind + "-post", Reach: reach}}}
}

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func runSteps(t *testing.T, cfg Config, steps []step, until time.Duration) []Event {
	t.Helper()
	sim := clock.NewSim(start)
	m, err := New(cfg, sim, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var evs []Event
	now := time.Duration(0)
	tickTo := func(d time.Duration) {
		for ; now < d; now += 10 * time.Second {
			sim.Set(start.Add(now))
			evs = m.Tick(evs)
		}
		now = d
		sim.Set(start.Add(d))
		evs = m.Tick(evs)
	}
	for _, st := range steps {
		tickTo(st.at)
		if st.silence != nil {
			if err := m.AddSilence(*st.silence); err != nil {
				t.Fatal(err)
			}
		}
		if st.sig != nil {
			evs = m.Add(*st.sig, evs)
		}
	}
	tickTo(until)
	return evs
}

func TestTiming(t *testing.T) {
	const m1, m2 = "m1", "m2"
	vol, neg := detect.VolumeSpike, detect.NegativeSpike
	tests := []struct {
		name  string
		steps []step
		until time.Duration
		want  []want
	}{
		{
			name:  "a new alert is sent at once and resolves after a quiet half hour",
			steps: []step{{at: 2 * time.Minute, sig: sig(m1, vol, 20, 4, 1000)}},
			until: time.Hour,
			want: []want{
				{2 * time.Minute, 2 * time.Minute, Firing, m1, vol, Medium},
				{32 * time.Minute, 32*time.Minute + 10*time.Second, Resolved, m1, vol, Medium},
			},
		},
		{
			name: "a growing alert is one alert, updated once per group interval",
			steps: []step{
				{at: 2 * time.Minute, sig: sig(m1, vol, 20, 4, 1000)},
				{at: 3 * time.Minute, sig: sig(m1, vol, 25, 4, 1000)},
				{at: 4 * time.Minute, sig: sig(m1, vol, 30, 4, 1000)},
				{at: 8 * time.Minute, sig: sig(m1, vol, 32, 4, 1000)},
			},
			until: 20 * time.Minute,
			want: []want{
				{2 * time.Minute, 2 * time.Minute, Firing, m1, vol, Medium},
				{7 * time.Minute, 7*time.Minute + 10*time.Second, Updated, m1, vol, Medium},
				{12 * time.Minute, 12*time.Minute + 10*time.Second, Updated, m1, vol, Medium},
			},
		},
		{
			name: "a rise in severity is sent at once",
			steps: []step{
				{at: 2 * time.Minute, sig: sig(m1, vol, 20, 4, 1000)},
				{at: 3 * time.Minute, sig: sig(m1, vol, 60, 4, 1000)}, // ratio 15: one step up
			},
			until: 4 * time.Minute,
			want: []want{
				{2 * time.Minute, 2 * time.Minute, Firing, m1, vol, Medium},
				{3 * time.Minute, 3 * time.Minute, Updated, m1, vol, High},
			},
		},
		{
			name: "after resolution a cooldown holds back the same alert unless it is worse",
			steps: []step{
				{at: 0, sig: sig(m1, vol, 20, 4, 1000)},
				{at: 40 * time.Minute, sig: sig(m1, vol, 20, 4, 1000)},
				{at: 50 * time.Minute, sig: sig(m1, vol, 60, 4, 1000)},
			},
			until: 51 * time.Minute,
			want: []want{
				{0, 0, Firing, m1, vol, Medium},
				{30 * time.Minute, 30*time.Minute + 10*time.Second, Resolved, m1, vol, Medium},
				{50 * time.Minute, 50 * time.Minute, Firing, m1, vol, High},
			},
		},
		{
			name: "a silence holds back a monitor's alerts for its window only",
			steps: []step{
				{at: 0, silence: &Silence{ID: "launch", Monitor: m1, Start: start, End: start.Add(time.Hour)}},
				{at: 10 * time.Minute, sig: sig(m1, vol, 20, 4, 1000)},
				{at: 10 * time.Minute, sig: sig(m2, vol, 20, 4, 1000)},
				{at: 2 * time.Hour, sig: sig(m1, neg, 20, 4, 1000)},
			},
			until: 2*time.Hour + time.Minute,
			want: []want{
				{10 * time.Minute, 10 * time.Minute, Firing, m2, vol, Medium},
				{40 * time.Minute, 40*time.Minute + 10*time.Second, Resolved, m2, vol, Medium},
				{2 * time.Hour, 2 * time.Hour, Firing, m1, neg, High},
			},
		},
		{
			name: "a critical alert inhibits lower ones on its monitor, not on others",
			steps: []step{
				{at: 0, sig: sig(m1, vol, 20, 4, 5_000_000)},
				{at: time.Minute, sig: sig(m1, neg, 20, 4, 1000)},
				{at: time.Minute, sig: sig(m2, neg, 20, 4, 1000)},
			},
			until: 2 * time.Minute,
			want: []want{
				{0, 0, Firing, m1, vol, Critical},
				{time.Minute, time.Minute, Firing, m2, neg, High},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := runSteps(t, DefaultConfig(), tt.steps, tt.until)
			if len(evs) != len(tt.want) {
				for _, e := range evs {
					t.Logf("got %v %s %s %s %s", e.At.Sub(start), e.Status, e.Monitor, e.Kind, e.Severity)
				}
				t.Fatalf("%d events, want %d", len(evs), len(tt.want))
			}
			for i, w := range tt.want {
				e := evs[i]
				at := e.At.Sub(start)
				if at < w.from || at > w.to || e.Status != w.status || e.Monitor != w.monitor || e.Kind != w.kind || e.Severity != w.severity {
					t.Errorf("event %d: %v %s %s %s %s; want between %v and %v: %s %s %s %s", i, at, e.Status, e.Monitor, e.Kind,
						e.Severity, w.from, w.to, w.status, w.monitor, w.kind, w.severity)
				}
			}
		})
	}
}

func TestSeverity(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name string
		s    detect.Signal
		want Severity
	}{
		{"a volume spike", detect.Signal{Kind: detect.VolumeSpike, Observed: 20, Expected: 5}, Medium},
		{"a volume spike ten times the expected", detect.Signal{Kind: detect.VolumeSpike, Observed: 50, Expected: 5}, High},
		{"mostly negative and ten times", detect.Signal{Kind: detect.VolumeSpike, Observed: 50, Expected: 5, NegShare: 0.7}, Critical},
		{"a negative spike", detect.Signal{Kind: detect.NegativeSpike, Observed: 20, Expected: 5}, High},
		{"reach in the millions", detect.Signal{Kind: detect.ViralPost, Reach: 3_000_000}, Critical},
		{"predicted reach counts", detect.Signal{Kind: detect.ViralPost, Predicted: 200_000}, High},
		{"the press", detect.Signal{Kind: detect.InfluentialAuthor, AuthorKind: "press", Reach: 50_000}, High},
		{"a data breach", detect.Signal{Kind: "category:data_breach"}, High},
		{"an outage", detect.Signal{Kind: "category:service_outage"}, Medium},
		{"warm-up caps", detect.Signal{Kind: detect.ViralPost, Reach: 3_000_000, Warmup: true}, High},
	}
	for _, tt := range tests {
		if got := r.Severity(&tt.s); got != tt.want {
			t.Errorf("%s: severity %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, name := range []string{"low", "medium", "High", "CRITICAL"} {
		s, err := ParseSeverity(name)
		if err != nil || !strings.EqualFold(s.String(), name) {
			t.Errorf("ParseSeverity(%q) = %v, %v", name, s, err)
		}
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Error("ParseSeverity(urgent) gave no error")
	}
}

// Every kind has a summary in both languages, without formatting mistakes, and they differ.
func TestTexts(t *testing.T) {
	sigs := []detect.Signal{
		{Kind: detect.VolumeSpike, Window: 10 * time.Minute, Observed: 40, Expected: 4, PValue: 1e-9, Authors: 30, Reach: 5000},
		{Kind: detect.NegativeSpike, Window: time.Hour, Observed: 30, Expected: 6, NegShare: 0.6, ExpectedNeg: 0.2, Warmup: true},
		{Kind: detect.ViralPost, Subject: "p1", Velocity: 4, NormalVel: 0.3, Reach: 1000, Predicted: 600_000},
		{Kind: detect.InfluentialAuthor, AuthorKind: "press", Followers: 400_000, Top: []detect.PostRef{{ID: "p2", Author: "krant"}}},
		{Kind: "category:data_breach", Category: "data_breach", Window: time.Hour, Observed: 3, Expected: 0.1,
			Langs: []detect.Count{{Name: "nl", N: 3}}, Categories: []detect.Count{{Name: "data_breach", N: 3}}},
		{Kind: detect.CoordinatedCampaign, Window: 15 * time.Minute, Accounts: 6, Young: 5, Link: "x.example/a", LinkAccounts: 6},
	}
	for _, s := range sigs {
		en, nl := Summary(&s, "en"), Summary(&s, "nl")
		for _, txt := range []string{en, nl, Details(&s, "en"), Details(&s, "nl")} {
			if strings.Contains(txt, "%!") || txt == "" {
				t.Errorf("%s: bad text %q", s.Kind, txt)
			}
		}
		if en == nl {
			t.Errorf("%s: the Dutch summary is the English one: %q", s.Kind, en)
		}
		if s.Warmup && (!strings.Contains(en, "prior") || !strings.Contains(nl, "aanname")) {
			t.Errorf("%s: warm-up not said: %q / %q", s.Kind, en, nl)
		}
	}
}

// An event has the contract's fields and an explanation in both languages.
func TestEventJSON(t *testing.T) {
	evs := runSteps(t, DefaultConfig(), []step{{at: time.Minute, sig: sig("m1", detect.VolumeSpike, 20, 4, 1000)}}, time.Minute)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	b, err := json.Marshal(evs[0])
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"at", "monitor", "kind", "severity", "summary", "post_ids"} {
		if _, ok := got[f]; !ok {
			t.Errorf("event JSON lacks %q: %s", f, b)
		}
	}
	if got["severity"] != "medium" || got["kind"] != "volume_spike" {
		t.Errorf("event JSON %s", b)
	}
	text := got["explanation"].(map[string]any)["text"].(map[string]any)
	if text["en"] == "" || text["nl"] == "" {
		t.Errorf("explanation text %v, want en and nl", text)
	}
}

// Signals from several detector partitions may arrive at once.
func TestConcurrentUse(t *testing.T) {
	sim := clock.NewSim(start)
	m, err := New(DefaultConfig(), sim, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				m.Add(*sig("m"+strconv.Itoa(g), detect.VolumeSpike, float64(20+i), 4, 1000), nil)
				m.Tick(nil)
			}
		})
	}
	wg.Wait()
	if evs := m.Flush(nil); len(evs) != 4 {
		t.Errorf("%d alerts resolved at the end, want one per monitor", len(evs))
	}
}
