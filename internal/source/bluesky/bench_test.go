package bluesky

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/postgen"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// firehose makes Jetstream events shaped like the real app.bsky.feed.post stream: mostly new posts, some
// with a link facet, a reply or a quote, with deletes and identity events in between. Text comes from
// postgen, so the posts have realistic Dutch and English lengths. It is deterministic.
type firehose struct {
	records [][]byte // app.bsky.feed.post records, reused round-robin
	n       int64
}

func newFirehose() *firehose {
	g := postgen.New(9, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	f := &firehose{}
	for i := 0; i < 4096; i++ {
		p := g.Next()
		rec := map[string]any{
			"$type":     CollectionPost,
			"createdAt": p.CreatedAt.Format("2006-01-02T15:04:05.000Z"),
			"langs":     []string{p.Lang},
			"text":      p.Text,
		}
		switch i % 10 {
		case 1, 2:
			rec["reply"] = map[string]any{
				"root":   map[string]string{"uri": fmt.Sprintf("at://did:plc:root%06d/app.bsky.feed.post/3mroot%06d", i, i), "cid": "bafyreiroot"},
				"parent": map[string]string{"uri": fmt.Sprintf("at://did:plc:par%06d/app.bsky.feed.post/3mpar%06d", i, i), "cid": "bafyreiparent"},
			}
		case 3:
			rec["embed"] = map[string]any{"$type": embedRecord, "record": map[string]string{
				"uri": fmt.Sprintf("at://did:plc:q%06d/app.bsky.feed.post/3mq%06d", i, i), "cid": "bafyreiquote"}}
		case 4:
			link := "https://nos.example/nieuws/" + fmt.Sprint(2300000+i)
			rec["text"] = p.Text + " nos.example/nieuws/23..."
			start := len(p.Text) + 1
			rec["facets"] = []any{map[string]any{
				"index":    map[string]int{"byteStart": start, "byteEnd": start + len("nos.example/nieuws/23...")},
				"features": []any{map[string]string{"$type": facetLink, "uri": link}},
			}}
		}
		b, err := json.Marshal(rec)
		if err != nil {
			panic(err)
		}
		f.records = append(f.records, b)
	}
	return f
}

// next appends the next event to dst; timeUS is its Jetstream time.
func (f *firehose) next(dst []byte, timeUS int64) []byte {
	f.n++
	n := f.n
	did := n % 200000 // a realistic number of distinct active authors
	switch {
	case n%50 == 0:
		return fmt.Appendf(dst, `{"did":"did:plc:u%013d","time_us":%d,"kind":"identity","identity":{"did":"did:plc:u%013d","handle":"user%d.bsky.social","seq":%d,"time":"2026-11-20T10:00:00.000Z"}}`,
			did, timeUS, did, did, n)
	case n%20 == 0:
		return fmt.Appendf(dst, `{"did":"did:plc:u%013d","time_us":%d,"kind":"commit","commit":{"rev":"3m%011d","operation":"delete","collection":"app.bsky.feed.post","rkey":"3k%011d"}}`,
			did, timeUS, n, n-7)
	}
	dst = fmt.Appendf(dst, `{"did":"did:plc:u%013d","time_us":%d,"kind":"commit","commit":{"rev":"3m%011d","operation":"create","collection":"app.bsky.feed.post","rkey":"3k%011d","record":`,
		did, timeUS, n, n)
	dst = append(dst, f.records[n%int64(len(f.records))]...)
	return append(dst, `,"cid":"bafyreihq3nkx7a2pfbvvdhj6lszgqz4c5rjd3m2wq6a2k7z5yzkqf6bqhe"}}`...)
}

// BenchmarkDecodeToPost measures the per-event work of the consumer without the network: decode the
// Jetstream JSON, then map the commit to a valid post.
func BenchmarkDecodeToPost(b *testing.B) {
	f := newFirehose()
	events := make([][]byte, 8192)
	for i := range events {
		events[i] = f.next(nil, benchBase+int64(i)*benchSpacing)
	}
	posts := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev, err := DecodeEvent(events[i%len(events)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ToPost(ev, ""); err == nil {
			posts++
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if posts == 0 {
		b.Fatal("no posts")
	}
}

// pacedJetstream streams firehose events over a real websocket: as fast as the connection takes them when
// rate is 0, else rate events per second in 10 ms batches, until total events are sent or the client goes.
type pacedJetstream struct {
	rate     int
	total    int64
	sent     atomic.Int64
	lastTime atomic.Int64 // time_us of the newest event sent
}

// benchBase is the time_us of the first event. Unpaced, events are spaced 50 µs apart, as in a stream of
// 20,000 events per second; paced, they carry the wall-clock time they were sent at, as Jetstream's do.
// Either way the deduplication set sees a realistic number of events per rewind window.
const (
	benchBase    = 1795168800000000
	benchSpacing = 50
)

func (p *pacedJetstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	f := newFirehose()
	var buf []byte
	t0 := time.Now()
	send := func() bool {
		ts := benchBase + p.sent.Load()*benchSpacing
		if p.rate > 0 {
			ts = max(benchBase+time.Since(t0).Microseconds(), p.lastTime.Load()+1)
		}
		buf = f.next(buf[:0], ts)
		p.lastTime.Store(ts)
		if err := conn.Write(ctx, websocket.MessageText, buf); err != nil {
			return false
		}
		p.sent.Add(1)
		return true
	}
	if p.rate == 0 {
		for p.total == 0 || p.sent.Load() < p.total {
			if !send() {
				return
			}
		}
		_, _, _ = conn.Read(ctx)
		return
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			// Catch up to the schedule, so a slow tick does not lower the rate.
			due := int64(now.Sub(t0).Seconds() * float64(p.rate))
			for p.sent.Load() < due && (p.total == 0 || p.sent.Load() < p.total) {
				if !send() {
					return
				}
			}
		}
	}
}

func benchSource(b testing.TB, srv *httptest.Server) *Source {
	src, err := New(Config{
		URL:       strings.Replace(srv.URL, "http://", "ws://", 1) + "/subscribe",
		Cursors:   source.NewMemoryCursors(),
		Backoff:   source.Backoff{Initial: time.Millisecond},
		SaveEvery: time.Second,
	})
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkJetstreamLoopback runs the whole consumer against a loopback Jetstream: websocket frames, decode,
// deduplication, mapping, cursor saves and emit. Server and consumer share the process, so with -cpu 1
// they share one core, and the rate is a lower bound for the consumer alone.
func BenchmarkJetstreamLoopback(b *testing.B) {
	js := &pacedJetstream{total: int64(b.N)}
	srv := httptest.NewServer(js)
	defer srv.Close()
	src := benchSource(b, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Every 20th event is a delete and every 50th an identity event; they are handled but emit nothing.
	// The run ends when the cursor reaches the last event, however many of them were posts.
	last := benchBase + int64(b.N-1)*benchSpacing
	var posts int
	b.ResetTimer()
	var ru0, ru1 runtime.MemStats
	runtime.ReadMemStats(&ru0)
	cpu0 := cpuNow()
	done := make(chan error, 1)
	go func() {
		done <- src.Run(ctx, func(_ context.Context, _ post.Post) error {
			posts++
			return nil
		})
	}()
	for src.Cursor() < last {
		select {
		case err := <-done:
			b.Fatalf("source stopped early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	runtime.ReadMemStats(&ru1)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu := cpuNow() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
	b.ReportMetric(float64(ru1.TotalAlloc-ru0.TotalAlloc)/float64(b.N), "B/event")
	if b.N > 100 && posts == 0 {
		b.Fatal("no posts emitted")
	}
}

var soak = flag.Duration("soak", 0, "run TestSoak for this long, such as 10m (0: skip)")
var soakRate = flag.Int("soak-rate", 20000, "events per second TestSoak sends")

// TestSoak streams events at -soak-rate for -soak over loopback and samples the live heap after a forced
// GC. It fails when the consumer is more than a second behind in the median sample or has not caught up at the end, or when the heap in the
// second half of the run grows more than a quarter over the first half (after a warm-up that fills the
// rewind window's deduplication set). It is skipped unless -soak is given:
//
//	go test ./internal/source/bluesky -run TestSoak -soak 10m -v
func TestSoak(t *testing.T) {
	if *soak <= 0 {
		t.Skip("soak test; run with -soak 10m")
	}
	js := &pacedJetstream{rate: *soakRate}
	srv := httptest.NewServer(js)
	defer srv.Close()
	src := benchSource(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	var posts atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	var runErr error
	go func() {
		defer wg.Done()
		runErr = src.Run(ctx, func(_ context.Context, _ post.Post) error {
			posts.Add(1)
			return nil
		})
	}()
	defer func() {
		cancel()
		wg.Wait()
		if runErr != nil {
			t.Error(runErr)
		}
	}()

	warmup := max(3*DefaultRewind, *soak/10)
	every := max(*soak/60, time.Second)
	start := time.Now()
	cpu0 := cpuNow()
	type sample struct {
		at         time.Duration
		heap       uint64
		behind     time.Duration
		goroutines int
	}
	var samples []sample
	var maxBehind time.Duration
	for time.Since(start) < *soak {
		time.Sleep(every)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		behind := time.Duration(js.lastTime.Load()-src.Cursor()) * time.Microsecond
		s := sample{time.Since(start).Round(time.Second), ms.HeapAlloc, behind, runtime.NumGoroutine()}
		samples = append(samples, s)
		t.Logf("t=%v heap=%.1f MiB behind=%v goroutines=%d posts=%d", s.at, float64(s.heap)/(1<<20), s.behind, s.goroutines, posts.Load())
		maxBehind = max(maxBehind, s.behind)
	}
	elapsed := time.Since(start)
	sent := js.sent.Load()
	// A shared machine can stall the process for a while, and the server then sends the missed events in
	// a burst. Keeping up means the backlog does not last: the median sample is under a second behind, and
	// the consumer catches up with the stream before the run ends.
	behinds := make([]float64, len(samples))
	for i, s := range samples {
		behinds[i] = float64(s.behind)
	}
	if m := time.Duration(median(behinds)); m > time.Second {
		t.Errorf("median %v behind: the consumer does not keep up with %d/s", m, *soakRate)
	}
	for deadline := time.Now().Add(30 * time.Second); js.lastTime.Load()-src.Cursor() > DefaultRewind.Microseconds(); {
		if time.Now().After(deadline) {
			t.Errorf("still %v behind 30 s after the end", time.Duration(js.lastTime.Load()-src.Cursor())*time.Microsecond)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("sent %d events in %v (%.0f/s), %d posts, CPU %v for the whole process, at most %v behind", sent,
		elapsed.Round(time.Second), float64(sent)/elapsed.Seconds(), posts.Load(), (cpuNow() - cpu0).Round(time.Millisecond),
		maxBehind)
	var first, second []float64
	for _, s := range samples {
		switch {
		case s.at < warmup:
		case s.at < warmup+(elapsed-warmup)/2:
			first = append(first, float64(s.heap))
		default:
			second = append(second, float64(s.heap))
		}
	}
	if len(first) == 0 || len(second) == 0 {
		t.Fatalf("run too short for %v warm-up and two halves", warmup)
	}
	m1, m2 := median(first), median(second)
	t.Logf("median heap after warm-up: first half %.1f MiB, second half %.1f MiB", m1/(1<<20), m2/(1<<20))
	if m2 > 1.25*m1 {
		t.Errorf("heap grew from %.1f to %.1f MiB: memory is not flat", m1/(1<<20), m2/(1<<20))
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkBaselineGenericDecode is the baseline for BenchmarkDecodeToPost: encoding/json into a generic
// map, which is what a consumer that did no mapping at all would still pay.
func BenchmarkBaselineGenericDecode(b *testing.B) {
	f := newFirehose()
	events := make([][]byte, 8192)
	for i := range events {
		events[i] = f.next(nil, benchBase+int64(i)*benchSpacing)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var m map[string]any
		if err := json.Unmarshal(events[i%len(events)], &m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkBaselineWebsocketOnly is the baseline for BenchmarkJetstreamLoopback: the same server and
// frames, read by a client that discards them, so the difference is the consumer's own work.
func BenchmarkBaselineWebsocketOnly(b *testing.B) {
	js := &pacedJetstream{total: int64(b.N)}
	srv := httptest.NewServer(js)
	defer srv.Close()
	ctx := context.Background()
	b.ResetTimer()
	cpu0 := cpuNow()
	conn, _, err := websocket.Dial(ctx, strings.Replace(srv.URL, "http://", "ws://", 1), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(DefaultReadLimit)
	for i := 0; i < b.N; i++ {
		if _, _, err := conn.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu := cpuNow() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
}

// cpuNow reads this process's CPU time; zero where it cannot be read.
func cpuNow() time.Duration {
	d, _ := cputime.Process()
	return d
}
