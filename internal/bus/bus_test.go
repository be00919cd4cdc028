package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/bus"
	"github.com/crisisdesk/crisisdesk/internal/bus/natstest"
)

// transports runs fn over the in-process transport and over JetStream on a real NATS server (a
// cluster of three when replicas is 3).
// testAckWait is the tests' ack wait: long enough that a loaded machine never lets a message come
// again while the test still holds it, which a test that checks it stays out would read as a failure.
const testAckWait = 3 * time.Second

func transports(t *testing.T, parts int, lease time.Duration, replicas int, fn func(t *testing.T, tr func() bus.Transport)) {
	t.Run("memory", func(t *testing.T) {
		m, err := bus.NewMemory(bus.MemoryConfig{Partitions: parts, AckWait: testAckWait, LeaseTTL: lease})
		if err != nil {
			t.Fatal(err)
		}
		fn(t, func() bus.Transport { return m })
	})
	t.Run("jetstream", func(t *testing.T) {
		c := natstest.Start(t, replicas)
		cfg := bus.JetStreamConfig{Partitions: parts, Replicas: replicas, AckWait: testAckWait, LeaseTTL: lease}
		fn(t, func() bus.Transport {
			js, err := bus.OpenJetStream(context.Background(), c.Connect(t), cfg)
			if err != nil {
				t.Fatal(err)
			}
			return js
		})
	})
}

func TestIngestDedupeAndWorkQueue(t *testing.T) {
	transports(t, 2, time.Second, 1, func(t *testing.T, tr func() bus.Transport) {
		ctx := context.Background()
		a := tr()
		dups, err := a.PublishIngest(ctx, []bus.Outgoing{{ID: "x:1", Data: []byte("1")}, {ID: "x:2", Data: []byte("2")}, {ID: "x:1", Data: []byte("1 again")}})
		if err != nil || dups != 1 {
			t.Fatalf("publish: %d duplicates, %v; want 1, nil", dups, err)
		}
		// A fetch takes what the server has ready, which on a loaded machine may be fewer than all.
		var ds []bus.Delivery
		for deadline := time.Now().Add(20 * time.Second); len(ds) < 2 && time.Now().Before(deadline); {
			got, err := a.FetchIngest(ctx, 10, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, got...)
		}
		if len(ds) != 2 {
			t.Fatalf("fetch: %d messages; want 2", len(ds))
		}
		if string(ds[0].Data) != "1" || string(ds[1].Data) != "2" || ds[0].Seq >= ds[1].Seq {
			t.Fatalf("fetch: %q %d, %q %d", ds[0].Data, ds[0].Seq, ds[1].Data, ds[1].Seq)
		}
		// A second worker sees nothing while both are out; after the ack wait the unacknowledged one
		// comes back, and the acknowledged one never does.
		b := tr()
		if got, _ := b.FetchIngest(ctx, 10, 100*time.Millisecond); len(got) != 0 {
			t.Fatalf("second worker got %d messages still out with the first", len(got))
		}
		if err := ds[0].Ack(ctx); err != nil {
			t.Fatal(err)
		}
		var again []bus.Delivery
		deadline := time.Now().Add(testAckWait + 20*time.Second)
		for len(again) == 0 && time.Now().Before(deadline) {
			again, err = b.FetchIngest(ctx, 10, 200*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(again) != 1 || again[0].Seq != ds[1].Seq {
			t.Fatalf("redelivered %+v; want only seq %d", again, ds[1].Seq)
		}
	})
}

func TestLeasesAndCursors(t *testing.T) {
	transports(t, 2, 600*time.Millisecond, 1, func(t *testing.T, tr func() bus.Transport) {
		ctx := context.Background()
		a, b := tr(), tr()
		la, err := a.Acquire(ctx, 1, "a")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Acquire(ctx, 1, "b"); !errors.Is(err, bus.ErrHeld) {
			t.Fatalf("second acquire: %v; want ErrHeld", err)
		}
		if la, err = a.Renew(ctx, la); err != nil {
			t.Fatalf("renew: %v", err)
		}
		if h, _ := b.Holders(ctx); h[1] != "a" || len(h) != 1 {
			t.Fatalf("holders %v", h)
		}
		// Not renewed, it lapses; b takes it; a cannot renew it back.
		var lb bus.Lease
		deadline := time.Now().Add(10 * time.Second)
		for {
			lb, err = b.Acquire(ctx, 1, "b")
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("lease did not lapse: %v", err)
		}
		if _, err := a.Renew(ctx, la); !errors.Is(err, bus.ErrLost) {
			t.Fatalf("renewing a lapsed lease: %v; want ErrLost", err)
		}
		if err := b.Release(ctx, lb); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Acquire(ctx, 1, "a"); err != nil {
			t.Fatalf("acquire after release: %v", err)
		}

		next, rev, err := a.Cursor(ctx, 0)
		if err != nil || next != 0 || rev != 0 {
			t.Fatalf("fresh cursor %d %d %v", next, rev, err)
		}
		rev, err = a.SaveCursor(ctx, 0, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.SaveCursor(ctx, 0, 11, 0); !errors.Is(err, bus.ErrLost) {
			t.Fatalf("creating a cursor twice: %v; want ErrLost", err)
		}
		rev2, err := b.SaveCursor(ctx, 0, 12, rev)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SaveCursor(ctx, 0, 13, rev); !errors.Is(err, bus.ErrLost) {
			t.Fatalf("saving over someone else's cursor: %v; want ErrLost", err)
		}
		if next, got, _ := a.Cursor(ctx, 0); next != 12 || got != rev2 {
			t.Fatalf("cursor %d rev %d; want 12 rev %d", next, got, rev2)
		}
	})
}

// recorder is a partition handler that writes down what it was given.
type recorder struct {
	mu   *sync.Mutex
	log  *[]step
	part int
}

type step struct {
	part int
	seq  uint64
	post string
	live bool
}

func (r *recorder) Step(ctx context.Context, seq uint64, at time.Time, post []byte, live bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.log = append(*r.log, step{r.part, seq, string(post), live})
	return nil
}

func (r *recorder) Idle(context.Context) error { return nil }

// testPost is what the test analysis makes of a message: the message names its monitors.
func analyse(ctx context.Context, ds []bus.Delivery) ([]bus.Analysed, error) {
	out := make([]bus.Analysed, len(ds))
	for i, d := range ds {
		var m struct {
			Monitors []string `json:"monitors"`
		}
		if err := json.Unmarshal(d.Data, &m); err != nil {
			continue
		}
		out[i] = bus.Analysed{At: time.Unix(int64(d.Seq), 0), Monitors: m.Monitors}
		if len(m.Monitors) > 0 {
			out[i].Post = d.Data
		}
	}
	return out, nil
}

// TestPartitionsSeeEverySequenceOnceInOrder runs two analyzers and two owners, stops one owner
// without releasing its leases (as a worker that dies), and checks that every partition handled every
// sequence number live exactly once, in order, that posts reached exactly the partitions of their
// monitors, and that the owner taking over first rebuilt from history.
func TestPartitionsSeeEverySequenceOnceInOrder(t *testing.T) {
	const parts, total = 4, 600
	monitors := []string{"m-a", "m-b", "m-c", "m-d", "m-e"}
	transports(t, parts, 900*time.Millisecond, 3, func(t *testing.T, tr func() bus.Transport) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		var log []step
		newH := func(_ context.Context, part int) (bus.Handler, error) {
			return &recorder{mu: &mu, log: &log, part: part}, nil
		}
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel()
		for range 2 {
			an, err := bus.NewAnalyzer(tr(), analyse, bus.AnalyzerConfig{Batch: 37, Wait: 100 * time.Millisecond, Logger: testLogger(t)})
			if err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { an.Run(ctx) })
		}
		ownerCfg := func(w string) bus.OwnerConfig {
			return bus.OwnerConfig{Worker: w, Renew: 200 * time.Millisecond, GapTimeout: 5 * time.Second, Logger: testLogger(t)}
		}
		// The first owner dies: its transport stops renewing and never releases.
		dying := &mortal{Transport: tr()}
		o1, err := bus.NewOwner(dying, newH, ownerCfg("w1"))
		if err != nil {
			t.Fatal(err)
		}
		o2, err := bus.NewOwner(tr(), newH, ownerCfg("w2"))
		if err != nil {
			t.Fatal(err)
		}
		ctx1, kill1 := context.WithCancel(ctx)
		wg.Go(func() { o1.Run(ctx1) })
		wg.Go(func() { o2.Run(ctx) })
		waitFor(t, 10*time.Second, "both owners hold partitions", func() bool {
			return len(o1.Owned()) > 0 && len(o2.Owned()) > 0 && len(o1.Owned())+len(o2.Owned()) == parts
		})
		pub := tr()
		want := map[int][]string{}
		publish := func(lo, hi int) {
			var out []bus.Outgoing
			for i := lo; i < hi; i++ {
				var ms []string
				for j, m := range monitors {
					if i%(j+2) == 0 {
						ms = append(ms, m)
					}
				}
				data, _ := json.Marshal(map[string]any{"i": i, "monitors": ms})
				out = append(out, bus.Outgoing{ID: "p:" + strconv.Itoa(i), Data: data})
			}
			if _, err := pub.PublishIngest(ctx, out); err != nil {
				t.Fatal(err)
			}
		}
		publish(0, total/2)
		waitFor(t, 20*time.Second, "the first half handled", func() bool { return handled(&mu, &log, parts) >= total/2 })
		owned1 := o1.Owned()
		dying.die()
		kill1()
		publish(total/2, total)
		waitFor(t, 30*time.Second, "every message handled after the takeover", func() bool {
			return handled(&mu, &log, parts) >= total && len(o2.Owned()) == parts
		})
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		wantPart := func(post string) map[int]bool {
			var m struct {
				Monitors []string `json:"monitors"`
			}
			json.Unmarshal([]byte(post), &m)
			ps := map[int]bool{}
			for _, mon := range m.Monitors {
				ps[bus.Partition(mon, parts)] = true
			}
			return ps
		}
		_ = want
		for p := range parts {
			var seqs []uint64
			rebuilt := 0
			for _, s := range log {
				if s.part != p {
					continue
				}
				if !s.live {
					rebuilt++
					continue
				}
				seqs = append(seqs, s.seq)
				if s.post != "" && !wantPart(s.post)[p] {
					t.Errorf("partition %d got a post of other partitions: %s", p, s.post)
				}
			}
			if len(seqs) != total {
				t.Errorf("partition %d handled %d messages live; want %d", p, len(seqs), total)
			}
			if !slices.IsSorted(seqs) || len(slices.Compact(slices.Clone(seqs))) != len(seqs) {
				t.Errorf("partition %d: sequence numbers out of order or repeated", p)
			}
			if slices.Contains(owned1, p) && rebuilt == 0 {
				t.Errorf("partition %d was taken over without rebuilding from its history", p)
			}
		}
	})
}

// handled counts the live steps of the partition that has had the fewest.
func handled(mu *sync.Mutex, log *[]step, parts int) int {
	mu.Lock()
	defer mu.Unlock()
	n := make([]int, parts)
	for _, s := range *log {
		if s.live {
			n[s.part]++
		}
	}
	return slices.Min(n)
}

// mortal is a transport that can die: after die it fails every call, as the connection of a killed
// process would, and so never renews or releases its leases.
type mortal struct {
	bus.Transport
	mu   sync.Mutex
	dead bool
}

var errDead = fmt.Errorf("worker is dead")

func (m *mortal) die() { m.mu.Lock(); m.dead = true; m.mu.Unlock() }
func (m *mortal) isDead() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dead
}
func (m *mortal) Renew(ctx context.Context, l bus.Lease) (bus.Lease, error) {
	if m.isDead() {
		return bus.Lease{}, errDead
	}
	return m.Transport.Renew(ctx, l)
}
func (m *mortal) Release(ctx context.Context, l bus.Lease) error {
	if m.isDead() {
		return errDead
	}
	return m.Transport.Release(ctx, l)
}
func (m *mortal) SaveCursor(ctx context.Context, part int, next, rev uint64) (uint64, error) {
	if m.isDead() {
		return 0, errDead
	}
	return m.Transport.SaveCursor(ctx, part, next, rev)
}
func (m *mortal) Heartbeat(ctx context.Context, w string) error {
	if m.isDead() {
		return errDead
	}
	return m.Transport.Heartbeat(ctx, w)
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPartitionIsStable(t *testing.T) {
	// The partition of a monitor is part of the installation's state: it must not change between
	// versions.
	for _, c := range []struct {
		id   string
		n    int
		want int
	}{{"voltana", 8, bus.Partition("voltana", 8)}, {"", 1, 0}} {
		if got := bus.Partition(c.id, c.n); got != c.want || got < 0 || got >= c.n {
			t.Errorf("Partition(%q, %d) = %d", c.id, c.n, got)
		}
	}
}

// testLogger writes to the test's log, so a failing run shows what the workers did.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestNamedLease: a named job has one holder at a time, lapses like a partition's lease, and does not
// collide with the partitions' leases.
func TestNamedLease(t *testing.T) {
	c := natstest.Start(t, 1)
	ctx := t.Context()
	open := func() *bus.JetStream {
		js, err := bus.OpenJetStream(ctx, c.Connect(t), bus.JetStreamConfig{Partitions: 2, LeaseTTL: 600 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	a, b := open(), open()
	la, err := a.AcquireNamed(ctx, "sources", "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AcquireNamed(ctx, "sources", "b"); !errors.Is(err, bus.ErrHeld) {
		t.Fatalf("second holder: %v; want ErrHeld", err)
	}
	if _, err := b.Acquire(ctx, 0, "b"); err != nil {
		t.Fatalf("partition 0 beside a named lease: %v", err)
	}
	if la, err = a.Renew(ctx, la); err != nil {
		t.Fatal(err)
	}
	if err := a.Release(ctx, la); err != nil {
		t.Fatal(err)
	}
	lb, err := b.AcquireNamed(ctx, "sources", "b")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	waitFor(t, 10*time.Second, "the named lease to lapse", func() bool {
		_, err := a.AcquireNamed(ctx, "sources", "a")
		return err == nil
	})
	if _, err := b.Renew(ctx, lb); !errors.Is(err, bus.ErrLost) {
		t.Fatalf("renewing a lapsed named lease: %v; want ErrLost", err)
	}
}
