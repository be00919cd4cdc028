package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/escalate"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/email"
	"github.com/crisisdesk/crisisdesk/internal/notify/slack"
	"github.com/crisisdesk/crisisdesk/internal/notify/teams"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/web"
)

// alertTick is how often serve lets the alert manager resolve quiet alerts and send held-back updates.
const alertTick = time.Second

// orphanSweep is how often serve looks for open alerts of earlier runs that have gone quiet.
const orphanSweep = time.Minute

// planReadTimeout bounds reading the crisis plan when an alert fires.
const planReadTimeout = 5 * time.Second

// alerting is the path from a stored, matched post to the people who must know: detection, the alert
// manager with the stored silences, the stored alert, the live alert pages, and escalation through the
// outbox. It is the ingest Observer of serve.
type alerting struct {
	st      store.Store
	clk     clock.Clock
	log     *slog.Logger
	det     *detect.Detector
	manager *alert.Manager
	hub     *web.AlertHub
	engine  *escalate.Engine
	worker  *notify.Worker
	// boot makes alert ids unique across restarts: the alert manager numbers its alerts from 1 in
	// every process, and the store, the outbox and acknowledge links key on the id.
	boot string

	resolveAfter time.Duration
	// channels follows the plan's notification channels as the plan is edited (wire_channels.go).
	channels *channelSet
	// incidents puts alert updates on the timelines of the incidents they are linked to.
	incidents *incidentAlerts

	// mu keeps the events of one batch together and in order, so an alert's firing event is stored
	// and escalated before its updates and its resolution.
	mu        sync.Mutex
	signals   []detect.Signal
	events    []alert.Event
	lastSweep time.Time
}

// newAlerting builds the alert path from the stored crisis plan. Integrations are built from the
// plan's channels as it is at start, and again whenever a newer plan is stored (wire_channels.go); a
// channel whose secret is missing is logged, by name, and left out, and so are the contacts on it, so
// that nothing is queued for a channel that cannot send.
func newAlerting(ctx context.Context, cfg config, st store.Store, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*alerting, error) {
	log := logger.With("component", "alerts")
	det, err := detect.New(detect.DefaultConfig(), clk, log, reg)
	if err != nil {
		return nil, fmt.Errorf("alerts: detector: %w", err)
	}
	acfg := alert.DefaultConfig()
	if cfg.Lang == "nl" || cfg.Lang == "en" {
		acfg.Lang = cfg.Lang
	}
	manager, err := alert.New(acfg, clk, log, reg)
	if err != nil {
		return nil, fmt.Errorf("alerts: manager: %w", err)
	}
	silences, err := st.Silences(ctx, clk.Now())
	if err != nil {
		return nil, err
	}
	for _, s := range silences {
		if err := manager.AddSilence(alert.Silence{ID: s.ID, Monitor: s.Monitor, Kind: s.Kind, Start: s.Start, End: s.End, Comment: s.Comment}); err != nil {
			return nil, fmt.Errorf("alerts: silence %s: %w", s.ID, err)
		}
	}

	p, _, version, err := plan.Current(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("alerts: crisis plan: %w", err)
	}
	log.Info("crisis plan loaded for escalation", "version", version, "people", len(p.People), "channels", len(p.Channels))
	hub := web.NewAlertHub()
	channels := newChannelSet(st, inApp(st, hub), clk, log)
	integrations := channels.use(p, version)

	key, _, err := secret.LoadKey(os.Getenv, cfg.Data)
	if err != nil {
		return nil, fmt.Errorf("alerts: key for acknowledge links: %w", err)
	}
	ecfg := escalate.DefaultConfig()
	ecfg.BaseURL = cfg.BaseURL
	ecfg.Secret = ackSecret(key)
	if cfg.Lang == "nl" || cfg.Lang == "en" {
		ecfg.DefaultLang = cfg.Lang
	}
	// Update notices are as far apart as the alert manager's updates: one per group interval.
	ecfg.UpdateInterval = acfg.GroupInterval
	retry, err := notify.NewRetry(notify.DefaultBackoff(), clk, rand.Float64)
	if err != nil {
		return nil, fmt.Errorf("alerts: retry: %w", err)
	}
	host, _ := os.Hostname()
	worker, err := notify.NewWorker(notify.DefaultWorkerConfig(host+"/"+strconv.Itoa(os.Getpid())), st, integrations, retry, clk,
		logger.With("component", "notify"), reg)
	if err != nil {
		return nil, fmt.Errorf("alerts: outbox worker: %w", err)
	}
	channels.onChange = worker.SetIntegrations
	router := &planRouter{st: st, clk: clk, log: log, channels: channels}
	// Pages for alerts linked to incidents go on their timelines (wire_incidents.go).
	incidents := &incidentAlerts{log: logger.With("component", "incidents")}
	engine, err := escalate.New(ecfg, pagingOutbox{Store: st, incidents: incidents}, router, worker, clk, logger.With("component", "escalate"), reg)
	if err != nil {
		return nil, fmt.Errorf("alerts: escalation: %w", err)
	}
	return &alerting{
		st: st, clk: clk, log: log, det: det, manager: manager, hub: hub, engine: engine, worker: worker,
		boot: strconv.FormatInt(clk.Now().UnixNano(), 36), resolveAfter: acfg.ResolveAfter, incidents: incidents,
		channels: channels,
	}, nil
}

// ackSecret derives the key of acknowledge links from the installation's secret key, so that the one
// key never serves two purposes.
func ackSecret(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("crisisdesk acknowledge links"))
	return m.Sum(nil)
}

// Observe runs detection over the matched posts of one ingested batch and handles every alert event it
// causes. An event that cannot be stored or escalated is logged and the rest go on: one failing alert
// must not silence the others.
func (a *alerting) Observe(ctx context.Context, posts []store.StoredPost) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = a.events[:0]
	for i := range posts {
		sp := &posts[i]
		a.signals = a.det.Observe(detect.Input{
			Post: &sp.Post, Sentiment: sp.Analysis.Sentiment, Complaint: sp.Analysis.Complaint,
			Lang: sp.Analysis.Lang, Categories: sp.Analysis.Categories, Monitors: sp.Monitors,
		}, a.signals[:0])
		for _, s := range a.signals {
			a.events = a.manager.Add(s, a.events)
		}
	}
	return a.handle(ctx, a.events)
}

// tick lets the alert manager resolve quiet alerts and send held-back updates, and resolves the quiet
// alerts an earlier run left open.
func (a *alerting) tick(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = a.manager.Tick(a.events[:0])
	err := a.handle(ctx, a.events)
	if perr := a.channels.poll(ctx); perr != nil {
		err = errors.Join(err, fmt.Errorf("alerts: look for a newer crisis plan: %w", perr))
	}
	if now := a.clk.Now(); now.Sub(a.lastSweep) >= orphanSweep {
		a.lastSweep = now
		err = errors.Join(err, a.resolveOrphans(ctx, now))
	}
	return err
}

// resolveOrphans resolves the open alerts of earlier runs once they have been quiet for the resolve
// period. Their state in the alert manager died with the process that opened them, so nothing else
// would resolve them, and their escalation would go on paging; the team is told they were resolved,
// as for any other alert.
func (a *alerting) resolveOrphans(ctx context.Context, now time.Time) error {
	open, err := a.st.Alerts(ctx, store.AlertQuery{Status: store.AlertOpen, Limit: 1000})
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range open {
		if strings.HasPrefix(o.ID, a.boot+"-") || now.Sub(o.UpdatedAt) < a.resolveAfter {
			continue
		}
		sev, err := alert.ParseSeverity(o.Severity)
		if err != nil {
			sev = alert.Low
		}
		ev := alert.Event{At: now, Monitor: o.Monitor, Kind: o.Kind, Severity: sev, Summary: o.Summary, PostIDs: o.PostIDs,
			Status: alert.Resolved, AlertID: o.ID}
		if err := a.st.SaveAlert(ctx, store.Alert{ID: o.ID, Monitor: o.Monitor, Kind: o.Kind, Severity: o.Severity,
			Status: store.AlertResolved, Summary: o.Summary, Explanation: o.Explanation, PostIDs: o.PostIDs, OpenedAt: o.OpenedAt, UpdatedAt: now}); err != nil {
			errs = append(errs, err)
			continue
		}
		if stored, err := a.st.AlertByID(ctx, o.ID); err == nil {
			a.hub.Publish(stored)
		}
		if err := a.engine.Handle(ctx, ev); err != nil {
			errs = append(errs, fmt.Errorf("alerts: escalate %s: %w", o.ID, err))
		}
		a.log.InfoContext(ctx, "alert of an earlier run resolved after going quiet", "alert", o.ID, "monitor", o.Monitor, "kind", o.Kind)
	}
	return errors.Join(errs...)
}

func (a *alerting) handle(ctx context.Context, events []alert.Event) error {
	var errs []error
	for _, ev := range events {
		if err := a.handleEvent(ctx, ev); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// handleEvent stores one event, shows it on the live pages and escalates it, in that order: the page
// a notification links to must exist before the notification can be sent.
func (a *alerting) handleEvent(ctx context.Context, ev alert.Event) error {
	ev.AlertID = a.alertID(ev.AlertID)
	return a.deliver(ctx, ev)
}

// deliver stores, shows and escalates an event whose AlertID is final. The partition owners of a
// scaled-out installation (wire_bus.go) call it with ids of their own.
func (a *alerting) deliver(ctx context.Context, ev alert.Event) error {
	explanation, err := json.Marshal(ev.Explanation)
	if err != nil {
		return fmt.Errorf("alerts: encode explanation of %s: %w", ev.AlertID, err)
	}
	status := store.AlertOpen
	if ev.Status == alert.Resolved {
		status = store.AlertResolved
	}
	if err := a.st.SaveAlert(ctx, store.Alert{
		ID: ev.AlertID, Monitor: ev.Monitor, Kind: ev.Kind, Severity: ev.Severity.String(), Status: status,
		Summary: ev.Summary, Explanation: explanation, PostIDs: ev.PostIDs, OpenedAt: ev.At, UpdatedAt: ev.At,
	}); err != nil {
		return err
	}
	stored, err := a.st.AlertByID(ctx, ev.AlertID)
	if err != nil {
		return err
	}
	a.hub.Publish(stored)
	a.incidents.alertChanged(ctx, ev.AlertID, ev.Summary)
	if err := a.engine.Handle(ctx, ev); err != nil {
		return fmt.Errorf("alerts: escalate %s: %w", ev.AlertID, err)
	}
	return nil
}

// alertID is the manager's id of an alert (monitor/kind/sequence) made unique across restarts and
// safe in a URL path.
func (a *alerting) alertID(managerID string) string {
	h := fnv.New64a()
	h.Write([]byte(managerID))
	return a.boot + "-" + strconv.FormatUint(h.Sum64(), 36)
}

// AddSilence stores nothing: the web app stores the silence and then tells the manager through this.
func (a *alerting) AddSilence(s alert.Silence) error { return a.manager.AddSilence(s) }

// run ticks the alert manager and runs the escalation engine and the outbox worker until ctx ends. The
// caller's wg owns the goroutines.
func (a *alerting) run(ctx context.Context, wg *sync.WaitGroup) {
	wg.Go(func() {
		t := time.NewTicker(alertTick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := a.tick(ctx); err != nil && ctx.Err() == nil {
					a.log.ErrorContext(ctx, "alert tick", "err", err)
				}
			}
		}
	})
	wg.Go(func() {
		if err := a.engine.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			a.log.ErrorContext(ctx, "escalation engine stopped", "err", err)
		}
	})
	wg.Go(func() {
		if err := a.worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			a.log.ErrorContext(ctx, "outbox worker stopped", "err", err)
		}
	})
}

// inApp is the in-app channel, which every plan has and which needs no settings. Its page is the live
// alert list, so delivering a page in-app is pushing the alert, as stored now, to the pages that are
// open; the outbox records that it was done.
func inApp(st store.Alerts, hub *web.AlertHub) notify.Integration {
	return notify.IntegrationFunc(func(ctx context.Context, m notify.Message) (bool, error) {
		a, err := st.AlertByID(ctx, m.AlertID)
		if err != nil {
			return !errors.Is(err, store.ErrNotFound), err
		}
		hub.Publish(a)
		return false, nil
	})
}

// buildIntegrations makes one integration per channel of the plan that can send, keyed by channel id,
// plus the in-app channel.
func buildIntegrations(p *plan.Plan, inapp notify.Integration, clk clock.Clock, log *slog.Logger) map[string]notify.Integration {
	out := map[string]notify.Integration{plan.ChannelInApp: inapp}
	resolve := func(s plan.Secret) (string, error) { return s.Resolve(os.LookupEnv, os.ReadFile) }
	for _, ch := range p.Channels {
		if ch.Type == plan.ChannelInApp {
			out[ch.ID] = inapp
			continue
		}
		in, err := buildIntegration(ch, resolve, clk)
		if err != nil {
			// By name only: the error of a secret may carry part of it.
			log.Warn("notification channel left out: its secret or settings are missing", "channel", ch.ID, "type", ch.Type)
			continue
		}
		out[ch.ID] = in
	}
	return out
}

func buildIntegration(ch plan.Channel, resolve func(plan.Secret) (string, error), clk clock.Clock) (notify.Integration, error) {
	switch ch.Type {
	case plan.ChannelEmail:
		// A password the plan refers to must be there; a plan without one sends without AUTH.
		password := ""
		if !ch.Password.IsZero() {
			var err error
			if password, err = requiredSecret(resolve, ch.Password); err != nil {
				return nil, err
			}
		}
		return email.New(email.Config{
			Addr: net.JoinHostPort(ch.Host, strconv.Itoa(cmpOr(ch.Port, 587))), Username: ch.Username, Password: password,
			From: ch.From, NoTLS: isLoopback(ch.Host),
		})
	case plan.ChannelSlack:
		url, err := requiredSecret(resolve, ch.URL)
		if err != nil {
			return nil, err
		}
		return slack.New(slack.Config{URL: url}, nil)
	case plan.ChannelTeams:
		url, err := requiredSecret(resolve, ch.URL)
		if err != nil {
			return nil, err
		}
		return teams.New(url, nil)
	case plan.ChannelWebhook:
		url, err := requiredSecret(resolve, ch.URL)
		if err != nil {
			return nil, err
		}
		key, err := requiredSecret(resolve, ch.SigningKey)
		if err != nil {
			return nil, err
		}
		return webhook.New(webhook.Config{URL: url, Secret: []byte(key)}, nil, clk)
	}
	return nil, fmt.Errorf("unknown channel type %q", ch.Type)
}

func requiredSecret(resolve func(plan.Secret) (string, error), s plan.Secret) (string, error) {
	v, err := resolve(s)
	if err == nil && v == "" {
		err = plan.ErrSecretUnset
	}
	return v, err
}

// isLoopback reports whether host is this machine, where a relay without STARTTLS is acceptable.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// planRouter chooses an alert's escalation from the crisis plan as stored when the alert fires, so a
// plan saved in the UI, through the API or by plan import applies to the next alert without a
// restart: its people, schedules, policies and channels.
type planRouter struct {
	st       plan.Versions
	clk      clock.Clock
	log      *slog.Logger
	channels *channelSet
}

// Route converts every policy the plan's routing tree picks (more than one where a route says
// continue) into the engine's terms: people and the people schedules have on duty now become
// recipients, each with a contact on every channel that can send and where they have an address. A
// step left without recipients or channels is dropped; a policy left without steps pages nobody, and
// an alert left without policies is shown in the app only.
func (r *planRouter) Route(ev alert.Event) []escalate.Policy {
	// The engine's Router takes no context; a stuck database must still not hold an alert forever.
	ctx, cancel := context.WithTimeout(context.Background(), planReadTimeout)
	defer cancel()
	p, _, version, err := plan.Current(ctx, r.st)
	if err != nil {
		r.log.Error("crisis plan unreadable: alert pages nobody", "alert", ev.AlertID, "err", err)
		return nil
	}
	// Channels added or changed since the last look send from this alert on.
	channels := r.channels.use(p, version)
	a := plan.Alert{Severity: ev.Severity.String(), Monitor: ev.Monitor, Kind: ev.Kind}
	if ev.Explanation != nil {
		a.Categories = slices.Sorted(maps.Keys(ev.Explanation.Categories))
	}
	var out []escalate.Policy
	for _, pp := range p.Route(a) {
		pol := convertPolicy(p, pp, channels, r.clk.Now())
		if len(pol.Steps) == 0 {
			r.log.Warn("escalation policy pages nobody: no step has a recipient on a channel that can send", "alert", ev.AlertID, "policy", pp.ID)
			continue
		}
		out = append(out, pol)
	}
	return out
}

func convertPolicy(p *plan.Plan, pol plan.Policy, channels map[string]notify.Integration, now time.Time) escalate.Policy {
	out := escalate.Policy{ID: pol.ID, Name: pol.Name, Repeat: pol.Repeat}
	people := make(map[string]plan.Person, len(p.People))
	for _, person := range p.People {
		people[person.ID] = person
	}
	channelType := map[string]string{plan.ChannelInApp: plan.ChannelInApp}
	for _, ch := range p.Channels {
		channelType[ch.ID] = ch.Type
	}
	// Chat channels and the in-app list are rooms the whole team reads: updates and resolutions are
	// said there once.
	for id, typ := range channelType {
		if _, ok := channels[id]; ok && (typ == plan.ChannelSlack || typ == plan.ChannelTeams || typ == plan.ChannelInApp) {
			out.Rooms = append(out.Rooms, id)
		}
	}
	slices.Sort(out.Rooms)
	for _, st := range pol.Steps {
		var step escalate.Step
		for _, c := range st.Channels {
			if _, ok := channels[c]; ok {
				step.Channels = append(step.Channels, c)
			}
		}
		seen := map[string]bool{}
		add := func(person plan.Person) {
			if seen[person.ID] {
				return
			}
			seen[person.ID] = true
			rc := escalate.Recipient{ID: person.ID, Name: person.Name}
			if len(person.Languages) > 0 {
				rc.Lang = person.Languages[0]
			}
			for _, c := range step.Channels {
				if addr, ok := address(person, channelType[c]); ok {
					rc.Contacts = append(rc.Contacts, escalate.Contact{Channel: c, Address: addr})
				}
			}
			if len(rc.Contacts) > 0 {
				step.Recipients = append(step.Recipients, rc)
			}
		}
		for _, id := range st.People {
			if person, ok := people[id]; ok {
				add(person)
			}
		}
		for _, sched := range st.Schedules {
			for _, person := range p.OnDuty(sched, now) {
				add(person)
			}
		}
		step.Wait = time.Duration(st.Wait) * time.Minute
		if len(step.Recipients) > 0 && len(step.Channels) > 0 && step.Wait > 0 {
			out.Steps = append(out.Steps, step)
		}
	}
	return out
}

// address is where person is reached on a channel of type typ: e-mail needs an address; a chat room
// takes the handle to mention, or none; the webhook and in-app channels name the person by id.
func address(person plan.Person, typ string) (string, bool) {
	switch typ {
	case plan.ChannelEmail:
		return person.Email, person.Email != ""
	case plan.ChannelSlack, plan.ChannelTeams:
		return person.Chat, true
	case plan.ChannelWebhook, plan.ChannelInApp:
		return person.ID, true
	}
	return "", false
}
