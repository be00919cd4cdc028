package source

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Status is a snapshot of one source's health, for the UI and the readiness probe.
type Status struct {
	ID         string    `json:"id"`
	Connected  bool      `json:"connected"`
	LastPostAt time.Time `json:"last_post_at,omitzero"` // when the last post was accepted
	// Lag is how far behind the platform the source was at its last accepted post: the time of acceptance
	// minus the event time the platform gave (Jetstream's time_us, a feed item's date).
	Lag        time.Duration `json:"lag_ns"`
	Posts      int64         `json:"posts"`
	Reconnects int64         `json:"reconnects"`
	// Malformed counts events the platform sent that could not become a post (bad JSON, a record that
	// breaks the post contract); they were skipped and the stream went on.
	Malformed   int64     `json:"malformed"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
}

// Metrics are the Prometheus metrics of all sources in one process, labelled by source id.
type Metrics struct {
	connected  *prometheus.GaugeVec
	posts      *prometheus.CounterVec
	errs       *prometheus.CounterVec
	reconnects *prometheus.CounterVec
	malformed  *prometheus.CounterVec
	lag        *prometheus.GaugeVec
	lastPost   *prometheus.GaugeVec
}

// NewMetrics creates the source metrics and registers them on reg. A nil reg leaves them unregistered,
// which tests use. Registering twice on one registry reuses the collectors already there, so two sources
// wired against the same registry share them.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	label := []string{"source"}
	m := &Metrics{
		connected: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "connected",
			Help: "1 while the source holds a live connection to its platform, else 0.",
		}, label),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "posts_total",
			Help: "Posts the source emitted and the pipeline accepted.",
		}, label),
		errs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "errors_total",
			Help: "Connection, polling and decoding errors.",
		}, label),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "reconnects_total",
			Help: "Reconnection attempts after a lost connection or a failed poll.",
		}, label),
		malformed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "malformed_total",
			Help: "Events skipped because they could not be decoded or mapped to a valid post.",
		}, label),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "lag_seconds",
			Help: "Acceptance time minus platform event time of the last accepted post.",
		}, label),
		lastPost: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "crisisdesk", Subsystem: "source", Name: "last_post_timestamp_seconds",
			Help: "Unix time at which the last post was accepted.",
		}, label),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	m.connected, err = register(reg, m.connected)
	if err != nil {
		return nil, err
	}
	if m.posts, err = register(reg, m.posts); err != nil {
		return nil, err
	}
	if m.errs, err = register(reg, m.errs); err != nil {
		return nil, err
	}
	if m.reconnects, err = register(reg, m.reconnects); err != nil {
		return nil, err
	}
	if m.malformed, err = register(reg, m.malformed); err != nil {
		return nil, err
	}
	if m.lag, err = register(reg, m.lag); err != nil {
		return nil, err
	}
	if m.lastPost, err = register(reg, m.lastPost); err != nil {
		return nil, err
	}
	return m, nil
}

// MalformedTotal reads the malformed-events counter of one source, for tests and the status page.
func (m *Metrics) MalformedTotal(sourceID string) float64 {
	var d dto.Metric
	if err := m.malformed.WithLabelValues(sourceID).Write(&d); err != nil {
		return 0
	}
	return d.GetCounter().GetValue()
}

// Forget removes every series of a source that no longer exists, so /metrics stops reporting a
// source that was deleted. A nil *Metrics ignores it.
func (m *Metrics) Forget(sourceID string) {
	if m == nil {
		return
	}
	for _, v := range []interface{ DeleteLabelValues(...string) bool }{m.connected, m.posts, m.errs, m.reconnects, m.malformed, m.lag, m.lastPost} {
		v.DeleteLabelValues(sourceID)
	}
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

// Tracker keeps one source's Status and mirrors it into the metrics. A nil *Tracker ignores every call, so
// code paths need not check. It is safe for concurrent use.
type Tracker struct {
	clock clock.Clock
	m     *Metrics

	mu sync.Mutex
	st Status
}

// NewTracker returns a tracker for the source id. A nil clk means the real clock; a nil m records no
// metrics.
func NewTracker(id string, clk clock.Clock, m *Metrics) *Tracker {
	if clk == nil {
		clk = clock.Real{}
	}
	t := &Tracker{clock: clk, st: Status{ID: id}, m: m}
	if m != nil {
		// Touch every series so they show up as 0 before the first event, which makes absent() alerts and
		// rate() work from the start.
		m.connected.WithLabelValues(id).Set(0)
		m.posts.WithLabelValues(id)
		m.errs.WithLabelValues(id)
		m.reconnects.WithLabelValues(id)
		m.malformed.WithLabelValues(id)
	}
	return t
}

// Status returns a copy of the current status.
func (t *Tracker) Status() Status {
	if t == nil {
		return Status{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.st
}

// SetConnected records whether the source holds a live connection.
func (t *Tracker) SetConnected(up bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.Connected = up
	if t.m != nil {
		v := 0.0
		if up {
			v = 1
		}
		t.m.connected.WithLabelValues(t.st.ID).Set(v)
	}
}

// Accepted records one post accepted by the pipeline; eventTime is when the platform says it happened.
func (t *Tracker) Accepted(eventTime time.Time) {
	if t == nil {
		return
	}
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.Posts++
	t.st.LastPostAt = now
	if !eventTime.IsZero() {
		t.st.Lag = max(now.Sub(eventTime), 0)
	}
	if t.m != nil {
		t.m.posts.WithLabelValues(t.st.ID).Inc()
		t.m.lastPost.WithLabelValues(t.st.ID).Set(float64(now.UnixNano()) / 1e9)
		t.m.lag.WithLabelValues(t.st.ID).Set(t.st.Lag.Seconds())
	}
}

// Error records an error. Only its message is kept; callers must not put credentials in error messages.
func (t *Tracker) Error(err error) {
	if t == nil || err == nil {
		return
	}
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.LastError = err.Error()
	t.st.LastErrorAt = now
	if t.m != nil {
		t.m.errs.WithLabelValues(t.st.ID).Inc()
	}
}

// Reconnecting records one reconnection attempt.
func (t *Tracker) Reconnecting() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.st.Reconnects++
	if t.m != nil {
		t.m.reconnects.WithLabelValues(t.st.ID).Inc()
	}
}

// malformedLogAll is how many malformed events are logged one by one; after that only every
// malformedLogEvery-th is, so a server that sends nothing but garbage cannot flood the log while the counter
// still says how many there were.
const (
	malformedLogAll   = 100
	malformedLogEvery = 1000
)

// Malformed records one event that was skipped because it could not become a post, and logs the reason on
// logger (nil: no log). It does not count as a connection error: the stream is healthy and goes on. The
// reason becomes the status's last error, so the UI shows why posts are missing.
func (t *Tracker) Malformed(logger *slog.Logger, reason error) {
	if t == nil || reason == nil {
		return
	}
	now := t.clock.Now()
	t.mu.Lock()
	t.st.Malformed++
	n := t.st.Malformed
	t.st.LastError = reason.Error()
	t.st.LastErrorAt = now
	if t.m != nil {
		t.m.malformed.WithLabelValues(t.st.ID).Inc()
	}
	t.mu.Unlock()
	if logger != nil && (n <= malformedLogAll || n%malformedLogEvery == 0) {
		logger.Warn("skipping malformed event", "reason", reason, "malformed_total", n)
	}
}
