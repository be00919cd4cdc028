// Package alert owns what happens to detector signals: severity from rules, grouping into one open alert
// per monitor and kind that is updated as it grows, at most once per group interval, resolution after a
// quiet period and a cooldown after it, silences, inhibition of lower alerts on a monitor with a
// critical one, and the explanation every alert carries in Dutch and English.
//
// It follows Alertmanager's model, with two differences that fit a crisis desk: a new alert is sent at
// once (there is no group wait, since minutes matter), and a rise in severity is sent at once too.
// Time comes from the injected clock, so the same code runs under serve and in simulated time.
package alert

import (
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// Event statuses.
const (
	Firing   = "firing"   // a new alert
	Updated  = "updated"  // an open alert grew or rose in severity
	Resolved = "resolved" // an open alert went quiet
)

// Config sets grouping and timing. Tests build their own; DefaultConfig is what serve and replay use.
type Config struct {
	GroupInterval time.Duration // an open alert is re-sent at most this often unless its severity rises
	ResolveAfter  time.Duration // an alert with no new signal for this long is resolved
	Cooldown      time.Duration // after resolution, the same monitor and kind open again only when more severe
	MaxPostIDs    int           // post ids carried per alert
	Lang          string        // language of Event.Summary: en or nl
	Rules         Rules
}

// DefaultConfig returns the built-in timing and rules.
func DefaultConfig() Config {
	return Config{
		GroupInterval: 5 * time.Minute,
		ResolveAfter:  30 * time.Minute,
		Cooldown:      time.Hour,
		MaxPostIDs:    20,
		Lang:          "en",
		Rules:         DefaultRules(),
	}
}

// Explanation says why an alert fired, as figures and as text in each language.
type Explanation struct {
	WindowMinutes int               `json:"window_minutes,omitempty"`
	Observed      float64           `json:"observed"`
	Expected      float64           `json:"expected"`
	PValue        float64           `json:"p_value,omitempty"`
	Warmup        bool              `json:"warmup"`
	Reach         int64             `json:"reach"`
	Authors       int               `json:"authors,omitempty"`
	NegativeShare float64           `json:"negative_share,omitempty"`
	Velocity      float64           `json:"velocity,omitempty"`
	Predicted     int64             `json:"predicted_reach,omitempty"`
	Subject       string            `json:"subject,omitempty"`
	TopPosts      []TopPost         `json:"top_posts"`
	Languages     map[string]int    `json:"languages,omitempty"`
	Categories    map[string]int    `json:"categories,omitempty"`
	Text          map[string]string `json:"text"` // language → summary and details
}

// TopPost is one of the posts with the largest reach behind an alert.
type TopPost struct {
	ID       string `json:"id"`
	Platform string `json:"platform,omitempty"`
	Reach    int64  `json:"reach"`
}

// Event is one line of `crisisdesk replay` and what notifications are made from. The first six fields
// are the contract of DESIGN.md; the rest add to it.
type Event struct {
	At          time.Time    `json:"at"`
	Monitor     string       `json:"monitor"`
	Kind        string       `json:"kind"`
	Severity    Severity     `json:"severity"`
	Summary     string       `json:"summary"`
	PostIDs     []string     `json:"post_ids"`
	Status      string       `json:"status"`
	AlertID     string       `json:"alert_id"`
	Explanation *Explanation `json:"explanation,omitempty"`
}

// Silence mutes alerts of a monitor and/or kind (empty matches any) from Start until End. Silenced alerts
// are still grouped and resolved; they just send nothing.
type Silence struct {
	ID      string
	Monitor string
	Kind    string
	Start   time.Time
	End     time.Time
	Comment string
}

func (s *Silence) covers(monitor, kind string, at time.Time) bool {
	return (s.Monitor == "" || s.Monitor == monitor) && (s.Kind == "" || s.Kind == kind) &&
		!at.Before(s.Start) && at.Before(s.End)
}

type key struct{ monitor, kind string }

type open struct {
	id         string
	key        key
	severity   Severity
	sent       Severity // severity of the last event sent; -1 when nothing was sent
	signal     detect.Signal
	postIDs    []string
	opened     time.Time
	lastSignal time.Time
	lastSent   time.Time
	changed    bool
}

type closed struct {
	at       time.Time
	severity Severity
}

// Manager groups signals into alerts. It is safe for concurrent use.
type Manager struct {
	cfg    Config
	clock  clock.Clock
	logger *slog.Logger

	mu       sync.Mutex
	open     map[key]*open
	closed   map[key]closed
	silences []Silence
	seq      int
	lastTick time.Time

	events     *prometheus.CounterVec
	suppressed *prometheus.CounterVec
}

// New returns a Manager. reg may be nil when metrics are not wanted.
func New(cfg Config, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*Manager, error) {
	if cfg.GroupInterval <= 0 || cfg.ResolveAfter <= 0 || cfg.Cooldown < 0 {
		return nil, fmt.Errorf("alert: group interval %v, resolve after %v, cooldown %v: want positive durations",
			cfg.GroupInterval, cfg.ResolveAfter, cfg.Cooldown)
	}
	if cfg.Lang != "en" && cfg.Lang != "nl" {
		return nil, fmt.Errorf("alert: language %q: want en or nl", cfg.Lang)
	}
	m := &Manager{
		cfg: cfg, clock: clk, logger: logger.With("component", "alert"),
		open: map[key]*open{}, closed: map[key]closed{},
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_alert_events_total", Help: "Alert events sent, by status and severity.",
		}, []string{"status", "severity"}),
		suppressed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_alert_suppressed_total", Help: "Signals or events held back, by reason.",
		}, []string{"reason"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.events, m.suppressed} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("alert: register metrics: %w", err)
			}
		}
	}
	return m, nil
}

// AddSilence adds or replaces (by ID) a silence.
func (m *Manager) AddSilence(s Silence) error {
	if s.ID == "" || !s.End.After(s.Start) {
		return fmt.Errorf("alert: silence %q from %v to %v: want an id and an end after the start", s.ID, s.Start, s.End)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.silences = slices.DeleteFunc(m.silences, func(x Silence) bool { return x.ID == s.ID })
	m.silences = append(m.silences, s)
	return nil
}

// Add takes one signal at the clock's time and appends any event it causes to dst.
func (m *Manager) Add(s detect.Signal, dst []Event) []Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	k := key{s.Monitor, s.Kind}
	sev := m.cfg.Rules.Severity(&s)
	a, ok := m.open[k]
	if !ok {
		if c, was := m.closed[k]; was && now.Sub(c.at) < m.cfg.Cooldown && sev <= c.severity {
			m.suppressed.WithLabelValues("cooldown").Inc()
			return dst
		}
		m.seq++
		a = &open{id: s.Monitor + "/" + s.Kind + "/" + strconv.Itoa(m.seq), key: k, severity: sev, sent: -1,
			signal: s, opened: now}
		m.open[k] = a
	}
	a.lastSignal = now
	a.changed = true
	if sev >= a.severity || ok && s.Kind != detect.InfluentialAuthor && s.Kind != detect.ViralPost {
		// The latest window signal describes the alert best; for per-post kinds the most severe post does.
		a.signal = s
	}
	a.severity = max(a.severity, sev)
	for _, p := range s.Top {
		if len(a.postIDs) < m.cfg.MaxPostIDs && !slices.Contains(a.postIDs, p.ID) {
			a.postIDs = append(a.postIDs, p.ID)
		}
	}
	if s.Subject != "" && !slices.Contains(a.postIDs, s.Subject) && len(a.postIDs) < m.cfg.MaxPostIDs && s.Kind != detect.CoordinatedCampaign {
		a.postIDs = append(a.postIDs, s.Subject)
	}
	if a.sent < 0 || a.severity > a.sent || now.Sub(a.lastSent) >= m.cfg.GroupInterval {
		return m.send(a, now, dst)
	}
	return dst
}

// Tick resolves quiet alerts and sends updates held back by the group interval, a silence or an
// inhibition that has since ended. Call it regularly (replay calls it per post); it does its work at
// most once per simulated second.
func (m *Manager) Tick(dst []Event) []Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	if now.Sub(m.lastTick) < time.Second {
		return dst
	}
	m.lastTick = now
	if len(m.open) == 0 {
		return dst
	}
	for _, a := range m.sorted() {
		switch {
		case now.Sub(a.lastSignal) >= m.cfg.ResolveAfter:
			delete(m.open, a.key)
			m.closed[a.key] = closed{at: now, severity: a.severity}
			if a.sent >= 0 && !m.silenced(a, now) {
				dst = append(dst, m.event(a, now, Resolved))
				m.events.WithLabelValues(Resolved, a.severity.String()).Inc()
			}
		case a.changed && (a.sent < 0 || now.Sub(a.lastSent) >= m.cfg.GroupInterval):
			dst = m.send(a, now, dst)
		}
	}
	return dst
}

// Flush resolves every open alert now, as replay does at the end of its input.
func (m *Manager) Flush(dst []Event) []Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	for _, a := range m.sorted() {
		delete(m.open, a.key)
		if a.sent >= 0 && !m.silenced(a, now) {
			dst = append(dst, m.event(a, now, Resolved))
		}
	}
	return dst
}

func (m *Manager) sorted() []*open {
	as := make([]*open, 0, len(m.open))
	for _, a := range m.open {
		as = append(as, a)
	}
	sort.Slice(as, func(i, j int) bool { return as[i].id < as[j].id })
	return as
}

func (m *Manager) silenced(a *open, now time.Time) bool {
	for i := range m.silences {
		if m.silences[i].covers(a.key.monitor, a.key.kind, now) {
			return true
		}
	}
	return false
}

// inhibited reports whether a more severe critical alert is open on the same monitor.
func (m *Manager) inhibited(a *open) bool {
	if a.severity == Critical {
		return false
	}
	for k, o := range m.open {
		if k.monitor == a.key.monitor && o.severity == Critical && o.sent >= 0 {
			return true
		}
	}
	return false
}

func (m *Manager) send(a *open, now time.Time, dst []Event) []Event {
	switch {
	case m.silenced(a, now):
		m.suppressed.WithLabelValues("silenced").Inc()
		return dst
	case m.inhibited(a):
		m.suppressed.WithLabelValues("inhibited").Inc()
		return dst
	}
	status := Updated
	if a.sent < 0 {
		status = Firing
	}
	a.sent, a.lastSent, a.changed = a.severity, now, false
	m.events.WithLabelValues(status, a.severity.String()).Inc()
	return append(dst, m.event(a, now, status))
}

func (m *Manager) event(a *open, now time.Time, status string) Event {
	s := &a.signal
	ex := &Explanation{
		WindowMinutes: int(s.Window / time.Minute), Observed: s.Observed, Expected: s.Expected, PValue: s.PValue,
		Warmup: s.Warmup, Reach: s.Reach, Authors: s.Authors, NegativeShare: s.NegShare, Velocity: s.Velocity,
		Predicted: s.Predicted, Subject: s.Subject, TopPosts: make([]TopPost, 0, len(s.Top)), Text: map[string]string{},
	}
	for _, p := range s.Top {
		ex.TopPosts = append(ex.TopPosts, TopPost{ID: p.ID, Platform: p.Platform, Reach: p.Reach})
	}
	if len(s.Langs) > 0 {
		ex.Languages = map[string]int{}
		for _, c := range s.Langs {
			ex.Languages[c.Name] = c.N
		}
	}
	if len(s.Categories) > 0 {
		ex.Categories = map[string]int{}
		for _, c := range s.Categories {
			ex.Categories[c.Name] = c.N
		}
	}
	for _, l := range Languages {
		ex.Text[l] = Summary(s, l) + ". " + Details(s, l) + "."
	}
	ids := slices.Clone(a.postIDs)
	if ids == nil {
		ids = []string{}
	}
	return Event{At: now, Monitor: a.key.monitor, Kind: a.key.kind, Severity: a.severity, Summary: Summary(s, m.cfg.Lang),
		PostIDs: ids, Status: status, AlertID: a.id, Explanation: ex}
}
