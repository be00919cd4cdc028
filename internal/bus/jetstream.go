package bus

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of what the JetStream transport creates. Posts go on subject `ingest.posts`; analysed batches
// on `posts.<partition>`.
const (
	IngestStream    = "CRISISDESK_INGEST"
	IngestSubject   = "ingest.posts"
	PostsStream     = "CRISISDESK_POSTS"
	AnalyzeConsumer = "analyze"
	LeaseBucket     = "crisisdesk_leases"
	CursorBucket    = "crisisdesk_cursors"
)

// PartitionSubject is the subject of partition part.
func PartitionSubject(part int) string { return "posts." + strconv.Itoa(part) }

// JetStreamConfig tunes the JetStream transport. Every worker of one installation must use the same
// number of partitions; Open refuses a different one.
type JetStreamConfig struct {
	Partitions  int
	Replicas    int           // of every stream and bucket: 3 on a 3-server cluster
	DedupWindow time.Duration // a post published again within this window is dropped
	AckWait     time.Duration // an ingest message not acknowledged within this is delivered again
	LeaseTTL    time.Duration // a partition lease not renewed within this lapses
	// History is how long partition streams keep analysed posts: a new owner rebuilds detector state
	// from them, so it bounds what a takeover remembers.
	History time.Duration
}

// DefaultJetStreamConfig returns 8 partitions, single replicas, a two-minute dedupe window, a
// 30-second ack wait, 10-second leases and eight days of history (a week of baselines plus a day).
func DefaultJetStreamConfig() JetStreamConfig {
	return JetStreamConfig{Partitions: 8, Replicas: 1, DedupWindow: 2 * time.Minute, AckWait: 30 * time.Second,
		LeaseTTL: 10 * time.Second, History: 8 * 24 * time.Hour}
}

// JetStream is the transport over a NATS JetStream cluster.
type JetStream struct {
	cfg     JetStreamConfig
	js      jetstream.JetStream
	ingest  jetstream.Consumer
	leases  jetstream.KeyValue
	cursors jetstream.KeyValue
}

// OpenJetStream creates or updates the streams, the analysis consumer and the buckets on nc's
// JetStream, and checks the number of partitions against the one the installation was set up with.
func OpenJetStream(ctx context.Context, nc *nats.Conn, cfg JetStreamConfig) (*JetStream, error) {
	d := DefaultJetStreamConfig()
	if cfg.Partitions <= 0 {
		cfg.Partitions = d.Partitions
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = d.Replicas
	}
	if cfg.DedupWindow <= 0 {
		cfg.DedupWindow = d.DedupWindow
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = d.AckWait
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = d.LeaseTTL
	}
	if cfg.History <= 0 {
		cfg.History = d.History
	}
	if cfg.Partitions > 1024 {
		return nil, fmt.Errorf("bus: %d partitions: at most 1024", cfg.Partitions)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	t := &JetStream{cfg: cfg, js: js}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: IngestStream, Subjects: []string{IngestSubject}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: cfg.Replicas, Duplicates: cfg.DedupWindow,
	}); err != nil {
		return nil, fmt.Errorf("bus: stream %s: %w", IngestStream, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: PostsStream, Subjects: []string{"posts.*"}, Retention: jetstream.LimitsPolicy,
		Storage: jetstream.FileStorage, Replicas: cfg.Replicas, Duplicates: cfg.DedupWindow, MaxAge: cfg.History,
	}); err != nil {
		return nil, fmt.Errorf("bus: stream %s: %w", PostsStream, err)
	}
	t.ingest, err = js.CreateOrUpdateConsumer(ctx, IngestStream, jetstream.ConsumerConfig{
		Durable: AnalyzeConsumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: cfg.AckWait,
		MaxAckPending: 20000, Replicas: cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: consumer %s: %w", AnalyzeConsumer, err)
	}
	t.leases, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: LeaseBucket, TTL: cfg.LeaseTTL,
		History: 1, Replicas: cfg.Replicas, Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("bus: bucket %s: %w", LeaseBucket, err)
	}
	t.cursors, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: CursorBucket, History: 1,
		Replicas: cfg.Replicas, Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("bus: bucket %s: %w", CursorBucket, err)
	}
	n := []byte(strconv.Itoa(cfg.Partitions))
	if _, err := t.cursors.Create(ctx, "partitions", n); err != nil {
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return nil, fmt.Errorf("bus: record partitions: %w", err)
		}
		e, err := t.cursors.Get(ctx, "partitions")
		if err != nil {
			return nil, fmt.Errorf("bus: read partitions: %w", err)
		}
		if string(e.Value()) != string(n) {
			return nil, fmt.Errorf("bus: this installation has %s partitions, not %d: every worker must use the same number", e.Value(), cfg.Partitions)
		}
	}
	return t, nil
}

// Partitions returns the number of partitions.
func (t *JetStream) Partitions() int { return t.cfg.Partitions }

// PublishIngest implements Transport. The messages are published asynchronously and then waited
// for together, so a batch costs about one round trip.
func (t *JetStream) PublishIngest(ctx context.Context, msgs []Outgoing) (int, error) {
	futures := make([]jetstream.PubAckFuture, 0, len(msgs))
	for _, o := range msgs {
		f, err := t.js.PublishMsgAsync(&nats.Msg{Subject: IngestSubject, Data: o.Data, Header: nats.Header{jetstream.MsgIDHeader: []string{o.ID}}})
		if err != nil {
			return 0, fmt.Errorf("bus: publish %q: %w", o.ID, err)
		}
		futures = append(futures, f)
	}
	dups := 0
	for i, f := range futures {
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				dups++
			}
		case err := <-f.Err():
			return dups, fmt.Errorf("bus: publish %q: %w", msgs[i].ID, err)
		case <-ctx.Done():
			return dups, fmt.Errorf("bus: publish: %w", ctx.Err())
		}
	}
	return dups, nil
}

// FetchIngest implements Transport: it waits for one message, then takes what else is there.
func (t *JetStream) FetchIngest(ctx context.Context, max int, wait time.Duration) ([]Delivery, error) {
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	first, err := t.ingest.Fetch(1, jetstream.FetchContext(wctx))
	if err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("bus: fetch: %w", err)
	}
	out, err := t.collect(first, nil)
	if err != nil || len(out) == 0 || max <= 1 {
		return out, err
	}
	more, err := t.ingest.FetchNoWait(max - 1)
	if err != nil {
		return out, nil // the first is ours; the rest comes on the next call
	}
	return t.collect(more, out)
}

func (t *JetStream) collect(b jetstream.MessageBatch, out []Delivery) ([]Delivery, error) {
	for m := range b.Messages() {
		md, err := m.Metadata()
		if err != nil {
			return out, fmt.Errorf("bus: message metadata: %w", err)
		}
		out = append(out, Delivery{Seq: md.Sequence.Stream, Data: m.Data(), Ack: func(context.Context) error { return m.Ack() }})
	}
	if err := b.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return out, fmt.Errorf("bus: fetch: %w", err)
	}
	return out, nil
}

// PublishPartition implements Transport.
func (t *JetStream) PublishPartition(ctx context.Context, part int, id string, data []byte) error {
	if _, err := t.js.PublishMsg(ctx, &nats.Msg{Subject: PartitionSubject(part), Data: data,
		Header: nats.Header{jetstream.MsgIDHeader: []string{id}}}); err != nil {
		return fmt.Errorf("bus: publish to partition %d: %w", part, err)
	}
	return nil
}

// ReadPartition implements Transport with an ordered consumer, which JetStream recreates by itself
// when a server goes away.
func (t *JetStream) ReadPartition(ctx context.Context, part int, fn func([]byte, bool) error) error {
	cons, err := t.js.OrderedConsumer(ctx, PostsStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{PartitionSubject(part)}, DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("bus: read partition %d: %w", part, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("bus: read partition %d: %w", part, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("bus: read partition %d: %w", part, err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("bus: read partition %d: %w", part, err)
		}
		if err := fn(m.Data(), md.NumPending == 0); err != nil {
			return err
		}
	}
}

func leaseKey(part int) string { return "p." + strconv.Itoa(part) }

// Acquire implements Transport.
func (t *JetStream) Acquire(ctx context.Context, part int, owner string) (Lease, error) {
	return t.acquire(ctx, Lease{Part: part, Owner: owner})
}

// AcquireNamed takes a lease on a job of which one worker at a time must run (such as listening to
// the sources), with the same TTL and rules as a partition's. name is letters, digits, '-' and '_'.
func (t *JetStream) AcquireNamed(ctx context.Context, name, owner string) (Lease, error) {
	return t.acquire(ctx, Lease{Part: -1, Name: name, Owner: owner})
}

func (l Lease) key() string {
	if l.Name != "" {
		return "n." + l.Name
	}
	return leaseKey(l.Part)
}

func (l Lease) what() string {
	if l.Name != "" {
		return l.Name
	}
	return "partition " + strconv.Itoa(l.Part)
}

func (t *JetStream) acquire(ctx context.Context, l Lease) (Lease, error) {
	rev, err := t.leases.Create(ctx, l.key(), []byte(l.Owner))
	if errors.Is(err, jetstream.ErrKeyExists) {
		return Lease{}, ErrHeld
	}
	if err != nil {
		return Lease{}, fmt.Errorf("bus: acquire %s: %w", l.what(), err)
	}
	l.Rev = rev
	return l, nil
}

// Renew implements Transport: the update is checked against the revision the owner last wrote, so
// a lease that lapsed and was taken by someone else cannot be renewed.
func (t *JetStream) Renew(ctx context.Context, l Lease) (Lease, error) {
	rev, err := t.leases.Update(ctx, l.key(), []byte(l.Owner), l.Rev)
	if err != nil {
		if isWrongRevision(err) {
			return Lease{}, ErrLost
		}
		return Lease{}, fmt.Errorf("bus: renew %s: %w", l.what(), err)
	}
	l.Rev = rev
	return l, nil
}

func isWrongRevision(err error) bool {
	var apiErr *jetstream.APIError
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyNotFound) ||
		errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// Release implements Transport.
func (t *JetStream) Release(ctx context.Context, l Lease) error {
	err := t.leases.Delete(ctx, l.key(), jetstream.LastRevision(l.Rev))
	if err != nil && !isWrongRevision(err) {
		return fmt.Errorf("bus: release %s: %w", l.what(), err)
	}
	return nil
}

// Holders implements Transport.
func (t *JetStream) Holders(ctx context.Context) (map[int]string, error) {
	out := map[int]string{}
	for p := range t.cfg.Partitions {
		e, err := t.leases.Get(ctx, leaseKey(p))
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("bus: lease of partition %d: %w", p, err)
		}
		out[p] = string(e.Value())
	}
	return out, nil
}

// workerKey makes a worker id safe as a key: letters, digits and -_= stay, the rest become '_'.
func workerKey(w string) string {
	return "w." + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '=' {
			return r
		}
		return '_'
	}, w)
}

// Heartbeat implements Transport.
func (t *JetStream) Heartbeat(ctx context.Context, worker string) error {
	if _, err := t.leases.Put(ctx, workerKey(worker), []byte(worker)); err != nil {
		return fmt.Errorf("bus: heartbeat: %w", err)
	}
	return nil
}

// Workers implements Transport.
func (t *JetStream) Workers(ctx context.Context) ([]string, error) {
	kl, err := t.leases.ListKeysFiltered(ctx, "w.>")
	if err != nil {
		if errors.Is(err, jetstream.ErrNoKeysFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("bus: workers: %w", err)
	}
	var out []string
	for k := range kl.Keys() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func cursorKey(part int) string { return "c." + strconv.Itoa(part) }

// Cursor implements Transport.
func (t *JetStream) Cursor(ctx context.Context, part int) (uint64, uint64, error) {
	e, err := t.cursors.Get(ctx, cursorKey(part))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("bus: cursor of partition %d: %w", part, err)
	}
	next, err := strconv.ParseUint(string(e.Value()), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("bus: cursor of partition %d: %q: %w", part, e.Value(), err)
	}
	return next, e.Revision(), nil
}

// SaveCursor implements Transport.
func (t *JetStream) SaveCursor(ctx context.Context, part int, next, rev uint64) (uint64, error) {
	v := []byte(strconv.FormatUint(next, 10))
	var err error
	var nrev uint64
	if rev == 0 {
		nrev, err = t.cursors.Create(ctx, cursorKey(part), v)
	} else {
		nrev, err = t.cursors.Update(ctx, cursorKey(part), v, rev)
	}
	if err != nil {
		if isWrongRevision(err) {
			return 0, ErrLost
		}
		return 0, fmt.Errorf("bus: save cursor of partition %d: %w", part, err)
	}
	return nrev, nil
}
