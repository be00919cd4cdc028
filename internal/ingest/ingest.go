package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Store is what ingest writes to.
type Store interface {
	InsertStoredPosts(ctx context.Context, posts []store.StoredPost) (int, error)
	Settings(ctx context.Context) (store.Settings, error)
}

// Observer takes the posts of a batch that matched at least one monitor, after they are stored, for
// detection and alerting. It is called from the goroutine that called Ingest.
type Observer interface {
	Observe(ctx context.Context, posts []store.StoredPost) error
}

// Filter says which posts are stored.
type Filter int

const (
	// FilterBySetting stores the posts that match a monitor, and all posts while the keep_all_posts
	// setting is on. serve ingests this way.
	FilterBySetting Filter = iota
	// StoreAll stores every post, matched or not: importing is an explicit act.
	StoreAll
	// MatchedOnly stores only posts that match a monitor, whatever the setting.
	MatchedOnly
)

// Config tunes an Ingester.
type Config struct {
	Filter Filter
	// Workers analyse a batch in parallel; 0 means GOMAXPROCS. Batches smaller than minParallel
	// posts are analysed on the calling goroutine, where starting workers costs more than it saves.
	Workers  int
	Observer Observer // may be nil
	Enricher Enricher // may be nil (enrich.go)
	Clock    clock.Clock
	Logger   *slog.Logger
	// Registerer takes the metrics; nil means they are not registered anywhere.
	Registerer prometheus.Registerer
}

// minParallel is the smallest batch worth splitting over workers.
const minParallel = 256

// Result counts what happened to a batch. Received = Stored + Duplicates + Dropped.
type Result struct {
	Received   int
	Stored     int // new posts written
	Duplicates int // already stored, by (platform, id)
	Dropped    int // matched no monitor and were not kept
	// Raised counts the posts already stored (among Duplicates, or among Dropped when their text no
	// longer matches) that came with higher engagement counts, which were raised (engagement.go).
	Raised int
}

// Ingester runs batches of posts through analysis, matching, storing and the observer. It is safe for
// concurrent use.
type Ingester struct {
	cfg      Config
	an       Annotator
	monitors *query.Registry
	st       Store
	log      *slog.Logger
	stages   sync.Pool
	m        *metrics
}

type metrics struct {
	received, stored, duplicates, dropped prometheus.Counter
	raised                                prometheus.Counter
	stage                                 *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		received: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_ingest_received_total",
			Help: "Posts that reached ingest."}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_ingest_stored_total",
			Help: "Posts stored for the first time."}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_ingest_duplicates_total",
			Help: "Posts skipped because they were already stored."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_ingest_dropped_unmatched_total",
			Help: "Posts not stored because they matched no monitor and keep_all_posts is off."}),
		raised: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_ingest_metrics_raised_total",
			Help: "Stored posts whose engagement counts were raised by a later copy or a metrics update."}),
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "crisisdesk_ingest_stage_seconds",
			Help:    "Time one batch spent in each ingest stage.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"stage"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.received, m.stored, m.duplicates, m.dropped, m.raised, m.stage} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("ingest: register metrics: %w", err)
		}
	}
	return m, nil
}

// New returns an Ingester that analyses with an, matches against the monitors in reg (whose matcher
// may be swapped at any time), and stores in st.
func New(cfg Config, an Annotator, monitors *query.Registry, st Store) (*Ingester, error) {
	if an == nil || monitors == nil || st == nil {
		return nil, errors.New("ingest: an annotator, a monitor registry and a store are required")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	in := &Ingester{cfg: cfg, an: an, monitors: monitors, st: st, log: cfg.Logger.With("component", "ingest"), m: m}
	in.stages.New = func() any { return NewStage(an) }
	return in, nil
}

// Ingest runs one batch through every stage and stores it in one transaction. On an error nothing of
// the batch is stored, and since posts are idempotent the caller may send it again.
func (in *Ingester) Ingest(ctx context.Context, posts []post.Post) (Result, error) {
	b, err := in.Prepare(ctx, posts)
	if err != nil {
		return Result{}, err
	}
	return in.Store(ctx, b)
}

// Batch is a batch of posts analysed, matched and filtered by Prepare, ready for Store.
type Batch struct {
	kept []store.StoredPost
	res  Result
	// counted are the engagement counts of dropped posts: a post stored earlier may come again with
	// an edited text that no longer matches, and its counts still count (engagement.go).
	counted []store.MetricsUpdate
}

// Prepare analyses and matches posts and drops those the filter does not keep. It stores nothing, so
// a caller may prepare the next batch while the previous one is being stored, as import does to keep
// both cores busy.
func (in *Ingester) Prepare(ctx context.Context, posts []post.Post) (*Batch, error) {
	b := &Batch{res: Result{Received: len(posts)}}
	if len(posts) == 0 {
		return b, nil
	}
	in.m.received.Add(float64(len(posts)))
	keepAll := in.cfg.Filter == StoreAll
	if in.cfg.Filter == FilterBySetting {
		set, err := in.st.Settings(ctx)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		keepAll = set.KeepAllPosts
	}
	start := in.cfg.Clock.Now()
	analysed, err := in.analyse(ctx, posts)
	if err != nil {
		return nil, err
	}
	b.kept = analysed[:0]
	for _, sp := range analysed {
		if keepAll || len(sp.Monitors) > 0 {
			b.kept = append(b.kept, sp)
		} else if p := &sp.Post; p.Metrics != (post.Metrics{}) {
			b.counted = append(b.counted, store.MetricsUpdate{Platform: p.Platform, ID: p.ID, Metrics: p.Metrics})
		}
	}
	b.res.Dropped = len(posts) - len(b.kept)
	in.observeStage("analyse_match", start)
	in.enrich(ctx, b.kept)
	return b, nil
}

// Store writes a prepared batch in one transaction and hands its matched posts to the observer.
func (in *Ingester) Store(ctx context.Context, b *Batch) (Result, error) {
	res := b.res
	if res.Received == 0 {
		return res, nil
	}
	start := in.cfg.Clock.Now()
	n, err := in.st.InsertStoredPosts(ctx, b.kept)
	if err != nil {
		return Result{}, fmt.Errorf("ingest: %w", err)
	}
	in.observeStage("store", start)
	res.Stored, res.Duplicates = n, len(b.kept)-n
	in.m.stored.Add(float64(res.Stored))
	in.m.duplicates.Add(float64(res.Duplicates))
	in.m.dropped.Add(float64(res.Dropped))

	// A duplicate that came with higher engagement counts raises the stored ones, and goes to detection
	// as a metrics update rather than as a new post.
	var raisedKeys map[postKey]bool
	var raised []store.RaisedPost
	if res.Duplicates > 0 || len(b.counted) > 0 {
		if raisedKeys, raised, err = in.raiseDuplicates(ctx, b.kept, b.counted); err != nil {
			// The posts are stored; stale counts must not make the sender resend them.
			in.log.ErrorContext(ctx, "raising the engagement counts of duplicates failed", "err", err)
		}
		res.Raised = len(raised)
	}

	if in.cfg.Observer != nil {
		matched := make([]store.StoredPost, 0, len(b.kept))
		for _, sp := range b.kept {
			if len(sp.Monitors) > 0 && !raisedKeys[postKey{sp.Post.Platform, sp.Post.ID}] {
				matched = append(matched, sp)
			}
		}
		if len(matched) > 0 {
			start = in.cfg.Clock.Now()
			if err := in.cfg.Observer.Observe(ctx, matched); err != nil {
				// The posts are stored; detection missing one batch must not make the sender resend it.
				in.log.ErrorContext(ctx, "detection failed on a stored batch", "posts", len(matched), "err", err)
			}
			in.observeStage("observe", start)
		}
	}
	if len(raised) > 0 {
		in.observeEngagement(ctx, raised)
	}
	return res, nil
}

func (in *Ingester) observeStage(stage string, start time.Time) {
	in.m.stage.WithLabelValues(stage).Observe(in.cfg.Clock.Now().Sub(start).Seconds())
}

// analyse runs the Stage over posts, split into contiguous parts over the workers. Every worker loads
// the matcher once, so one batch is matched against one set of monitors even if it changes meanwhile.
func (in *Ingester) analyse(ctx context.Context, posts []post.Post) ([]store.StoredPost, error) {
	out := make([]store.StoredPost, len(posts))
	m := in.monitors.Matcher()
	run := func(lo, hi int) {
		st := in.stages.Get().(*Stage)
		defer in.stages.Put(st)
		for i := lo; i < hi; i++ {
			if i%256 == 0 && ctx.Err() != nil {
				return
			}
			out[i] = st.Run(&posts[i], m).StoredPost(posts[i])
		}
	}
	workers := min(in.cfg.Workers, (len(posts)+minParallel-1)/minParallel)
	if workers <= 1 {
		run(0, len(posts))
	} else {
		var wg sync.WaitGroup
		per := (len(posts) + workers - 1) / workers
		for lo := 0; lo < len(posts); lo += per {
			wg.Go(func() { run(lo, min(lo+per, len(posts))) })
		}
		wg.Wait()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ingest: analyse: %w", err)
	}
	return out, nil
}
