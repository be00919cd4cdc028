//go:build unix

package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// BenchmarkInsertPosts inserts batches of 1000 new generated posts into a file database, as
// crisisdesk import does, and reports posts stored per second of wall time (posts/s) and per second
// of CPU time used by the process (posts/cpu-s). The second figure stays meaningful on a machine
// shared with other work, where wall time mostly measures the wait for a core. The database grows
// during the run, so longer runs (-benchtime=1000x is a million posts) show how insert speed holds
// up as the indexes grow.
//
// In "random-week" every batch spreads over the same week, so each insert into the created_at index
// lands on a random page: the worst case. In "time-ordered" each batch covers the ten minutes after
// the previous one, as in an export or a recorded stream.
func BenchmarkInsertPosts(b *testing.B) {
	const batch = 1000
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		batch func(i int) (time.Time, time.Duration)
	}{
		{"random-week", func(int) (time.Time, time.Duration) { return start, 7 * 24 * time.Hour }},
		{"time-ordered", func(i int) (time.Time, time.Duration) {
			return start.Add(time.Duration(i) * 10 * time.Minute), 10 * time.Minute
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatalf("Open: %v", err)
			}
			defer s.Close()
			var cpu time.Duration
			b.ResetTimer()
			for i := range b.N {
				// Generating a batch is not part of the measure; a million posts at once would not fit
				// in the memory of a small machine either.
				b.StopTimer()
				from, span := c.batch(i)
				posts := storetest.GeneratePostsBetween(batch, uint64(i)+1, from, span)
				cpu0 := cpuTime(b)
				b.StartTimer()
				n, err := s.InsertPosts(b.Context(), posts)
				if err != nil {
					b.Fatalf("InsertPosts: %v", err)
				}
				if n != batch {
					b.Fatalf("InsertPosts = %d new, want %d", n, batch)
				}
				cpu += cpuTime(b) - cpu0
			}
			b.StopTimer()
			total := float64(b.N * batch)
			b.ReportMetric(total/b.Elapsed().Seconds(), "posts/s")
			b.ReportMetric(total/cpu.Seconds(), "posts/cpu-s")
		})
	}
}

// cpuTime is the user plus system CPU time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	d, ok := cputime.Process()
	if !ok {
		b.Fatal("cannot read the CPU time")
	}
	return d
}

// BenchmarkSearchPosts runs typical searches against 100,000 stored posts. Besides wall time per
// search it reports the CPU time per search, which a busy machine does not inflate. The generated
// vocabulary is small, so every word is common: "storing" is in about one post in ten.
func BenchmarkSearchPosts(b *testing.B) {
	const stored, batch = 100_000, 5000
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range stored / batch {
		if _, err := s.InsertPosts(b.Context(), storetest.GeneratePosts(batch, uint64(i)+1, start)); err != nil {
			b.Fatalf("InsertPosts: %v", err)
		}
	}
	queries := []struct {
		name string
		q    store.PostQuery
	}{
		{"newest", store.PostQuery{}},
		{"common-word", store.PostQuery{Text: "storing"}},
		{"two-words", store.PostQuery{Text: "storing klantenservice"}},
		{"phrase", store.PostQuery{Text: `"data breach"`}},
		{"prefix", store.PostQuery{Text: "stor*"}},
		{"word-platform-lang-day", store.PostQuery{Text: "datalek", Platform: "x", Lang: "nl",
			Since: start.Add(48 * time.Hour), Until: start.Add(72 * time.Hour)}},
		{"rare-word-limit-1000", store.PostQuery{Text: "phishing", Limit: 1000}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			cpu0 := cpuTime(b)
			for b.Loop() {
				if _, err := s.SearchPosts(b.Context(), q.q); err != nil {
					b.Fatalf("SearchPosts: %v", err)
				}
			}
			b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkSearchPostsFile runs searches against a database built beforehand, such as a million posts
// imported with crisisdesk import, named by CRISISDESK_BENCH_SQLITE; it is skipped when that is
// unset. The words are common ones in what cmd/genposts writes.
func BenchmarkSearchPostsFile(b *testing.B) {
	path := os.Getenv("CRISISDESK_BENCH_SQLITE")
	if path == "" {
		b.Skip("CRISISDESK_BENCH_SQLITE names no database")
	}
	s, err := sqlite.Open(b.Context(), path, nil)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	queries := []struct {
		name string
		q    store.PostQuery
	}{
		{"newest", store.PostQuery{}},
		{"storing", store.PostQuery{Text: "storing"}},
		{"pakket", store.PostQuery{Text: "pakket"}},
		{"phrase", store.PostQuery{Text: `"op straat"`}},
		{"prefix", store.PostQuery{Text: "bezorg*"}},
		{"word-platform", store.PostQuery{Text: "wachtrij", Platform: "x"}},
		{"absent-word", store.PostQuery{Text: "zonnepanelen"}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SearchPosts(b.Context(), q.q); err != nil {
					b.Fatalf("SearchPosts: %v", err)
				}
			}
		})
	}
}
