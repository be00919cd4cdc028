package storetest

import (
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// BenchSituation measures Situation over an incident window of n matched posts: n generated posts
// over one day, each analysed and matched by monitor m1 or m2 (a fifth by both), and n/2 more that
// only m3 matched, which the window must skip. A tenth of the posts ask a question. Each iteration asks what the incident room asks: the
// day in 15-minute buckets, cut at three statements, the top 10 and the 200 newest questions.
func BenchSituation(b *testing.B, s store.Store, n int) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sentiments := []string{"negative", "negative", "neutral", "positive"}
	const batch = 1000
	for from := 0; from < n+n/2; from += batch {
		posts := GeneratePostsBetween(min(batch, n+n/2-from), uint64(from)+7, start, 24*time.Hour)
		sps := make([]store.StoredPost, len(posts))
		for i, p := range posts {
			k := from + i
			monitors := []string{"m1"}
			switch {
			case k >= n:
				monitors = []string{"m3"}
			case k%5 == 0:
				monitors = []string{"m1", "m2"}
			case k%2 == 0:
				monitors = []string{"m2"}
			}
			if k%10 == 0 { // a tenth ask something
				p.Text += " waarom?"
			}
			sps[i] = store.StoredPost{Post: p, Monitors: monitors,
				Analysis: store.Analysis{Lang: p.Lang, LangConfidence: 0.9, Sentiment: sentiments[k%len(sentiments)]}}
		}
		if _, err := s.InsertStoredPosts(b.Context(), sps); err != nil {
			b.Fatalf("InsertStoredPosts: %v", err)
		}
	}
	q := store.SituationQuery{Monitors: []string{"m1", "m2"}, Since: start, Until: start.Add(24 * time.Hour),
		Step: 15 * time.Minute, Cuts: []time.Time{start.Add(6 * time.Hour), start.Add(12 * time.Hour), start.Add(18 * time.Hour)}}
	got, err := s.Situation(b.Context(), q)
	if err != nil {
		b.Fatal(err)
	}
	if got.Posts != int64(n) {
		b.Fatalf("the window has %d posts, want %d", got.Posts, n)
	}
	// CPU time per operation beside wall time: on a shared machine wall time measures the neighbours
	// too. For PostgreSQL the server's work is in other processes, so there only wall time counts.
	cpu0, _ := cputime.Process()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Situation(b.Context(), q); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cputime.Report(b, cpu0)
}

// SituationSizes are the window sizes the benchmarks run, by name.
var SituationSizes = []struct {
	Name string
	N    int
}{{"10k", 10_000}, {"100k", 100_000}}
