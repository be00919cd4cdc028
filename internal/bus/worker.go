package bus

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
)

// Analysed is what analysis made of one ingest message.
type Analysed struct {
	At       time.Time // the post's time; zero for a message that did not decode
	Post     []byte    // the analysed post as the partition handler reads it; nil when no monitor matched
	Monitors []string  // the monitors it matched
}

// AnalyseFunc analyses a batch of ingest messages, stores what must be stored, and returns one
// Analysed per delivery, in the same order. A message that cannot be decoded is not an error: it is
// reported by the function and comes back with a zero At. An error leaves the whole batch
// unacknowledged, to be delivered again.
type AnalyseFunc func(ctx context.Context, ds []Delivery) ([]Analysed, error)

// AnalyzerConfig tunes an Analyzer.
type AnalyzerConfig struct {
	Batch  int           // messages taken off the work queue at once; 0 means 256
	Wait   time.Duration // how long one fetch waits for a message; 0 means a second
	Logger *slog.Logger
	// Registerer takes the metrics; nil means they are not registered anywhere.
	Registerer prometheus.Registerer
}

// Analyzer takes posts off the ingest work queue, analyses them with its AnalyseFunc, publishes the
// result to every partition and then acknowledges them. Any number of analyzers share the queue.
type Analyzer struct {
	t        Transport
	fn       AnalyseFunc
	cfg      AnalyzerConfig
	log      *slog.Logger
	analysed prometheus.Counter
}

// NewAnalyzer returns an Analyzer over t.
func NewAnalyzer(t Transport, fn AnalyseFunc, cfg AnalyzerConfig) (*Analyzer, error) {
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	if cfg.Wait <= 0 {
		cfg.Wait = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &Analyzer{t: t, fn: fn, cfg: cfg, log: cfg.Logger.With("component", "bus-analyze"),
		analysed: prometheus.NewCounter(prometheus.CounterOpts{Name: "crisisdesk_bus_analysed_total",
			Help: "Ingest messages analysed and passed on to the partitions by this worker."})}
	if cfg.Registerer != nil {
		if err := cfg.Registerer.Register(a.analysed); err != nil {
			return nil, fmt.Errorf("bus: register metrics: %w", err)
		}
	}
	return a, nil
}

// Run works until ctx ends. While one batch is published to the partitions and acknowledged, the
// next is fetched and analysed: the partitions put batches back in order whatever order they come in.
func (a *Analyzer) Run(ctx context.Context) error {
	var inflight chan struct{} // closed when the previous batch is published
	defer func() {
		if inflight != nil {
			<-inflight
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ds, err := a.t.FetchIngest(ctx, a.cfg.Batch, a.cfg.Wait)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			a.log.WarnContext(ctx, "fetch from the ingest queue failed; trying again", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(ds) == 0 {
			continue
		}
		res, err := a.analyse(ctx, ds)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// Not acknowledged: the queue delivers the batch again after the ack wait.
			a.log.ErrorContext(ctx, "analysis of a batch failed; it will be delivered again", "messages", len(ds), "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if inflight != nil {
			<-inflight
		}
		done := make(chan struct{})
		inflight = done
		go func() {
			defer close(done)
			if err := a.publish(ctx, ds, res); err != nil && ctx.Err() == nil {
				a.log.ErrorContext(ctx, "publishing an analysed batch failed; it will be delivered again", "messages", len(ds), "err", err)
			}
		}()
	}
}

// Handle analyses one batch, publishes it to every partition and acknowledges it.
func (a *Analyzer) Handle(ctx context.Context, ds []Delivery) error {
	res, err := a.analyse(ctx, ds)
	if err != nil {
		return err
	}
	return a.publish(ctx, ds, res)
}

// analyse sorts a batch by sequence number and analyses it.
func (a *Analyzer) analyse(ctx context.Context, ds []Delivery) ([]Analysed, error) {
	sort.Slice(ds, func(i, j int) bool { return ds[i].Seq < ds[j].Seq })
	res, err := a.fn(ctx, ds)
	if err != nil {
		return nil, err
	}
	if len(res) != len(ds) {
		return nil, fmt.Errorf("bus: analysis returned %d results for %d messages", len(res), len(ds))
	}
	return res, nil
}

// publish sends an analysed batch to every partition and then acknowledges it.
func (a *Analyzer) publish(ctx context.Context, ds []Delivery, res []Analysed) error {
	n := a.t.Partitions()
	parts := make([][]Entry, n)
	for i, d := range ds {
		var at int64
		if !res[i].At.IsZero() {
			at = res[i].At.UnixNano()
		}
		var in []bool
		if res[i].Post != nil {
			in = make([]bool, n)
			for _, m := range res[i].Monitors {
				in[Partition(m, n)] = true
			}
		}
		for p := range n {
			e := Entry{Seq: d.Seq, At: at}
			if in != nil && in[p] {
				e.Post = res[i].Post
			}
			parts[p] = append(parts[p], e)
		}
	}
	// The dedupe key names the sequence numbers, so a batch published again after a crash is
	// dropped, and one regrouped differently is told apart (the owner drops what it has seen).
	h := fnv.New64a()
	for _, d := range ds {
		h.Write(strconv.AppendUint(nil, d.Seq, 36))
		h.Write([]byte{','})
	}
	id := strconv.FormatUint(ds[0].Seq, 10) + "-" + strconv.FormatUint(ds[len(ds)-1].Seq, 10) + "-" + strconv.FormatUint(h.Sum64(), 36)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for p := range n {
		data, err := encodeBatch(parts[p])
		if err != nil {
			return fmt.Errorf("bus: encode batch: %w", err)
		}
		wg.Go(func() { errs[p] = a.t.PublishPartition(ctx, p, strconv.Itoa(p)+":"+id, data) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, d := range ds {
		if err := d.Ack(ctx); err != nil {
			// Published already: a second delivery is dropped by the partitions as a duplicate.
			a.log.WarnContext(ctx, "acknowledging an ingest message failed", "seq", d.Seq, "err", err)
		}
	}
	a.analysed.Add(float64(len(ds)))
	return nil
}

// Handler is the detection of one partition. It sees every ingest message once, in sequence order.
type Handler interface {
	// Step takes one ingest message: its time (zero when it did not decode) and the analysed post
	// when one of the partition's monitors matched it. live is false while the owner rebuilds state
	// from history that an earlier owner already acted on: the handler must then update its state
	// but not act (store or send) on what it finds.
	Step(ctx context.Context, seq uint64, at time.Time, post []byte, live bool) error
	// Idle is called about every second once the partition is live (rebuilt), for work that waits on
	// time rather than on posts.
	Idle(ctx context.Context) error
}

// NewHandler makes the handler of a partition when its owner takes it over.
type NewHandler func(ctx context.Context, part int) (Handler, error)

// OwnerConfig tunes an Owner.
type OwnerConfig struct {
	Worker string        // this worker's id, unique among the live workers
	Renew  time.Duration // how often leases are renewed and free partitions claimed; a third of the lease TTL
	// GapTimeout is how long a partition waits for a missing sequence number (a batch still being
	// analysed, or redelivered after a worker died) before it skips it. It must exceed the ack wait.
	GapTimeout time.Duration
	Clock      clock.Clock
	Logger     *slog.Logger
}

// Owner holds the leases of a fair share of the partitions and runs a Handler for each, as long as
// it holds the lease. When a worker dies its leases lapse and the others take its partitions over.
type Owner struct {
	t      Transport
	newH   NewHandler
	cfg    OwnerConfig
	log    *slog.Logger
	mu     sync.Mutex
	owned  map[int]*owned
	wg     sync.WaitGroup
	status map[int]PartitionStatus
}

type owned struct {
	lease  Lease
	cancel context.CancelFunc
	done   chan struct{}
}

// PartitionStatus is what an owner reports of one of its partitions.
type PartitionStatus struct {
	Next uint64 // first sequence number not yet handled
	Live bool   // done rebuilding
}

// NewOwner returns an Owner over t.
func NewOwner(t Transport, newH NewHandler, cfg OwnerConfig) (*Owner, error) {
	if cfg.Worker == "" {
		return nil, errors.New("bus: an owner needs a worker id")
	}
	if cfg.Renew <= 0 {
		cfg.Renew = DefaultJetStreamConfig().LeaseTTL / 3
	}
	if cfg.GapTimeout <= 0 {
		cfg.GapTimeout = 2 * DefaultJetStreamConfig().AckWait
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Owner{t: t, newH: newH, cfg: cfg, log: cfg.Logger.With("component", "bus-owner", "worker", cfg.Worker),
		owned: map[int]*owned{}, status: map[int]PartitionStatus{}}, nil
}

// Owned returns the partitions this owner holds now, in order.
func (o *Owner) Owned() []int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]int, 0, len(o.owned))
	for p := range o.owned {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Status returns where partition part stands, if this owner holds it.
func (o *Owner) Status(part int) (PartitionStatus, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.owned[part]; !ok {
		return PartitionStatus{}, false
	}
	return o.status[part], true
}

// Run claims and renews leases until ctx ends, then stops every partition and releases its lease.
func (o *Owner) Run(ctx context.Context) error {
	defer o.stopAll()
	t := time.NewTicker(o.cfg.Renew)
	defer t.Stop()
	for {
		if err := o.round(ctx); err != nil && ctx.Err() == nil {
			o.log.WarnContext(ctx, "partition ownership round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// round renews what is held, drops what was lost, and claims free partitions up to a fair share.
func (o *Owner) round(ctx context.Context) error {
	if err := o.t.Heartbeat(ctx, o.cfg.Worker); err != nil {
		return err
	}
	o.mu.Lock()
	held := make([]*owned, 0, len(o.owned))
	for _, w := range o.owned {
		held = append(held, w)
	}
	o.mu.Unlock()
	for _, w := range held {
		select {
		case <-w.done: // the partition stopped by itself (its handler failed): give it up
			o.drop(ctx, w, true)
			continue
		default:
		}
		l, err := o.t.Renew(ctx, w.lease)
		if errors.Is(err, ErrLost) {
			o.log.WarnContext(ctx, "partition lease lost; stopping it", "partition", w.lease.Part)
			o.drop(ctx, w, false)
			continue
		}
		if err != nil {
			return err
		}
		o.mu.Lock()
		w.lease = l
		o.mu.Unlock()
	}
	workers, err := o.t.Workers(ctx)
	if err != nil {
		return err
	}
	n := o.t.Partitions()
	share := (n + max(len(workers), 1) - 1) / max(len(workers), 1)
	holders, err := o.t.Holders(ctx)
	if err != nil {
		return err
	}
	o.mu.Lock()
	mine := len(o.owned)
	o.mu.Unlock()
	if mine > share && len(holders) == n {
		// More than a fair share while every partition is held: hand the highest one back, so a
		// worker that joined can take it.
		o.mu.Lock()
		var top *owned
		for _, w := range o.owned {
			if top == nil || w.lease.Part > top.lease.Part {
				top = w
			}
		}
		o.mu.Unlock()
		o.log.InfoContext(ctx, "handing a partition back to balance the workers", "partition", top.lease.Part, "share", share)
		o.drop(ctx, top, true)
		return nil
	}
	for p := range n {
		if mine >= share {
			break
		}
		if _, ok := holders[p]; ok {
			continue
		}
		l, err := o.t.Acquire(ctx, p, o.cfg.Worker)
		if errors.Is(err, ErrHeld) {
			continue
		}
		if err != nil {
			return err
		}
		o.start(ctx, l)
		mine++
	}
	return nil
}

func (o *Owner) start(ctx context.Context, l Lease) {
	pctx, cancel := context.WithCancel(ctx)
	w := &owned{lease: l, cancel: cancel, done: make(chan struct{})}
	o.mu.Lock()
	o.owned[l.Part] = w
	o.status[l.Part] = PartitionStatus{}
	o.mu.Unlock()
	o.log.InfoContext(ctx, "partition taken", "partition", l.Part)
	o.wg.Go(func() {
		defer close(w.done)
		err := o.runPartition(pctx, l.Part)
		if err != nil && pctx.Err() == nil {
			o.log.ErrorContext(ctx, "partition stopped", "partition", l.Part, "err", err)
		}
	})
}

// drop stops a partition and, when release is set, gives its lease up at once.
func (o *Owner) drop(ctx context.Context, w *owned, release bool) {
	w.cancel()
	<-w.done
	o.mu.Lock()
	delete(o.owned, w.lease.Part)
	delete(o.status, w.lease.Part)
	l := w.lease
	o.mu.Unlock()
	if release {
		if err := o.t.Release(ctx, l); err != nil {
			o.log.WarnContext(ctx, "releasing a partition failed; it lapses instead", "partition", l.Part, "err", err)
		}
	}
}

func (o *Owner) stopAll() {
	o.mu.Lock()
	held := make([]*owned, 0, len(o.owned))
	for _, w := range o.owned {
		held = append(held, w)
	}
	o.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, w := range held {
		o.drop(ctx, w, true)
	}
	o.wg.Wait()
}

// runPartition rebuilds the partition's state from its history and then handles it live, until ctx
// ends. Messages below the saved cursor were handled by an earlier owner: they rebuild state only.
func (o *Owner) runPartition(ctx context.Context, part int) error {
	cursor, rev, err := o.t.Cursor(ctx, part)
	if err != nil {
		return err
	}
	if cursor == 0 {
		cursor = 1
	}
	h, err := o.newH(ctx, part)
	if err != nil {
		return err
	}
	type read struct {
		entries  []Entry
		caughtUp bool
		err      error
	}
	reads := make(chan read, 64)
	rctx, stopRead := context.WithCancel(ctx)
	var rwg sync.WaitGroup
	defer rwg.Wait()
	defer stopRead()
	rwg.Go(func() {
		err := o.t.ReadPartition(rctx, part, func(data []byte, caughtUp bool) error {
			es, err := decodeBatch(data)
			if err != nil {
				// A message no worker wrote; skipping it cannot lose what a worker wrote.
				o.log.ErrorContext(rctx, "skipping an unreadable partition message", "partition", part, "err", err)
				es = nil
			}
			select {
			case reads <- read{entries: es, caughtUp: caughtUp}:
				return nil
			case <-rctx.Done():
				return rctx.Err()
			}
		})
		select {
		case reads <- read{err: err}:
		case <-rctx.Done():
		}
	})

	pending := map[uint64]Entry{}
	expect := uint64(1)
	caughtUp := false
	var gapSince time.Time
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	live := false
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-reads:
			if r.err != nil {
				return r.err
			}
			caughtUp = r.caughtUp
			for _, e := range r.entries {
				if e.Seq >= expect {
					if _, ok := pending[e.Seq]; !ok {
						pending[e.Seq] = e
					}
				}
			}
		case <-tick.C:
			if live {
				if err := h.Idle(ctx); err != nil {
					return err
				}
			}
		}
		// A gap below the cursor is history that has expired: once everything retained has been
		// read, it will not come. A gap above it may still be in analysis, so it gets time.
		if _, ok := pending[expect]; !ok && len(pending) > 0 {
			lowest := minKey(pending)
			switch {
			case expect < cursor && caughtUp:
				expect = min(lowest, cursor)
				gapSince = time.Time{}
			case gapSince.IsZero():
				gapSince = o.cfg.Clock.Now()
			case o.cfg.Clock.Now().Sub(gapSince) >= o.cfg.GapTimeout:
				o.log.WarnContext(ctx, "skipping ingest messages that never reached the partition", "partition", part,
					"from", expect, "to", lowest-1)
				expect = lowest
				gapSince = time.Time{}
			}
		}
		advanced := false
		for {
			e, ok := pending[expect]
			if !ok {
				break
			}
			delete(pending, expect)
			gapSince = time.Time{}
			var at time.Time
			if e.At != 0 {
				at = time.Unix(0, e.At).UTC()
			}
			isLive := expect >= cursor
			if err := h.Step(ctx, e.Seq, at, e.Post, isLive); err != nil {
				return fmt.Errorf("bus: partition %d: seq %d: %w", part, e.Seq, err)
			}
			expect++
			advanced = advanced || isLive
		}
		if advanced {
			rev, err = o.t.SaveCursor(ctx, part, expect, rev)
			if err != nil {
				return err
			}
			cursor = expect
		}
		if !live && expect >= cursor && caughtUp {
			live = true
			o.log.InfoContext(ctx, "partition rebuilt and live", "partition", part, "next", expect)
		}
		o.mu.Lock()
		if _, ok := o.owned[part]; ok {
			o.status[part] = PartitionStatus{Next: expect, Live: live}
		}
		o.mu.Unlock()
	}
}

func minKey(m map[uint64]Entry) uint64 {
	first := true
	var lo uint64
	for k := range m {
		if first || k < lo {
			lo, first = k, false
		}
	}
	return lo
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
