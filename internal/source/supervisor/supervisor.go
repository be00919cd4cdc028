// Package supervisor runs the sources configured in the web app under serve: one goroutine per enabled
// source, owned by the Supervisor, started, restarted and stopped as sources are added, changed,
// enabled, disabled or deleted, without restarting the process. Posts go to ingest in small batches,
// cursors are saved through the store only after the posts before them were ingested, and each
// source's health is kept for the web app and /metrics.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/bluesky"
	"github.com/crisisdesk/crisisdesk/internal/source/feed"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/source/x"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Store is what the supervisor reads sources, monitors (for X rules) and cursors from.
type Store interface {
	Sources(ctx context.Context) ([]store.Source, error)
	Monitors(ctx context.Context) ([]store.Monitor, error)
	source.CursorStore
}

// Config tunes a Supervisor. Box is required; the rest has defaults.
type Config struct {
	Box     *secret.Box
	Metrics *source.Metrics // the sources' metrics; nil records none
	Clock   clock.Clock     // nil means the real clock
	Logger  *slog.Logger    // nil discards
	// Backoff spaces the restarts of a source that gave up (bad settings, a permanent error).
	Backoff source.Backoff
	Sleep   source.SleepFunc // nil means source.Sleep
	// BatchSize is the most posts one ingest call takes; default 100.
	BatchSize int
	// FlushEvery bounds how long a post waits in a batch that is not full; default 250ms.
	FlushEvery time.Duration
	// HTTPClient is handed to the connectors; nil means a client guarded by source.Guard, which
	// refuses private, loopback and link-local addresses unless AllowPrivate is set.
	HTTPClient *http.Client
	// AllowPrivate lets sources reach private addresses (intranet feeds, tests on loopback); see
	// source.EnvAllowPrivate. The manager refuses such URLs when saving a source unless it is set.
	AllowPrivate bool
	// RateWindow is the span posts/s is measured over; default 10s.
	RateWindow time.Duration
	// RulesEvery is how often an X source with rule sync checks whether the monitors changed, and
	// then syncs the stream's rules again; default 1m.
	RulesEvery time.Duration
	// SyncEvery is how often the supervisor reads the sources again, to follow changes made outside
	// this process, such as a plan imported on the command line; default 30s.
	SyncEvery time.Duration
}

// Status is one configured source's state as the web app shows it.
type Status struct {
	source.Status
	// Running is whether a goroutine is running the source now.
	Running bool `json:"running"`
	// PostsPerSecond is the rate of accepted posts over the last RateWindow.
	PostsPerSecond float64 `json:"posts_per_second"`
	// Problem is why the supervisor could not run the source (bad settings, credentials it cannot
	// open) or why it last stopped; it is "" while all is well. Connection errors are in LastError.
	Problem string `json:"problem,omitempty"`
}

// Supervisor runs the enabled sources. Run owns the goroutines; Sync brings them in line with the store.
type Supervisor struct {
	cfg Config
	st  Store
	in  Ingester
	log *slog.Logger

	// syncMu orders whole Syncs, reading included: a Sync that read the store before a change must not
	// apply its stale list after the Sync that followed the change.
	syncMu  sync.Mutex
	mu      sync.Mutex
	runCtx  context.Context // set by Run; the parent of every source goroutine
	wg      sync.WaitGroup
	running map[string]*runner
	// ran holds the ids of the sources started since Run began, so the metrics of one that is
	// deleted can be forgotten, even when it was switched off first.
	ran map[string]bool
}

// runner is one source's goroutine and what the web app asks about it.
type runner struct {
	cfg     store.Source
	cancel  context.CancelFunc
	done    chan struct{}
	batch   *batcher
	started time.Time

	mu      sync.Mutex
	src     source.Source // nil until built
	problem string
	sample  rateSample
	rate    float64
}

type rateSample struct {
	at    time.Time
	posts int64
}

// New returns a Supervisor over st that sends posts to in.
func New(cfg Config, st Store, in Ingester) (*Supervisor, error) {
	if cfg.Box == nil {
		return nil, errors.New("supervisor: no secret box to open credentials with")
	}
	if st == nil || in == nil {
		return nil, errors.New("supervisor: store and ingester are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = source.Sleep
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = 250 * time.Millisecond
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = 10 * time.Second
	}
	if cfg.RulesEvery <= 0 {
		cfg.RulesEvery = time.Minute
	}
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = 30 * time.Second
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = source.Guard{AllowPrivate: cfg.AllowPrivate}.HTTPClient()
	}
	return &Supervisor{cfg: cfg, st: st, in: in, log: cfg.Logger.With("component", "sources"), running: map[string]*runner{}, ran: map[string]bool{}}, nil
}

// ErrNotRunning is Sync called before Run or after it ended.
var ErrNotRunning = errors.New("supervisor: not running")

// Run starts every enabled source and keeps them running until ctx ends, then stops them all and
// waits for their goroutines. A source that fails keeps being retried, and so does reading the sources
// at the start when the database does not answer.
func (s *Supervisor) Run(ctx context.Context) error {
	s.mu.Lock()
	s.runCtx = ctx
	s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		err := s.Sync(ctx)
		if err == nil || ctx.Err() != nil {
			break
		}
		s.log.Error("reading the sources failed; trying again", "err", err)
		if s.cfg.Sleep(ctx, s.cfg.Backoff.Delay(attempt, rand.Float64())) != nil {
			break
		}
	}
	s.follow(ctx)
	s.mu.Lock()
	s.runCtx = nil
	for id, r := range s.running {
		r.cancel()
		delete(s.running, id)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// Sync reads the sources from the store and makes the running set match: it starts enabled sources that
// are not running, restarts those whose configuration changed, and stops disabled and deleted ones. It
// returns once the stopped ones have ended, so a deleted source emits nothing after Sync returns.
func (s *Supervisor) Sync(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	srcs, err := s.st.Sources(ctx)
	if err != nil {
		return fmt.Errorf("supervisor: sync: %w", err)
	}
	want := make(map[string]store.Source, len(srcs))
	exists := make(map[string]bool, len(srcs))
	for _, src := range srcs {
		exists[src.ID] = true
		// A webhook source has nothing to run: posts arrive through the API.
		if src.Enabled && src.Kind != store.SourceWebhook {
			want[src.ID] = src
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runCtx == nil {
		return ErrNotRunning
	}
	var stopped []*runner
	for id, r := range s.running {
		if w, ok := want[id]; !ok || !w.UpdatedAt.Equal(r.cfg.UpdatedAt) || w.Settings != r.cfg.Settings || w.Credentials != r.cfg.Credentials {
			r.cancel()
			stopped = append(stopped, r)
			delete(s.running, id)
		}
	}
	for _, r := range stopped {
		select {
		case <-r.done:
		case <-ctx.Done():
			return fmt.Errorf("supervisor: sync: waiting for %q to stop: %w", r.cfg.ID, ctx.Err())
		}
	}
	for id := range s.ran {
		if !exists[id] {
			s.cfg.Metrics.Forget(id)
			delete(s.ran, id)
		}
	}
	for id, src := range want {
		if _, ok := s.running[id]; !ok {
			s.start(src)
		}
	}
	return nil
}

// start runs src on a goroutine the supervisor owns. s.mu is held.
func (s *Supervisor) start(src store.Source) {
	ctx, cancel := context.WithCancel(s.runCtx)
	r := &runner{cfg: src, cancel: cancel, done: make(chan struct{}), started: s.cfg.Clock.Now()}
	r.batch = newBatcher(s.in, s.cfg.BatchSize, s.st)
	s.running[src.ID] = r
	s.ran[src.ID] = true
	s.wg.Go(func() {
		defer close(r.done)
		s.run(ctx, r)
	})
	s.log.Info("source started", "source", src.ID, "kind", src.Kind)
}

// run keeps one source running until ctx ends, rebuilding and restarting it after it gives up.
func (s *Supervisor) run(ctx context.Context, r *runner) {
	log := s.log.With("source", r.cfg.ID, "kind", r.cfg.Kind)
	var flushers sync.WaitGroup
	defer flushers.Wait()
	flushCtx, stopFlush := context.WithCancel(ctx)
	defer stopFlush()
	flushers.Go(func() { s.flushLoop(flushCtx, r, log) })
	for attempt := 0; ; attempt++ {
		began := s.cfg.Clock.Now()
		err := s.runOnce(ctx, r, log)
		// A source that ran a good while before it failed starts its backoff afresh.
		if s.cfg.Clock.Now().Sub(began) >= time.Minute {
			attempt = 0
		}
		// Posts still buffered are stored now, even though ctx ended, so a stop does not make them wait
		// for the next start; their cursor was not saved, so a failure here loses nothing.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if ferr := r.batch.flush(fctx); ferr != nil {
			log.Error("storing the last posts of a stopped source", "err", ferr)
		}
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.setProblem(err.Error())
			log.Error("source stopped; restarting after a pause", "err", err)
		}
		if s.cfg.Sleep(ctx, s.cfg.Backoff.Delay(attempt, rand.Float64())) != nil {
			return
		}
	}
}

// flushLoop sends a batch that is not full after FlushEvery, so a quiet source's posts do not wait.
func (s *Supervisor) flushLoop(ctx context.Context, r *runner, log *slog.Logger) {
	t := time.NewTicker(s.cfg.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.batch.flush(ctx); err != nil && ctx.Err() == nil {
				log.Warn("ingest failed; the posts stay buffered and are tried again", "err", err)
			}
		}
	}
}

func (s *Supervisor) runOnce(ctx context.Context, r *runner, log *slog.Logger) error {
	src, filter, alongside, err := s.build(ctx, r, log)
	if err != nil {
		return err
	}
	if alongside != nil {
		// Work that lives as long as this run of the source, such as keeping X's rules in step.
		actx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { alongside(actx) })
		defer wg.Wait()
		defer stop()
	}
	r.mu.Lock()
	r.src, r.problem = src, ""
	r.mu.Unlock()
	emit := func(ctx context.Context, p post.Post) error {
		if filter != nil && !filter(p) {
			return nil
		}
		return r.batch.emit(ctx, p)
	}
	if err := src.Run(ctx, emit); err != nil {
		return fmt.Errorf("source %s: %w", r.cfg.ID, err)
	}
	return nil
}

// build makes the connector for r's configuration. It returns a filter for the posts too, for settings
// the connector itself does not apply (Bluesky languages), and work to run alongside the source.
func (s *Supervisor) build(ctx context.Context, r *runner, log *slog.Logger) (src source.Source, filter func(post.Post) bool, alongside func(context.Context), err error) {
	cfg := r.cfg
	set, err := ParseSettings(cfg.Settings)
	if err != nil {
		return nil, nil, nil, source.Permanent(err)
	}
	creds, err := OpenCredentials(s.cfg.Box, cfg.Credentials)
	if err != nil {
		return nil, nil, nil, source.Permanent(err)
	}
	if err := set.Validate(cfg.Kind, creds); err != nil {
		return nil, nil, nil, source.Permanent(err)
	}
	var client *http.Client = s.cfg.HTTPClient
	switch cfg.Kind {
	case store.SourceBluesky:
		u := set.URL
		if u == "" {
			u = DefaultJetstreamURL
		}
		bcfg := bluesky.Config{ID: cfg.ID, URL: u, HTTPClient: client, Cursors: r.batch,
			Clock: s.cfg.Clock, Metrics: s.cfg.Metrics, Logger: log}
		if set.Engagement {
			if bcfg.Engagement = s.engagementSink(r); bcfg.Engagement == nil {
				log.Warn("counting likes and reposts is on, but posts go where counts cannot follow (a bus); not counting")
			}
		}
		src, err := bluesky.New(bcfg)
		if len(set.Langs) > 0 {
			langs := set.Langs
			filter = func(p post.Post) bool { return slices.Contains(langs, p.Lang) }
		}
		return src, filter, nil, err
	case store.SourceMastodon:
		src, err := mastodon.New(mastodon.Config{ID: cfg.ID, URL: MastodonStreamURL(set.URL, set.Stream, set.Hashtag),
			Token: creds.Token.Reveal(), Client: client, Cursors: r.batch, Clock: s.cfg.Clock, Metrics: s.cfg.Metrics, Logger: log})
		return src, nil, nil, err
	case store.SourceRSS:
		interval := feed.DefaultInterval
		if set.Interval != "" {
			interval, _ = time.ParseDuration(set.Interval) // Validate accepted it
		}
		src, err := feed.New(feed.Config{ID: cfg.ID, URL: set.URL, Interval: interval, Client: client, Cursors: r.batch,
			Clock: s.cfg.Clock, Metrics: s.cfg.Metrics, Logger: log})
		return src, nil, nil, err
	case store.SourceX:
		base := strings.TrimSuffix(strings.TrimSuffix(set.URL, "/"), x.StreamPath)
		xc, err := x.NewClient(x.ClientConfig{BaseURL: base, Token: creds.Token.Reveal(), HTTPClient: client})
		if err != nil {
			return nil, nil, nil, source.Permanent(err)
		}
		if set.SyncRules {
			synced, err := s.syncXRules(ctx, xc, log)
			if err != nil {
				return nil, nil, nil, err
			}
			alongside = func(ctx context.Context) { s.followMonitors(ctx, xc, synced, log) }
		}
		// The counts of retweeted tweets come with each retweet at no cost, so they are always taken.
		src, err := x.New(x.Config{ID: cfg.ID, Client: xc, Cursors: r.batch, Clock: s.cfg.Clock, Metrics: s.cfg.Metrics, Logger: log,
			Engagement: s.engagementSink(r)})
		return src, nil, alongside, err
	}
	return nil, nil, nil, source.Permanent(fmt.Errorf("%w: %q", ErrKind, cfg.Kind))
}

// followMonitors syncs X's rules again whenever the enabled monitors change, so that a monitor added in
// the web app reaches the stream without restarting it. Rule changes apply to the open stream.
func (s *Supervisor) followMonitors(ctx context.Context, xc *x.Client, synced string, log *slog.Logger) {
	t := time.NewTicker(s.cfg.RulesEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ms, err := s.st.Monitors(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("x rules: reading the monitors failed; trying again later", "err", err)
			}
			continue
		}
		if monitorsKey(ms) == synced {
			continue
		}
		next, err := s.syncXRules(ctx, xc, log)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("x rules: sync failed; trying again later", "err", err)
			}
			continue
		}
		synced = next
	}
}

// monitorsKey identifies the enabled monitors and their queries, to tell whether X's rules are stale.
func monitorsKey(ms []store.Monitor) string {
	var b strings.Builder
	for _, m := range ms {
		if m.Enabled {
			b.WriteString(m.ID)
			b.WriteByte(0)
			b.WriteString(m.Query)
			b.WriteByte(0)
		}
	}
	return b.String()
}

// syncXRules makes the filtered stream's rules those of the enabled monitors, and returns the
// monitorsKey it synced. A monitor X cannot express is logged and left out; the others still listen.
func (s *Supervisor) syncXRules(ctx context.Context, xc *x.Client, log *slog.Logger) (string, error) {
	stored, err := s.st.Monitors(ctx)
	if err != nil {
		return "", fmt.Errorf("x rules: %w", err)
	}
	var ms []query.Monitor
	for _, m := range stored {
		if !m.Enabled {
			continue
		}
		q, err := query.Parse(m.Query)
		if err != nil {
			log.Warn("x rules: skipping a monitor whose query does not parse", "monitor", m.ID, "err", err)
			continue
		}
		ms = append(ms, query.Monitor{ID: m.ID, Query: q})
	}
	rules, refused := x.RulesFromMonitors(ms, x.DefaultMaxRuleLength)
	for id, te := range refused {
		log.Warn("x rules: monitor left out", "monitor", id, "reason", te.Message("en"))
	}
	res, err := xc.SyncRules(ctx, rules, false)
	if err != nil {
		return "", fmt.Errorf("x rules: %w", err)
	}
	log.Info("x rules synced", "added", len(res.Added), "deleted", len(res.Deleted), "kept", len(res.Kept), "left_out", len(refused))
	return monitorsKey(stored), nil
}

func (r *runner) setProblem(p string) {
	r.mu.Lock()
	r.problem = p
	r.mu.Unlock()
}

// Statuses returns the status of every running source by id. A configured source that is absent is
// not running: disabled, or a webhook.
func (s *Supervisor) Statuses() map[string]Status {
	now := s.cfg.Clock.Now()
	s.mu.Lock()
	rs := make([]*runner, 0, len(s.running))
	for _, r := range s.running {
		rs = append(rs, r)
	}
	s.mu.Unlock()
	out := make(map[string]Status, len(rs))
	for _, r := range rs {
		out[r.cfg.ID] = r.status(now, s.cfg.RateWindow)
	}
	return out
}

// status reads the connector's status and updates the rate: over the last full window when there is
// one, else since the start.
func (r *runner) status(now time.Time, window time.Duration) Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := Status{Running: true, Problem: r.problem}
	if r.src != nil {
		st.Status = r.src.Status()
	}
	st.ID = r.cfg.ID
	if r.sample.at.IsZero() {
		r.sample = rateSample{at: r.started}
	}
	switch dt := now.Sub(r.sample.at); {
	case dt >= window:
		r.rate = float64(st.Posts-r.sample.posts) / dt.Seconds()
		r.sample = rateSample{at: now, posts: st.Posts}
	case dt > 0 && r.sample.at.Equal(r.started):
		r.rate = float64(st.Posts) / dt.Seconds()
	}
	st.PostsPerSecond = r.rate
	return st
}
