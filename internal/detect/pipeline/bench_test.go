package pipeline_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/scenario"
)

// benchStream is a week of generated traffic, analysed and matched once, to be replayed at 10,000
// posts a second of simulated time.
type benchStream struct {
	posts  []post.Post
	inputs []detect.Input
	an     *analyze.Analyzer
}

func newBenchStream(b *testing.B) *benchStream {
	b.Helper()
	an, err := analyze.New()
	if err != nil {
		b.Fatal(err)
	}
	cfg := scenario.DefaultConfig()
	s := scenario.Normal(cfg, 1)
	var ms []query.Monitor
	for _, m := range s.Monitors {
		q, err := query.Parse(m.Query)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, query.Monitor{ID: m.ID, Query: q})
	}
	matcher, err := query.Compile(ms)
	if err != nil {
		b.Fatal(err)
	}
	bs := &benchStream{an: an}
	for i := range s.Posts {
		p := s.Posts[i]
		a := an.Annotate(p)
		cats := make([]string, len(a.Categories))
		for j, c := range a.Categories {
			cats[j] = string(c)
		}
		label := a.Sentiment.Label.String()
		ids := matcher.Match(query.NewDoc(&p, query.Analysis{Lang: a.Lang, Sentiment: label, Complaint: a.Complaint, Categories: cats}))
		if len(ids) == 0 {
			continue
		}
		bs.posts = append(bs.posts, p)
		bs.inputs = append(bs.inputs, detect.Input{Sentiment: label, Complaint: a.Complaint, Lang: a.Lang, Categories: cats, Monitors: ids})
	}
	return bs
}

// BenchmarkDetectAlert measures detection and alerting per matched post, with posts arriving at
// 10,000 a second of simulated time: one op is one post through detect.Observe, alert.Add for each
// signal and alert.Tick.
func BenchmarkDetectAlert(b *testing.B) {
	bs := newBenchStream(b)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sim := clock.NewSim(start)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	det, err := detect.New(detect.DefaultConfig(), sim, logger, nil)
	if err != nil {
		b.Fatal(err)
	}
	am, err := alert.New(alert.DefaultConfig(), sim, logger, nil)
	if err != nil {
		b.Fatal(err)
	}
	var sigs []detect.Signal
	var evs []alert.Event
	nsig := 0
	const gap = 100 * time.Microsecond // 10,000 posts a second
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNow()
	for i := 0; b.Loop(); i++ {
		k := i % len(bs.posts)
		p := bs.posts[k]
		// Each pass over the stream gets fresh ids, so metrics updates are not mistaken for growth.
		p.ID += "/" + itoa(i/len(bs.posts))
		p.CreatedAt = start.Add(time.Duration(i) * gap)
		sim.Set(p.CreatedAt)
		in := bs.inputs[k]
		in.Post = &p
		sigs = det.Observe(in, sigs[:0])
		nsig += len(sigs)
		evs = evs[:0]
		for j := range sigs {
			evs = am.Add(sigs[j], evs)
		}
		evs = am.Tick(evs)
	}
	b.ReportMetric(float64(cpuNow()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(nsig)/float64(b.N), "signals/op")
}

// BenchmarkAnalyzeBaseline is the analysis of the same posts, the stage before detection, measured
// in the same run as the baseline detection is compared with.
func BenchmarkAnalyzeBaseline(b *testing.B) {
	bs := newBenchStream(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNow()
	for i := 0; b.Loop(); i++ {
		bs.an.Annotate(bs.posts[i%len(bs.posts)])
	}
	b.ReportMetric(float64(cpuNow()-cpu0)/float64(b.N), "cpu-ns/op")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// cpuNow reads this process's CPU time; zero where it cannot be read.
func cpuNow() time.Duration {
	d, _ := cputime.Process()
	return d
}
