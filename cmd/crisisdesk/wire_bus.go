package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/bus"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/web"
)

// busConfig tunes serve's scaled-out mode.
type busConfig struct {
	Partitions int
	Replicas   int
	AckWait    time.Duration
	LeaseTTL   time.Duration
	History    time.Duration
	Worker     string
}

// Subjects on which a worker tells the others that monitors or silences changed. Core NATS, not
// JetStream: a worker that misses one reloads monitors every monitorReload anyway, and reads silences
// from the store when it takes a partition.
const (
	monitorsChanged = "crisisdesk.monitors.changed"
	silencesChanged = "crisisdesk.silences.changed"
	monitorReload   = time.Minute
)

// busBoot is the boot of every alert the partition owners raise. The alert path resolves open alerts
// of other boots that went quiet, as orphans of a process that died; the partition owners' alerts are
// never orphans, because a partition's next owner rebuilds them.
const busBoot = "bus"

// addBusFlags adds the flags of the scaled-out mode to serve.
func addBusFlags(c *cli) error {
	d := bus.DefaultJetStreamConfig()
	ints := map[string]*int{"PARTITIONS": &c.cfg.Bus.Partitions, "NATS_REPLICAS": &c.cfg.Bus.Replicas}
	defInts := map[string]int{"PARTITIONS": d.Partitions, "NATS_REPLICAS": d.Replicas}
	for name, p := range ints {
		*p = defInts[name]
		if v := c.env.get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("CRISISDESK_%s=%q: want a whole number of at least 1", name, v)
			}
			*p = n
		}
	}
	durs := map[string]*time.Duration{"NATS_ACK_WAIT": &c.cfg.Bus.AckWait, "NATS_LEASE": &c.cfg.Bus.LeaseTTL, "NATS_HISTORY": &c.cfg.Bus.History}
	defDurs := map[string]time.Duration{"NATS_ACK_WAIT": d.AckWait, "NATS_LEASE": d.LeaseTTL, "NATS_HISTORY": d.History}
	for name, p := range durs {
		*p = defDurs[name]
		if v := c.env.get(name); v != "" {
			dur, err := time.ParseDuration(v)
			if err != nil || dur <= 0 {
				return fmt.Errorf("CRISISDESK_%s=%q: want a positive duration such as 30s", name, v)
			}
			*p = dur
		}
	}
	host, _ := os.Hostname()
	c.fs.StringVar(&c.cfg.NATS, "nats", c.env.get("NATS"), "NATS server URLs, comma-separated: scale out over JetStream with PostgreSQL (CRISISDESK_NATS)")
	c.fs.IntVar(&c.cfg.Bus.Partitions, "partitions", c.cfg.Bus.Partitions, "detection partitions; the same on every worker (CRISISDESK_PARTITIONS)")
	c.fs.IntVar(&c.cfg.Bus.Replicas, "nats-replicas", c.cfg.Bus.Replicas, "replicas of every stream; 3 on a 3-server cluster (CRISISDESK_NATS_REPLICAS)")
	c.fs.DurationVar(&c.cfg.Bus.AckWait, "nats-ack-wait", c.cfg.Bus.AckWait, "posts a worker took but did not finish go to another after this (CRISISDESK_NATS_ACK_WAIT)")
	c.fs.DurationVar(&c.cfg.Bus.LeaseTTL, "nats-lease", c.cfg.Bus.LeaseTTL, "a dead worker's partitions are taken over after this (CRISISDESK_NATS_LEASE)")
	c.fs.DurationVar(&c.cfg.Bus.History, "nats-history", c.cfg.Bus.History, "how long analysed posts are kept for rebuilding detection on takeover (CRISISDESK_NATS_HISTORY)")
	c.fs.StringVar(&c.cfg.Bus.Worker, "worker-id", or(c.env.get("WORKER_ID"), host+"-"+strconv.Itoa(os.Getpid())), "this worker's name, unique among the workers (CRISISDESK_WORKER_ID)")
	return nil
}

// scaleOut is serve with --nats: posts that arrive are published on the JetStream ingest stream;
// every worker analyses, matches and stores some of them (the work queue), and publishes the result
// to the partitions; the owner of each partition runs detection and alerting for its monitors. A nil
// *scaleOut is serve on its own, and its methods then hand back the single-node components.
type scaleOut struct {
	cfg      busConfig
	n        int // partitions
	nc       *nats.Conn
	tr       *bus.JetStream
	st       store.Store
	clk      clock.Clock
	log      *slog.Logger
	reg      prometheus.Registerer
	alerts   *alerting
	monitors *ingest.Monitors
	lang     string

	ing     *ingest.Ingester
	capture matchedCapture

	mu    sync.Mutex
	parts map[int]*partitionDetector
}

// newScaleOut connects to NATS and sets up the streams, or returns nil when cfg.NATS is empty.
func newScaleOut(ctx context.Context, cfg config, st store.Store, monitors *ingest.Monitors, alerts *alerting, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*scaleOut, error) {
	if cfg.NATS == "" {
		return nil, nil
	}
	if !strings.HasPrefix(cfg.DB, "postgres://") && !strings.HasPrefix(cfg.DB, "postgresql://") {
		return nil, errors.New("--nats needs --db postgres://…: the workers share the plan, monitors, alerts and posts through PostgreSQL")
	}
	log := logger.With("component", "bus", "worker", cfg.Bus.Worker)
	nc, err := nats.Connect(cfg.NATS, nats.Name("crisisdesk "+cfg.Bus.Worker), nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { log.Warn("disconnected from NATS", "err", err) }),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("reconnected to NATS", "url", c.ConnectedUrlRedacted()) }))
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	tr, err := bus.OpenJetStream(ctx, nc, bus.JetStreamConfig{Partitions: cfg.Bus.Partitions, Replicas: cfg.Bus.Replicas,
		AckWait: cfg.Bus.AckWait, LeaseTTL: cfg.Bus.LeaseTTL, History: cfg.Bus.History})
	if err != nil {
		nc.Close()
		return nil, err
	}
	lang := "en"
	if cfg.Lang == "nl" {
		lang = "nl"
	}
	alerts.boot = busBoot
	log.Info("scaled out over NATS JetStream", "partitions", cfg.Bus.Partitions, "replicas", cfg.Bus.Replicas)
	return &scaleOut{cfg: cfg.Bus, n: tr.Partitions(), nc: nc, tr: tr, st: st, clk: clk, log: log, reg: reg, alerts: alerts, monitors: monitors,
		lang: lang, parts: map[int]*partitionDetector{}}, nil
}

// observer is what ingest hands matched posts to: the alert path on a single node; on the bus, the
// analysis step, which publishes them to their partitions.
func (s *scaleOut) observer(single ingest.Observer) ingest.Observer {
	if s == nil {
		return single
	}
	return &s.capture
}

// writer is where arriving posts go: ingest on a single node; the ingest stream on the bus, where
// ing is the analysis step of this worker.
func (s *scaleOut) writer(ing *ingest.Ingester) web.PostWriter {
	if s == nil {
		return ing
	}
	s.ing = ing
	return busWriter{s.tr}
}

// monitorService is the web app's monitor service; on the bus it tells the other workers of changes.
func (s *scaleOut) monitorService(ms *ingest.Monitors) web.MonitorService {
	if s == nil {
		return ms
	}
	return busMonitors{Monitors: ms, s: s}
}

// silencer takes new silences: the alert manager of a single node, or every partition owner.
func (s *scaleOut) silencer(single web.Silencer) web.Silencer {
	if s == nil {
		return single
	}
	return busSilencer{s}
}

// close drains the NATS connection after the workers stopped.
func (s *scaleOut) close() {
	if s == nil {
		return
	}
	if err := s.nc.Drain(); err != nil {
		s.log.Warn("drain NATS connection", "err", err)
	}
}

// run starts the analysis worker, the partition owner and the change listeners; wg owns them.
func (s *scaleOut) run(ctx context.Context, wg *sync.WaitGroup) error {
	if s == nil {
		return nil
	}
	an, err := bus.NewAnalyzer(s.tr, s.analyse, bus.AnalyzerConfig{Logger: s.log, Registerer: s.reg})
	if err != nil {
		return err
	}
	owner, err := bus.NewOwner(s.tr, s.newPartition, bus.OwnerConfig{Worker: s.cfg.Worker, Renew: s.cfg.LeaseTTL / 3,
		GapTimeout: 2*s.cfg.AckWait + 10*time.Second, Logger: s.log})
	if err != nil {
		return err
	}
	msub, err := s.nc.Subscribe(monitorsChanged, func(*nats.Msg) { s.reloadMonitors(ctx) })
	if err != nil {
		return fmt.Errorf("nats: subscribe: %w", err)
	}
	ssub, err := s.nc.Subscribe(silencesChanged, func(m *nats.Msg) { s.silenceFromPeer(m.Data) })
	if err != nil {
		return fmt.Errorf("nats: subscribe: %w", err)
	}
	wg.Go(func() {
		if err := an.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.ErrorContext(ctx, "analysis worker stopped", "err", err)
		}
	})
	wg.Go(func() {
		if err := owner.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.ErrorContext(ctx, "partition owner stopped", "err", err)
		}
	})
	wg.Go(func() {
		defer msub.Unsubscribe()
		defer ssub.Unsubscribe()
		t := time.NewTicker(monitorReload)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.reloadMonitors(ctx)
			}
		}
	})
	return nil
}

func (s *scaleOut) reloadMonitors(ctx context.Context) {
	if _, err := s.monitors.Load(ctx); err != nil {
		s.log.ErrorContext(ctx, "reload monitors", "err", err)
	}
}

// busWriter publishes arriving posts on the ingest stream, keyed by platform and id, so that a post
// sent twice within the dedupe window is analysed once. Stored counts what the stream took; whether a
// post matched a monitor is decided later, by the worker that analyses it.
type busWriter struct{ tr *bus.JetStream }

// Ingest implements web.PostWriter and supervisor.Ingester.
func (w busWriter) Ingest(ctx context.Context, posts []post.Post) (ingest.Result, error) {
	msgs := make([]bus.Outgoing, len(posts))
	for i := range posts {
		data, err := json.Marshal(&posts[i])
		if err != nil {
			return ingest.Result{}, fmt.Errorf("bus: encode post %q: %w", posts[i].ID, err)
		}
		msgs[i] = bus.Outgoing{ID: posts[i].Platform + ":" + posts[i].ID, Data: data}
	}
	dups, err := w.tr.PublishIngest(ctx, msgs)
	if err != nil {
		return ingest.Result{}, err
	}
	return ingest.Result{Received: len(posts), Stored: len(posts) - dups, Duplicates: dups}, nil
}

// matchedCapture is the Observer of the analysis step's Ingester: it keeps the matched posts of the
// batch being stored, and the stored ones whose engagement counts the batch raised, for the analysis
// step to publish. One analysis loop runs per worker, so one batch is in flight at a time.
type matchedCapture struct {
	posts  []store.StoredPost
	raised []store.RaisedPost
}

func (c *matchedCapture) Observe(ctx context.Context, posts []store.StoredPost) error {
	c.posts = append(c.posts, posts...)
	return nil
}

func (c *matchedCapture) ObserveEngagement(ctx context.Context, posts []store.RaisedPost) error {
	c.raised = append(c.raised, posts...)
	return nil
}

// busPost is an analysed post on a partition stream. Before is set for a stored post that came
// again with higher engagement counts: detection takes it as a metrics update, as on a single node.
type busPost struct {
	store.StoredPost
	Before *post.Metrics `json:",omitempty"`
}

// analyse is the bus's AnalyseFunc: decode, analyse, match and store through ingest, and return each
// post's time and, when it matched, the analysed post for its partitions.
func (s *scaleOut) analyse(ctx context.Context, ds []bus.Delivery) ([]bus.Analysed, error) {
	posts := make([]post.Post, 0, len(ds))
	idx := make([]int, len(ds)) // delivery → index in posts, or -1
	for i, d := range ds {
		p, err := post.Decode(d.Data)
		if err != nil {
			s.log.WarnContext(ctx, "skipping an ingest message that is not a valid post", "seq", d.Seq, "err", err)
			idx[i] = -1
			continue
		}
		idx[i] = len(posts)
		posts = append(posts, p)
	}
	s.capture.posts, s.capture.raised = s.capture.posts[:0], s.capture.raised[:0]
	if _, err := s.ing.Ingest(ctx, posts); err != nil {
		return nil, err
	}
	matched := make(map[string]busPost, len(s.capture.posts)+len(s.capture.raised))
	for _, sp := range s.capture.posts {
		matched[sp.Post.Platform+"\x00"+sp.Post.ID] = busPost{StoredPost: sp}
	}
	for _, rp := range s.capture.raised {
		matched[rp.Post.Platform+"\x00"+rp.Post.ID] = busPost{StoredPost: rp.StoredPost, Before: &rp.Before}
	}
	out := make([]bus.Analysed, len(ds))
	for i := range ds {
		if idx[i] < 0 {
			continue
		}
		p := &posts[idx[i]]
		out[i].At = p.CreatedAt
		if sp, ok := matched[p.Platform+"\x00"+p.ID]; ok {
			data, err := json.Marshal(sp)
			if err != nil {
				return nil, fmt.Errorf("bus: encode analysed post %q: %w", p.ID, err)
			}
			out[i].Post, out[i].Monitors = data, sp.Monitors
		}
	}
	return out, nil
}

// newPartition is the bus's NewHandler: a detector and an alert manager of the partition's own,
// with the silences as stored now.
func (s *scaleOut) newPartition(ctx context.Context, part int) (bus.Handler, error) {
	sim := clock.NewSim(time.Time{})
	det, err := detect.New(detect.DefaultConfig(), sim, s.log, nil)
	if err != nil {
		return nil, fmt.Errorf("partition %d: detector: %w", part, err)
	}
	acfg := alert.DefaultConfig()
	acfg.Lang = s.lang
	mgr, err := alert.New(acfg, sim, s.log, nil)
	if err != nil {
		return nil, fmt.Errorf("partition %d: alert manager: %w", part, err)
	}
	silences, err := s.st.Silences(ctx, s.clk.Now())
	if err != nil {
		return nil, fmt.Errorf("partition %d: %w", part, err)
	}
	for _, si := range silences {
		if err := mgr.AddSilence(alert.Silence{ID: si.ID, Monitor: si.Monitor, Kind: si.Kind, Start: si.Start, End: si.End, Comment: si.Comment}); err != nil {
			return nil, fmt.Errorf("partition %d: silence %s: %w", part, si.ID, err)
		}
	}
	pd := &partitionDetector{part: part, n: s.n, sim: sim, real: s.clk, det: det, mgr: mgr, alerts: s.alerts,
		log: s.log.With("partition", part), ids: map[string]string{}}
	s.mu.Lock()
	s.parts[part] = pd
	s.mu.Unlock()
	return pd, nil
}

// partitionDetector is detection and alerting for the monitors of one partition.
//
// Time. It runs on a clock of its own that follows the posts' created_at, as `crisisdesk replay`
// does, and never moves back: every partition sees every post's time in the same order, so each
// raises exactly the alerts a single node replaying the same input would, and a new owner that
// replays the history rebuilds exactly the state the last one had. While posts are live (the clock
// within liveLag of the wall clock) the clock also follows the wall clock when quiet, so quiet
// alerts resolve; replayed history moves it only with its posts.
//
// Alert ids are made from the monitor, the kind and the time the alert opened, rather than numbered
// by the process, so the owner after a takeover updates and resolves the alerts the last one opened
// instead of raising them again.
type partitionDetector struct {
	part, n int
	sim     *clock.Sim
	real    clock.Clock
	det     *detect.Detector
	mgr     *alert.Manager
	alerts  *alerting
	log     *slog.Logger

	mu   sync.Mutex
	ids  map[string]string // the manager's alert id → the stored one
	sigs []detect.Signal
	evs  []alert.Event
	sp   busPost
}

// liveLag is how far behind the wall clock a partition's clock may be for it to count as live.
const liveLag = time.Hour

// Step implements bus.Handler.
func (pd *partitionDetector) Step(ctx context.Context, seq uint64, at time.Time, data []byte, live bool) error {
	if at.IsZero() {
		return nil // a message that was not a post: replay skips such a line too
	}
	pd.mu.Lock()
	defer pd.mu.Unlock()
	if now := pd.real.Now(); at.After(now) {
		at = now // a post dated in the future must not run the clock ahead
	}
	pd.sim.Set(at)
	pd.evs = pd.mgr.Tick(pd.evs[:0])
	if data != nil {
		pd.sp = busPost{}
		if err := json.Unmarshal(data, &pd.sp); err != nil {
			// Written by a worker of this version; one that does not read is logged and left out.
			pd.log.ErrorContext(ctx, "skipping an analysed post that does not decode", "seq", seq, "err", err)
		} else {
			mons := pd.sp.Monitors[:0:0]
			for _, m := range pd.sp.Monitors {
				if bus.Partition(m, pd.n) == pd.part {
					mons = append(mons, m)
				}
			}
			if len(mons) > 0 {
				sp := &pd.sp
				in := detect.Input{Post: &sp.Post, Sentiment: sp.Analysis.Sentiment, Complaint: sp.Analysis.Complaint,
					Lang: sp.Analysis.Lang, Categories: sp.Analysis.Categories, Monitors: mons}
				if sp.Before != nil {
					pd.sigs = pd.det.ObserveEngagement(in, *sp.Before, pd.sigs[:0])
				} else {
					pd.sigs = pd.det.Observe(in, pd.sigs[:0])
				}
				for _, sig := range pd.sigs {
					pd.evs = pd.mgr.Add(sig, pd.evs)
				}
			}
		}
	}
	pd.handle(ctx, live)
	return nil
}

// Idle implements bus.Handler: a live partition's clock follows the wall clock while it is quiet.
func (pd *partitionDetector) Idle(ctx context.Context) error {
	pd.mu.Lock()
	defer pd.mu.Unlock()
	now := pd.real.Now()
	if now.Sub(pd.sim.Now()) > liveLag {
		return nil
	}
	pd.sim.Set(now)
	pd.evs = pd.mgr.Tick(pd.evs[:0])
	pd.handle(ctx, true)
	return nil
}

// handle gives the events to the alert path, with stable ids; while rebuilding it only learns the ids.
func (pd *partitionDetector) handle(ctx context.Context, live bool) {
	for _, ev := range pd.evs {
		id, ok := pd.ids[ev.AlertID]
		if !ok {
			id = stableAlertID(ev.Monitor, ev.Kind, ev.At)
			pd.ids[ev.AlertID] = id
		}
		if ev.Status == alert.Resolved {
			delete(pd.ids, ev.AlertID)
		}
		if !live {
			continue
		}
		managerID := ev.AlertID
		ev.AlertID = id
		err := pd.alerts.deliverLocked(ctx, ev)
		if errors.Is(err, store.ErrAlreadyExists) {
			// Another alert of this monitor and kind is open: one an earlier owner opened that the
			// rebuild did not reproduce (its history expired). Carry that one on instead.
			var adopted string
			if adopted, err = pd.openAlert(ctx, ev.Monitor, ev.Kind); err == nil {
				pd.log.InfoContext(ctx, "alert of an earlier owner adopted", "alert", adopted, "monitor", ev.Monitor, "kind", ev.Kind)
				if ev.Status != alert.Resolved {
					pd.ids[managerID] = adopted
				}
				ev.AlertID = adopted
				err = pd.alerts.deliverLocked(ctx, ev)
			}
		}
		if err != nil {
			pd.log.ErrorContext(ctx, "alert event not delivered", "alert", ev.AlertID, "err", err)
		}
	}
}

// openAlert returns the id of the open partition-owner alert of monitor and kind.
func (pd *partitionDetector) openAlert(ctx context.Context, monitor, kind string) (string, error) {
	open, err := pd.alerts.st.Alerts(ctx, store.AlertQuery{Monitor: monitor, Status: store.AlertOpen, Limit: 1000})
	if err != nil {
		return "", err
	}
	for _, a := range open {
		if a.Kind == kind && strings.HasPrefix(a.ID, busBoot+"-") {
			return a.ID, nil
		}
	}
	return "", fmt.Errorf("alerts: no open alert of %s %s to adopt", monitor, kind)
}

// stableAlertID names an alert by what opened it, the same on every worker.
func stableAlertID(monitor, kind string, opened time.Time) string {
	h := fnv.New64a()
	h.Write([]byte(monitor))
	h.Write([]byte{0})
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(strconv.AppendInt(nil, opened.UnixNano(), 10))
	return busBoot + "-" + strconv.FormatUint(h.Sum64(), 36)
}

// deliverLocked delivers one event under the alert path's lock, which keeps the events of different
// partitions from interleaving in the escalation engine.
func (a *alerting) deliverLocked(ctx context.Context, ev alert.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.deliver(ctx, ev)
}

// busMonitors is the monitor service on the bus: after a change it tells the other workers, which
// reload their monitors from the store.
type busMonitors struct {
	*ingest.Monitors
	s *scaleOut
}

func (m busMonitors) changed(ctx context.Context) {
	if err := m.s.nc.Publish(monitorsChanged, nil); err != nil {
		m.s.log.WarnContext(ctx, "telling the other workers of a monitor change failed; they reload within a minute", "err", err)
	}
}

func (m busMonitors) Create(ctx context.Context, name, q string, enabled bool, userID int64) (store.Monitor, error) {
	mon, err := m.Monitors.Create(ctx, name, q, enabled, userID)
	if err == nil {
		m.changed(ctx)
	}
	return mon, err
}

func (m busMonitors) Update(ctx context.Context, id, name, q string, enabled bool) (store.Monitor, error) {
	mon, err := m.Monitors.Update(ctx, id, name, q, enabled)
	if err == nil {
		m.changed(ctx)
	}
	return mon, err
}

func (m busMonitors) Delete(ctx context.Context, id string) error {
	err := m.Monitors.Delete(ctx, id)
	if err == nil {
		m.changed(ctx)
	}
	return err
}

// busSilencer gives a new silence to the partitions this worker owns and tells the other workers.
type busSilencer struct{ s *scaleOut }

// silenceMsg is a silence as workers tell each other of it.
type silenceMsg struct {
	ID      string    `json:"id"`
	Monitor string    `json:"monitor"`
	Kind    string    `json:"kind"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Comment string    `json:"comment"`
}

func (b busSilencer) AddSilence(si alert.Silence) error {
	if err := b.s.addSilence(si); err != nil {
		return err
	}
	data, err := json.Marshal(silenceMsg(si))
	if err != nil {
		return err
	}
	if err := b.s.nc.Publish(silencesChanged, data); err != nil {
		return fmt.Errorf("nats: tell the other workers of a silence: %w", err)
	}
	return nil
}

func (s *scaleOut) addSilence(si alert.Silence) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, pd := range s.parts {
		pd.mu.Lock()
		err := pd.mgr.AddSilence(si)
		pd.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *scaleOut) silenceFromPeer(data []byte) {
	var m silenceMsg
	if err := json.Unmarshal(data, &m); err != nil {
		s.log.Error("a silence from another worker does not decode", "err", err)
		return
	}
	if err := s.addSilence(alert.Silence(m)); err != nil {
		s.log.Error("a silence from another worker was refused", "silence", m.ID, "err", err)
	}
}

// sourcesSync is how often the worker running the sources reads them from the store, to pick up
// sources changed on another worker.
const sourcesSync = 30 * time.Second

// runSources runs the configured sources: on a single node at once; on the bus only on the one
// worker that holds the sources lease, so each source is polled or streamed once. The worker that
// takes the lease over when the holder dies starts them from their saved cursors, and posts sent
// twice around the takeover are dropped by the ingest stream's dedupe.
func (s *scaleOut) runSources(ctx context.Context, wg *sync.WaitGroup, listening *sources) {
	if s == nil {
		listening.run(ctx, wg)
		return
	}
	wg.Go(func() {
		for {
			l, err := s.tr.AcquireNamed(ctx, "sources", s.cfg.Worker)
			switch {
			case err == nil:
				s.holdSources(ctx, l, listening)
			case !errors.Is(err, bus.ErrHeld) && ctx.Err() == nil:
				s.log.WarnContext(ctx, "taking the sources lease failed", "err", err)
			}
			t := time.NewTimer(s.cfg.LeaseTTL / 3)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	})
}

// holdSources runs the sources while the lease holds, and stops them before giving it back.
func (s *scaleOut) holdSources(ctx context.Context, l bus.Lease, listening *sources) {
	s.log.InfoContext(ctx, "this worker runs the sources")
	sctx, cancel := context.WithCancel(ctx)
	var swg sync.WaitGroup
	listening.run(sctx, &swg)
	renew := time.NewTicker(s.cfg.LeaseTTL / 3)
	defer renew.Stop()
	syncT := time.NewTicker(sourcesSync)
	defer syncT.Stop()
	defer func() {
		cancel()
		swg.Wait()
		rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer rcancel()
		if err := s.tr.Release(rctx, l); err != nil {
			s.log.Warn("releasing the sources lease failed; it lapses instead", "err", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-renew.C:
			var err error
			if l, err = s.tr.Renew(ctx, l); err != nil {
				// Lost or unsure: stop, so that two workers never run the sources at once.
				if ctx.Err() == nil {
					s.log.WarnContext(ctx, "the sources lease could not be renewed; stopping the sources", "err", err)
				}
				return
			}
		case <-syncT.C:
			if err := listening.sup.Sync(sctx); err != nil && sctx.Err() == nil {
				s.log.WarnContext(ctx, "reading the sources failed", "err", err)
			}
		}
	}
}

// ready is what /readyz asks: the store, and on the bus also the connection to NATS, so that a load
// balancer stops sending posts to a worker that cannot publish them.
func (s *scaleOut) ready(st web.Pinger) web.Pinger {
	if s == nil {
		return st
	}
	return busReady{st: st, nc: s.nc}
}

type busReady struct {
	st web.Pinger
	nc *nats.Conn
}

func (r busReady) Ping(ctx context.Context) error {
	if err := r.st.Ping(ctx); err != nil {
		return err
	}
	if !r.nc.IsConnected() {
		return fmt.Errorf("nats: not connected (%s)", r.nc.Status())
	}
	return nil
}
