// Package escalate owns escalation: for each alert the policies a router chooses, each of ordered
// steps (notify these recipients on these channels, wait for an acknowledgement, then the next step),
// repeated a number of times, and stopped by an acknowledgement or by the alert's resolution; and the
// notices that follow the pages, updates of a growing alert and its resolution (follow.go). It also
// signs and checks the acknowledge links that work without logging in.
//
// Progress is persisted: a step is fired by enqueueing its notifications in the outbox, keyed by
// (alert, step, recipient, channel), and only then is the escalation advanced. A crash in between
// fires the step again on restart, and the outbox stores nothing new, so nobody is paged twice.
// Decisions use the injected clock, so the same code runs in real time and in simulated time.
//
// The crisis plan fills in the types declared here (Policy, Step, Recipient, Contact) through a
// Router; this package does not know where policies come from.
package escalate

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Contact is a recipient's address on one channel: Channel is the name of a configured integration
// ("email", "slack-crisisteam"), Address what that channel needs (an e-mail address, a chat handle).
type Contact struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
}

// Recipient is a person to page.
type Recipient struct {
	ID       string    `json:"id"` // stable; it keys the outbox and the acknowledgement
	Name     string    `json:"name"`
	Lang     string    `json:"lang"` // nl or en; empty takes the engine's default
	Contacts []Contact `json:"contacts"`
}

// Step notifies its recipients on each of its channels where they have a contact, then waits.
type Step struct {
	Recipients []Recipient   `json:"recipients"`
	Channels   []string      `json:"channels"`
	Wait       time.Duration `json:"wait"` // for an acknowledgement before the next step
}

// Policy is an ordered list of steps, run Repeat times (at least once).
type Policy struct {
	// ID keys the policy's escalation of an alert, beside the alert's id; Name when empty.
	ID     string `json:"id,omitempty"`
	Name   string `json:"name"`
	Steps  []Step `json:"steps"`
	Repeat int    `json:"repeat"`
	// Rooms are the channels that post to a room everyone shares (a chat channel, the in-app list).
	// A page there names its recipient; an update or a resolution is said there once, not once for
	// each person paged.
	Rooms []string `json:"rooms,omitempty"`
}

// Validate reports the first problem with p, naming the step.
func (p Policy) Validate() error {
	if len(p.Steps) == 0 {
		return fmt.Errorf("escalate: policy %q has no steps", p.Name)
	}
	if p.Repeat < 0 {
		return fmt.Errorf("escalate: policy %q: repeat %d is negative", p.Name, p.Repeat)
	}
	for i, s := range p.Steps {
		switch {
		case s.Wait <= 0:
			return fmt.Errorf("escalate: policy %q: steps[%d].wait must be > 0", p.Name, i)
		case len(s.Recipients) == 0 || len(s.Channels) == 0:
			return fmt.Errorf("escalate: policy %q: steps[%d] needs recipients and channels", p.Name, i)
		}
		for j, r := range s.Recipients {
			if r.ID == "" {
				return fmt.Errorf("escalate: policy %q: steps[%d].recipients[%d] has no id", p.Name, i, j)
			}
		}
	}
	return nil
}

// total is the number of steps fired over all repeats.
func (p Policy) total() int { return len(p.Steps) * max(p.Repeat, 1) }

// Router chooses the policies for an alert, in routing order; none means the alert pages nobody.
// Every policy escalates on its own: its own steps, waits and repeats.
type Router interface {
	Route(ev alert.Event) []Policy
}

// RouterFunc adapts a function that chooses at most one policy to Router; false means none.
type RouterFunc func(ev alert.Event) (Policy, bool)

// Route calls f.
func (f RouterFunc) Route(ev alert.Event) []Policy {
	if p, ok := f(ev); ok {
		return []Policy{p}
	}
	return nil
}

// PoliciesFunc adapts a function that chooses any number of policies to Router.
type PoliciesFunc func(ev alert.Event) []Policy

// Route calls f.
func (f PoliciesFunc) Route(ev alert.Event) []Policy { return f(ev) }

// policyKeys returns the key of each policy's escalation: its id, else its name, made unique within
// the alert, so that two policies never share one escalation's progress.
func policyKeys(ps []Policy) []string {
	keys := make([]string, len(ps))
	seen := map[string]int{}
	for i, p := range ps {
		k := cmp.Or(p.ID, p.Name, "policy")
		seen[k]++
		if n := seen[k]; n > 1 {
			k += "#" + strconv.Itoa(n)
		}
		keys[i] = k
	}
	return keys
}

// Outbox is what the engine needs of the store.
type Outbox interface {
	EnqueueNotification(ctx context.Context, n *store.Notification) (bool, error)
	StartEscalation(ctx context.Context, e store.Escalation) (bool, error)
	EscalationsByAlert(ctx context.Context, alertID string) ([]store.Escalation, error)
	DueEscalations(ctx context.Context, now time.Time, limit int) ([]store.Escalation, error)
	AdvanceEscalation(ctx context.Context, alertID, policyKey string, fromSeq, toSeq int, nextAt time.Time, state string, at time.Time) error
	StopEscalation(ctx context.Context, alertID, state, by string, at time.Time) error
	RecordAck(ctx context.Context, a store.Ack) error
	NotificationsByAlert(ctx context.Context, alertID string) ([]store.Notification, error)
}

// Waker is told when notifications were enqueued (the outbox worker).
type Waker interface{ Wake() }

// Config configures the engine.
type Config struct {
	// BaseURL is where the web app is reached; links are BaseURL/alerts/ID and BaseURL/ack/TOKEN.
	BaseURL string
	// Secret signs acknowledge links; at least 32 bytes. Changing it invalidates links sent before.
	Secret      []byte
	AckTTL      time.Duration // how long an acknowledge link works
	DefaultLang string        // for recipients without a language: nl or en
	Batch       int           // due escalations handled per query
	Poll        time.Duration // how often Run looks for due steps
	// UpdateInterval spaces the update notices of one alert: at most one per interval, unless the
	// severity rose. Serve sets it to the alert manager's group interval.
	UpdateInterval time.Duration
}

// DefaultConfig returns the settings serve uses; BaseURL and Secret must still be set.
func DefaultConfig() Config {
	return Config{AckTTL: 24 * time.Hour, DefaultLang: "nl", Batch: 100, Poll: time.Second, UpdateInterval: 5 * time.Minute}
}

// Engine runs escalations.
type Engine struct {
	cfg    Config
	outbox Outbox
	router Router
	waker  Waker
	clock  clock.Clock
	logger *slog.Logger

	fired    *prometheus.CounterVec
	lateness prometheus.Histogram
}

// New returns an engine. waker may be nil.
func New(cfg Config, ob Outbox, router Router, waker Waker, c clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*Engine, error) {
	switch {
	case len(cfg.Secret) < 32:
		return nil, errors.New("escalate: the acknowledge secret must be at least 32 bytes")
	case cfg.AckTTL <= 0 || cfg.Batch < 1 || cfg.Poll <= 0 || cfg.UpdateInterval <= 0:
		return nil, fmt.Errorf("escalate: ack ttl (%v), batch (%d), poll (%v) and update interval (%v) must be positive",
			cfg.AckTTL, cfg.Batch, cfg.Poll, cfg.UpdateInterval)
	case cfg.DefaultLang != "nl" && cfg.DefaultLang != "en":
		return nil, fmt.Errorf("escalate: default language %q: want nl or en", cfg.DefaultLang)
	case ob == nil || router == nil || c == nil:
		return nil, errors.New("escalate: outbox, router and clock are required")
	}
	if _, err := url.Parse(cfg.BaseURL); err != nil || !strings.HasPrefix(cfg.BaseURL, "http") {
		return nil, fmt.Errorf("escalate: base url %q: want an http(s) URL", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		cfg: cfg, outbox: ob, router: router, waker: waker, clock: c,
		logger: logger.With("component", "escalate"),
		fired: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_escalation_steps_total",
			Help: "Escalation steps fired, by policy.",
		}, []string{"policy"}),
		lateness: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "crisisdesk_escalation_step_lateness_seconds",
			Help:    "How long after its deadline an escalation step fired.",
			Buckets: []float64{0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60},
		}),
	}
	if reg != nil {
		for _, col := range []prometheus.Collector{e.fired, e.lateness} {
			if err := reg.Register(col); err != nil {
				return nil, fmt.Errorf("escalate: register metrics: %w", err)
			}
		}
	}
	return e, nil
}

// record is what an escalation keeps beside its progress: the policy as it was when the alert fired
// (a plan edited later does not change a running escalation) and the alert's texts.
type record struct {
	Policy Policy    `json:"policy"`
	Alert  alertInfo `json:"alert"`
}

type alertInfo struct {
	ID       string            `json:"id"`
	Monitor  string            `json:"monitor"`
	Kind     string            `json:"kind"`
	Severity string            `json:"severity"`
	Summary  string            `json:"summary"`
	Texts    map[string]string `json:"texts,omitempty"` // language → summary
}

// Handle reacts to an alert event: a firing alert starts one escalation per policy the router
// chooses and fires each one's first step at once; a resolved alert stops them all and tells everyone
// who was paged, once, on the channels they were paged on (e-mail threads it under the pages). An
// update pages nobody new: those already paged get an update notice in the same thread, at most one
// per UpdateInterval unless the severity rose (follow.go), since more pages for a growing alert would
// be noise.
//
// Policies page in routing order. Two policies that page the same person on the same channel at the
// same step number send one page, since the outbox keys a page by (alert, step, recipient, channel)
// and keeps the first; so nobody gets two pages for one alert at once.
func (e *Engine) Handle(ctx context.Context, ev alert.Event) error {
	switch ev.Status {
	case alert.Resolved:
		return e.resolve(ctx, ev.AlertID)
	case alert.Updated:
		return e.follow(ctx, ev.AlertID, alert.Updated, &ev, e.clock.Now())
	case alert.Firing:
	default:
		return nil
	}
	ps := e.router.Route(ev)
	if len(ps) == 0 {
		e.logger.InfoContext(ctx, "no escalation policy for alert", "alert", ev.AlertID, "monitor", ev.Monitor, "kind", ev.Kind)
		return nil
	}
	info := alertInfo{ID: ev.AlertID, Monitor: ev.Monitor, Kind: ev.Kind, Severity: ev.Severity.String(), Summary: ev.Summary}
	if ev.Explanation != nil {
		info.Texts = ev.Explanation.Text
	}
	now := e.clock.Now()
	var errs []error
	for i, key := range policyKeys(ps) {
		// One broken policy must not keep the others from paging.
		if err := e.start(ctx, ps[i], key, info, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// start stores the escalation of one policy for an alert and fires its first step, unless that
// escalation exists already (the event was handled before).
func (e *Engine) start(ctx context.Context, p Policy, key string, info alertInfo, now time.Time) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("escalate: alert %s: %w", info.ID, err)
	}
	blob, err := json.Marshal(record{Policy: p, Alert: info})
	if err != nil {
		return fmt.Errorf("escalate: alert %s: encode: %w", info.ID, err)
	}
	esc := store.Escalation{AlertID: info.ID, PolicyKey: key, Policy: blob, State: store.EscalationActive, NextSeq: 0, NextAt: now, StartedAt: now}
	created, err := e.outbox.StartEscalation(ctx, esc)
	if err != nil {
		return fmt.Errorf("escalate: start policy %q for alert %s: %w", key, info.ID, err)
	}
	if !created {
		return nil
	}
	return e.fire(ctx, esc, now)
}

// resolve stops every escalation of the alert and enqueues one resolution notice for each recipient
// and channel that was paged (follow.go).
func (e *Engine) resolve(ctx context.Context, alertID string) error {
	now := e.clock.Now()
	err := e.outbox.StopEscalation(ctx, alertID, store.EscalationResolved, "resolved", now)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("escalate: alert %s resolved: %w", alertID, err)
	}
	return e.follow(ctx, alertID, alert.Resolved, nil, now)
}

// Tick fires every step that is due and returns how many it fired.
func (e *Engine) Tick(ctx context.Context) (int, error) {
	fired := 0
	for {
		now := e.clock.Now()
		due, err := e.outbox.DueEscalations(ctx, now, e.cfg.Batch)
		if err != nil {
			return fired, fmt.Errorf("escalate: due escalations: %w", err)
		}
		var errs []error
		for _, esc := range due {
			if err := e.fire(ctx, esc, now); err != nil {
				errs = append(errs, err)
				continue
			}
			fired++
		}
		if len(errs) > 0 {
			return fired, errors.Join(errs...)
		}
		if len(due) < e.cfg.Batch {
			return fired, nil
		}
	}
}

// Run fires due steps every Poll until ctx is cancelled, so a step fires at most Poll (plus the time a
// round takes) after its deadline.
func (e *Engine) Run(ctx context.Context) error {
	t := time.NewTicker(e.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := e.Tick(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			e.logger.ErrorContext(ctx, "escalation round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// fire enqueues the notifications of the escalation's next step, then advances it. The order makes a
// crash in between harmless: the step fires again and the outbox keeps its first notifications.
func (e *Engine) fire(ctx context.Context, esc store.Escalation, now time.Time) error {
	var rec record
	if err := json.Unmarshal(esc.Policy, &rec); err != nil {
		return fmt.Errorf("escalate: alert %s: stored policy: %w", esc.AlertID, err)
	}
	p := rec.Policy
	seq := esc.NextSeq
	if err := p.Validate(); err != nil {
		// Only a database edited by hand gets here; stop rather than fail on every round.
		return errors.Join(fmt.Errorf("escalate: alert %s: stored policy: %w", esc.AlertID, err),
			e.outbox.AdvanceEscalation(ctx, esc.AlertID, esc.PolicyKey, seq, seq, esc.NextAt, store.EscalationExhausted, now))
	}
	if seq >= p.total() {
		// The last step's wait is over and nobody acknowledged: the escalation is exhausted. Until
		// now it stayed active, so an acknowledgement during that wait still counted.
		err := e.outbox.AdvanceEscalation(ctx, esc.AlertID, esc.PolicyKey, seq, seq, esc.NextAt, store.EscalationExhausted, now)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("escalate: alert %s: %w", esc.AlertID, err)
		}
		e.logger.WarnContext(ctx, "escalation exhausted without an acknowledgement", "alert", esc.AlertID, "policy", p.Name)
		return nil
	}
	step := p.Steps[seq%len(p.Steps)]
	// An acknowledgement may have arrived since esc was read; look again just before paging.
	if active, err := e.stillAt(ctx, esc); err != nil || !active {
		return err
	}
	enqueued, shared := 0, 0
	for _, r := range step.Recipients {
		for _, ch := range step.Channels {
			addr, ok := contact(r, ch)
			if !ok {
				e.logger.WarnContext(ctx, "recipient has no contact on channel", "alert", esc.AlertID, "recipient", r.ID, "channel", ch)
				continue
			}
			m := e.message(rec.Alert, r, addr, seq, now)
			payload, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("escalate: alert %s: encode message: %w", esc.AlertID, err)
			}
			n := &store.Notification{AlertID: esc.AlertID, Step: seq, Recipient: r.ID, Channel: ch, Payload: payload, NextAt: now, CreatedAt: now}
			created, err := e.outbox.EnqueueNotification(ctx, n)
			if err != nil {
				return fmt.Errorf("escalate: alert %s step %d: %w", esc.AlertID, seq, err)
			}
			if created {
				enqueued++
			} else {
				// Another policy paged them at this step already, or this step is replayed after a crash.
				shared++
			}
		}
	}
	if enqueued > 0 && e.waker != nil {
		e.waker.Wake()
	}
	e.fired.WithLabelValues(p.Name).Inc()
	e.lateness.Observe(now.Sub(esc.NextAt).Seconds())

	// The next deadline counts from this one, so a late round does not push every later step back;
	// but after a long outage each step still gets its full wait.
	next := esc.NextAt.Add(step.Wait)
	if next.Before(now) {
		next = now.Add(step.Wait)
	}
	err := e.outbox.AdvanceEscalation(ctx, esc.AlertID, esc.PolicyKey, seq, seq+1, next, store.EscalationActive, now)
	if errors.Is(err, store.ErrNotFound) {
		// Another round advanced it or an acknowledgement stopped it meanwhile: nothing to do.
		return nil
	}
	if err != nil {
		return fmt.Errorf("escalate: alert %s: %w", esc.AlertID, err)
	}
	e.logger.InfoContext(ctx, "escalation step fired", "alert", esc.AlertID, "policy", p.Name, "step", seq,
		"notifications", enqueued, "already_queued", shared, "late", now.Sub(esc.NextAt))
	return nil
}

// stillAt reports whether esc is, as stored now, still active at the step it was read at.
func (e *Engine) stillAt(ctx context.Context, esc store.Escalation) (bool, error) {
	cur, err := e.outbox.EscalationsByAlert(ctx, esc.AlertID)
	if err != nil {
		return false, fmt.Errorf("escalate: alert %s: %w", esc.AlertID, err)
	}
	for _, c := range cur {
		if c.PolicyKey == esc.PolicyKey {
			return c.State == store.EscalationActive && c.NextSeq == esc.NextSeq, nil
		}
	}
	return false, nil
}

func contact(r Recipient, channel string) (string, bool) {
	for _, c := range r.Contacts {
		if c.Channel == channel {
			return c.Address, true
		}
	}
	return "", false
}

func (e *Engine) message(a alertInfo, r Recipient, addr string, seq int, now time.Time) notify.Message {
	lang := r.Lang
	if lang != "nl" && lang != "en" {
		lang = e.cfg.DefaultLang
	}
	summary := a.Texts[lang]
	if summary == "" {
		summary = a.Summary
	}
	expires := now.Add(e.cfg.AckTTL)
	token := signToken(e.cfg.Secret, tokenClaims{Alert: a.ID, Recipient: r.ID, Expires: expires.Unix()})
	return notify.Message{
		AlertID: a.ID, Monitor: a.Monitor, Kind: a.Kind, Severity: a.Severity, Status: alert.Firing, Summary: summary,
		Link:    e.cfg.BaseURL + "/alerts/" + url.PathEscape(a.ID),
		AckLink: e.cfg.BaseURL + "/ack/" + token, AckExpires: time.Unix(expires.Unix(), 0).UTC(),
		Lang: lang, Recipient: r.Name, To: addr, Step: seq, At: now,
	}
}

// Ack is a recorded acknowledgement.
type Ack = store.Ack

// Acknowledge checks an acknowledge link's token, records who acknowledged and when, and stops the
// alert's escalation. by describes the visitor for the record (the web app passes the address the
// request came from); the recipient named in the token is recorded with it. A token works once:
// using it again is ErrTokenUsed. It needs no login.
func (e *Engine) Acknowledge(ctx context.Context, token, by string) (Ack, error) {
	now := e.clock.Now()
	c, err := parseToken(e.cfg.Secret, token, now)
	if err != nil {
		return Ack{}, err
	}
	a := Ack{AlertID: c.Alert, Recipient: c.Recipient, By: by, At: now}
	if err := e.outbox.RecordAck(ctx, a); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return Ack{}, ErrTokenUsed
		}
		return Ack{}, fmt.Errorf("escalate: acknowledge alert %s: %w", c.Alert, err)
	}
	err = e.outbox.StopEscalation(ctx, c.Alert, store.EscalationAcked, c.Recipient, now)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return a, fmt.Errorf("escalate: acknowledge alert %s: %w", c.Alert, err)
	}
	e.logger.InfoContext(ctx, "alert acknowledged", "alert", c.Alert, "recipient", c.Recipient)
	return a, nil
}
