package bus

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
)

// MemoryConfig tunes a Memory transport. Zero fields take the JetStream defaults.
type MemoryConfig struct {
	Partitions  int
	DedupWindow time.Duration
	AckWait     time.Duration
	LeaseTTL    time.Duration
	Clock       clock.Clock
}

// Memory is the in-process transport: the same streams, work queue, leases and cursors as JetStream,
// held in memory, for one process and for tests of the workers.
type Memory struct {
	cfg MemoryConfig

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever something is appended
	seq     uint64
	queue   []*memMsg // the ingest work queue: not yet acknowledged, in order
	seen    map[string]time.Time
	parts   [][]memPart
	pseen   []map[string]bool
	leases  map[int]Lease
	expires map[int]time.Time
	workers map[string]time.Time
	cursors map[int][2]uint64 // next, revision
	rev     uint64
}

type memMsg struct {
	seq      uint64
	data     []byte
	deadline time.Time // zero while not delivered
}

type memPart struct{ data []byte }

// NewMemory returns an empty in-process transport.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	d := DefaultJetStreamConfig()
	if cfg.Partitions <= 0 {
		cfg.Partitions = d.Partitions
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
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	return &Memory{
		cfg: cfg, changed: make(chan struct{}), seen: map[string]time.Time{},
		parts: make([][]memPart, cfg.Partitions), pseen: make([]map[string]bool, cfg.Partitions),
		leases: map[int]Lease{}, expires: map[int]time.Time{}, workers: map[string]time.Time{}, cursors: map[int][2]uint64{},
	}, nil
}

// Partitions returns the number of partitions.
func (m *Memory) Partitions() int { return m.cfg.Partitions }

func (m *Memory) wake() {
	close(m.changed)
	m.changed = make(chan struct{})
}

// PublishIngest implements Transport.
func (m *Memory) PublishIngest(ctx context.Context, msgs []Outgoing) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.Clock.Now()
	dups := 0
	for _, o := range msgs {
		if at, ok := m.seen[o.ID]; ok && now.Sub(at) < m.cfg.DedupWindow {
			dups++
			continue
		}
		m.seen[o.ID] = now
		m.seq++
		m.queue = append(m.queue, &memMsg{seq: m.seq, data: append([]byte(nil), o.Data...)})
	}
	for id, at := range m.seen {
		if now.Sub(at) >= m.cfg.DedupWindow {
			delete(m.seen, id)
		}
	}
	m.wake()
	return dups, nil
}

// FetchIngest implements Transport.
func (m *Memory) FetchIngest(ctx context.Context, max int, wait time.Duration) ([]Delivery, error) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		m.mu.Lock()
		now := m.cfg.Clock.Now()
		var out []Delivery
		for _, msg := range m.queue {
			if len(out) == max {
				break
			}
			if !msg.deadline.IsZero() && now.Before(msg.deadline) {
				continue
			}
			msg.deadline = now.Add(m.cfg.AckWait)
			seq := msg.seq
			out = append(out, Delivery{Seq: seq, Data: msg.data, Ack: func(context.Context) error { m.ack(seq); return nil }})
		}
		changed := m.changed
		m.mu.Unlock()
		if len(out) > 0 {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, nil
		case <-changed:
		case <-time.After(10 * time.Millisecond): // redeliveries become due without an append
		}
	}
}

func (m *Memory) ack(seq uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := sort.Search(len(m.queue), func(i int) bool { return m.queue[i].seq >= seq })
	if i < len(m.queue) && m.queue[i].seq == seq {
		m.queue = append(m.queue[:i], m.queue[i+1:]...)
	}
}

// PublishPartition implements Transport.
func (m *Memory) PublishPartition(ctx context.Context, part int, id string, data []byte) error {
	if part < 0 || part >= m.cfg.Partitions {
		return fmt.Errorf("bus: partition %d of %d", part, m.cfg.Partitions)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pseen[part] == nil {
		m.pseen[part] = map[string]bool{}
	}
	if m.pseen[part][id] {
		return nil
	}
	m.pseen[part][id] = true
	m.parts[part] = append(m.parts[part], memPart{data: append([]byte(nil), data...)})
	m.wake()
	return nil
}

// ReadPartition implements Transport.
func (m *Memory) ReadPartition(ctx context.Context, part int, fn func([]byte, bool) error) error {
	if part < 0 || part >= m.cfg.Partitions {
		return fmt.Errorf("bus: partition %d of %d", part, m.cfg.Partitions)
	}
	i := 0
	for {
		m.mu.Lock()
		msgs := m.parts[part]
		changed := m.changed
		m.mu.Unlock()
		for ; i < len(msgs); i++ {
			if err := fn(msgs[i].data, i == len(msgs)-1); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

func (m *Memory) lapse(now time.Time) {
	for p, exp := range m.expires {
		if !now.Before(exp) {
			delete(m.leases, p)
			delete(m.expires, p)
		}
	}
}

// Acquire implements Transport.
func (m *Memory) Acquire(ctx context.Context, part int, owner string) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.Clock.Now()
	m.lapse(now)
	if _, ok := m.leases[part]; ok {
		return Lease{}, ErrHeld
	}
	m.rev++
	l := Lease{Part: part, Owner: owner, Rev: m.rev}
	m.leases[part], m.expires[part] = l, now.Add(m.cfg.LeaseTTL)
	return l, nil
}

// Renew implements Transport.
func (m *Memory) Renew(ctx context.Context, l Lease) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.Clock.Now()
	m.lapse(now)
	if cur, ok := m.leases[l.Part]; !ok || cur.Rev != l.Rev {
		return Lease{}, ErrLost
	}
	m.rev++
	l.Rev = m.rev
	m.leases[l.Part], m.expires[l.Part] = l, now.Add(m.cfg.LeaseTTL)
	return l, nil
}

// Release implements Transport.
func (m *Memory) Release(ctx context.Context, l Lease) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.leases[l.Part]; ok && cur.Rev == l.Rev {
		delete(m.leases, l.Part)
		delete(m.expires, l.Part)
	}
	return nil
}

// Holders implements Transport.
func (m *Memory) Holders(ctx context.Context) (map[int]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lapse(m.cfg.Clock.Now())
	out := make(map[int]string, len(m.leases))
	for p, l := range m.leases {
		out[p] = l.Owner
	}
	return out, nil
}

// Heartbeat implements Transport.
func (m *Memory) Heartbeat(ctx context.Context, worker string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.workers[worker] = m.cfg.Clock.Now().Add(m.cfg.LeaseTTL)
	return nil
}

// Workers implements Transport.
func (m *Memory) Workers(ctx context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.cfg.Clock.Now()
	var out []string
	for w, exp := range m.workers {
		if now.Before(exp) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Cursor implements Transport.
func (m *Memory) Cursor(ctx context.Context, part int) (uint64, uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cursors[part]
	return c[0], c[1], nil
}

// SaveCursor implements Transport.
func (m *Memory) SaveCursor(ctx context.Context, part int, next, rev uint64) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cursors[part][1] != rev {
		return 0, ErrLost
	}
	m.rev++
	m.cursors[part] = [2]uint64{next, m.rev}
	return m.rev, nil
}
