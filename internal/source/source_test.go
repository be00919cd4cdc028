package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/prometheus/client_golang/prometheus"
)

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: time.Second, Max: 30 * time.Second, Multiplier: 2}
	tests := []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{0, 0, 500 * time.Millisecond},
		{0, 0.999999999, time.Second - time.Nanosecond/2},
		{1, 0, time.Second},
		{1, 0.5, 1500 * time.Millisecond},
		{3, 1, 8 * time.Second},
		{5, 0, 15 * time.Second},    // 32s is capped at 30s
		{5, 1, 30 * time.Second},    // never above the cap
		{1000, 1, 30 * time.Second}, // overflow does not wrap
		{-1, 0, 500 * time.Millisecond},
		{0, 7, time.Second}, // r outside [0,1) is clamped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,r=%v", tt.n, tt.r), func(t *testing.T) {
			got := b.Delay(tt.n, tt.r)
			if d := got - tt.want; d < -time.Nanosecond || d > time.Nanosecond {
				t.Errorf("Delay(%d, %v) = %v, want %v", tt.n, tt.r, got, tt.want)
			}
		})
	}
	if got := (Backoff{}).Delay(0, 1); got != time.Second {
		t.Errorf("zero Backoff first delay = %v, want the 1s default", got)
	}
	if got := (Backoff{}).Delay(100, 1); got != 2*time.Minute {
		t.Errorf("zero Backoff max delay = %v, want the 2m default", got)
	}
}

// script is a ConnectFunc that plays one outcome per call and records when each call started in
// simulated time.
type script struct {
	clk      *clock.Sim
	outcomes []outcome
	calls    []time.Time
	cancel   context.CancelFunc
}

type outcome struct {
	up   bool          // call up() before failing
	hold time.Duration // simulated time the connection lasts
	err  error
}

func (s *script) connect(ctx context.Context, up func()) error {
	s.calls = append(s.calls, s.clk.Now())
	i := len(s.calls) - 1
	if i >= len(s.outcomes) {
		s.cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	o := s.outcomes[i]
	if o.up {
		up()
	}
	s.clk.Advance(o.hold)
	return o.err
}

func TestReconnectorBackoffInSimulatedTime(t *testing.T) {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	errNet := errors.New("connection reset by peer")
	tests := []struct {
		name      string
		outcomes  []outcome
		wantWaits []time.Duration
		wantErr   bool
		wantConns int
	}{
		{
			name:      "failures grow the wait until the cap",
			outcomes:  []outcome{{err: errNet}, {err: errNet}, {err: errNet}, {err: errNet}, {err: errNet}},
			wantWaits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second},
			wantConns: 6,
		},
		{
			name: "a connection that came up resets the backoff",
			outcomes: []outcome{{err: errNet}, {err: errNet}, {up: true, hold: time.Hour, err: errNet},
				{err: errNet}},
			wantWaits: []time.Duration{time.Second, 2 * time.Second, time.Second, 2 * time.Second},
			wantConns: 5,
		},
		{
			name:      "a clean close by the server is retried too",
			outcomes:  []outcome{{up: true, hold: time.Minute}},
			wantWaits: []time.Duration{time.Second},
			wantConns: 2,
		},
		{
			name:      "a permanent error stops the loop",
			outcomes:  []outcome{{err: errNet}, {err: Permanent(errors.New("401 Unauthorized"))}},
			wantWaits: []time.Duration{time.Second},
			wantErr:   true,
			wantConns: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			clk := clock.NewSim(start)
			s := &script{clk: clk, outcomes: tt.outcomes, cancel: cancel}
			var waits []time.Duration
			tr := NewTracker("test", clk, nil)
			r := &Reconnector{
				Backoff: Backoff{Initial: time.Second, Max: 5 * time.Second},
				Rand:    func() float64 { return 1 }, // the top of the jitter range, so waits are exact
				Sleep: func(ctx context.Context, d time.Duration) error {
					waits = append(waits, d)
					clk.Advance(d)
					return ctx.Err()
				},
				Tracker: tr,
			}
			err := r.Run(ctx, s.connect)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Run() error = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr && !IsPermanent(err) {
				t.Errorf("Run() error %v does not unwrap to the permanent error", err)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			if len(s.calls) != tt.wantConns {
				t.Errorf("connect called %d times, want %d", len(s.calls), tt.wantConns)
			}
			// Each call must start exactly when the previous connection ended plus the wait.
			for i := 1; i < len(s.calls) && i <= len(waits); i++ {
				want := s.calls[i-1].Add(tt.outcomes[i-1].hold).Add(waits[i-1])
				if !s.calls[i].Equal(want) {
					t.Errorf("call %d at %v, want %v", i, s.calls[i], want)
				}
			}
			st := tr.Status()
			if st.Connected {
				t.Error("status still connected after Run returned")
			}
			if st.Reconnects != int64(len(waits)) && !tt.wantErr {
				t.Errorf("status reconnects = %d, want %d", st.Reconnects, len(waits))
			}
		})
	}
}

func TestReconnectorStopsWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Reconnector{Sleep: Sleep, Backoff: Backoff{Initial: time.Hour}}
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx, func(ctx context.Context, up func()) error {
			calls++
			cancel() // the cancellation arrives during the hour-long wait that follows
			return errors.New("refused")
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() after cancel = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if calls != 1 {
		t.Errorf("connect called %d times, want 1", calls)
	}
}

func TestTrackerStatusAndMetrics(t *testing.T) {
	clk := clock.NewSim(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	// A second source wired against the same registry shares the collectors instead of failing.
	m2, err := NewMetrics(reg)
	if err != nil {
		t.Fatalf("second NewMetrics on one registry: %v", err)
	}
	a := NewTracker("bluesky", clk, m)
	b := NewTracker("rss:nos", clk, m2)

	a.SetConnected(true)
	a.Accepted(clk.Now().Add(-3 * time.Second))
	clk.Advance(time.Second)
	a.Accepted(clk.Now().Add(-2 * time.Second))
	b.Error(errors.New("GET feed: 503 Service Unavailable"))
	b.Reconnecting()

	st := a.Status()
	want := Status{ID: "bluesky", Connected: true, LastPostAt: clk.Now(), Lag: 2 * time.Second, Posts: 2}
	if st != want {
		t.Errorf("Status() = %+v, want %+v", st, want)
	}
	if bs := b.Status(); bs.LastError == "" || bs.Reconnects != 1 || bs.LastErrorAt.IsZero() {
		t.Errorf("b.Status() = %+v, want an error and one reconnect", bs)
	}

	got := gather(t, reg)
	for series, want := range map[string]float64{
		`crisisdesk_source_posts_total{source="bluesky"}`:                 2,
		`crisisdesk_source_posts_total{source="rss:nos"}`:                 0,
		`crisisdesk_source_connected{source="bluesky"}`:                   1,
		`crisisdesk_source_connected{source="rss:nos"}`:                   0,
		`crisisdesk_source_errors_total{source="bluesky"}`:                0,
		`crisisdesk_source_errors_total{source="rss:nos"}`:                1,
		`crisisdesk_source_reconnects_total{source="rss:nos"}`:            1,
		`crisisdesk_source_lag_seconds{source="bluesky"}`:                 2,
		`crisisdesk_source_last_post_timestamp_seconds{source="bluesky"}`: float64(clk.Now().Unix()),
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", series, v, ok, want)
		}
	}

	var nilTracker *Tracker
	nilTracker.Accepted(clk.Now()) // must not panic: sources without a tracker pass nil
	if got := nilTracker.Status(); got != (Status{}) {
		t.Errorf("nil tracker status = %+v", got)
	}
}

func TestMemoryCursors(t *testing.T) {
	ctx := context.Background()
	c := NewMemoryCursors()
	if got, err := c.Cursor(ctx, "bluesky"); err != nil || got != "" {
		t.Fatalf("Cursor on empty store = %q, %v", got, err)
	}
	if err := c.SetCursor(ctx, "bluesky", "1732096800000000"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Cursor(ctx, "bluesky"); got != "1732096800000000" {
		t.Errorf("Cursor = %q after SetCursor", got)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.SetCursor(cancelled, "bluesky", "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("SetCursor with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "  Storing bij de NS   vandaag ", "Storing bij de NS vandaag"},
		{"mastodon paragraphs and link",
			`<p>Weer een storing bij <a href="https://mastodon.social/tags/ns" class="mention hashtag" rel="tag">#<span>NS</span></a>.</p><p>Zie <a href="https://www.ns.nl/reisinformatie/storingen" rel="nofollow noopener" target="_blank"><span class="invisible">https://www.</span><span class="ellipsis">ns.nl/reisinformatie/st</span><span class="invisible">oringen</span></a></p>`,
			"Weer een storing bij #NS.\n\nZie https://www.ns.nl/reisinformatie/storingen"},
		{"line breaks and entities", "Eerste regel<br>tweede &amp; derde<br/>caf&eacute; &#8220;quote&#8221;", "Eerste regel\ntweede & derde\ncafé “quote”"},
		{"script and style dropped", `<style>p{color:red}</style>Nieuws<script>alert(1)</script> vandaag`, "Nieuws vandaag"},
		{"broken markup", `<p>Open <b>tag <i>nooit dicht`, "Open tag nooit dicht"},
		{"list", "<ul><li>een</li><li>twee</li></ul>", "een\n\ntwee"},
		{"invalid utf-8", "caf\xe9 open", "caf\uFFFD open"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLText(tt.in); got != tt.want {
				t.Errorf("HTMLText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"één", 1, ""}, // é is two bytes; cutting inside it backs off
		{"één", 2, "é"},
		{"één", 3, "é"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// gather reads every series of reg as "name{label="value"}" -> value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]float64)
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			out[f.GetName()+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	return out
}

func TestLanguage(t *testing.T) {
	for in, want := range map[string]string{"nl-NL": "nl", "en-us": "en", "EN": "en", "en_GB": "en", "": "",
		"dutch": "", "nld": "", "n1": "", " nl ": "nl"} {
		if got := Language(in); got != want {
			t.Errorf("Language(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"999999999", MaxRetryAfter},
		{"Fri, 20 Nov 2026 10:00:30 GMT", 30 * time.Second},
		{"Fri, 20 Nov 2026 09:00:00 GMT", 0}, // in the past
		{"Sat, 21 Nov 2026 10:00:00 GMT", MaxRetryAfter},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.header, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}

	// The reconnect loop waits for the longer of its backoff and the server's Retry-After.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	calls := 0
	r := &Reconnector{
		Backoff: Backoff{Initial: time.Second},
		Rand:    func() float64 { return 1 },
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		},
	}
	_ = r.Run(ctx, func(ctx context.Context, up func()) error {
		calls++
		switch calls {
		case 1:
			return RetryAfter(errors.New("429 Too Many Requests"), time.Minute)
		case 2:
			return RetryAfter(errors.New("503 Service Unavailable"), time.Millisecond) // shorter than backoff
		}
		cancel()
		return nil
	})
	if fmt.Sprint(waits) != fmt.Sprint([]time.Duration{time.Minute, 2 * time.Second}) {
		t.Errorf("waits %v, want [1m 2s]", waits)
	}
	if RetryAfter(nil, time.Second) != nil {
		t.Error("RetryAfter(nil) is not nil")
	}
}
