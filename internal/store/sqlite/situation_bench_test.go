//go:build unix

package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// BenchmarkSituation sums up an incident window of 10k and 100k matched posts in a file database, as
// the incident room does on every refresh (storetest.BenchSituation).
func BenchmarkSituation(b *testing.B) {
	for _, size := range storetest.SituationSizes {
		b.Run(size.Name, func(b *testing.B) {
			s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatalf("Open: %v", err)
			}
			defer s.Close()
			storetest.BenchSituation(b, s, size.N)
		})
	}
}

// BenchmarkInsertMatchedPosts inserts batches of 1,000 generated posts that a monitor matched, with
// their analysis, as ingest stores them, and reports posts stored per CPU-second. "without-facts" drops
// the trigger that fills post_monitor_facts first, so the two cases show what keeping the situation's facts
// costs the ingest path.
func BenchmarkInsertMatchedPosts(b *testing.B) {
	const batch = 1000
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, keep := range []bool{true, false} {
		name := "with-facts"
		if !keep {
			name = "without-facts"
		}
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.db")
			s, err := sqlite.Open(b.Context(), path, nil)
			if err != nil {
				b.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if !keep {
				db, err := sql.Open("sqlite", path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.ExecContext(b.Context(), `DROP TRIGGER post_monitor_facts_insert`); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
			var cpu time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				posts := storetest.GeneratePostsBetween(batch, uint64(i)+1, start.Add(time.Duration(i)*10*time.Minute), 10*time.Minute)
				sps := make([]store.StoredPost, len(posts))
				for j, p := range posts {
					sps[j] = store.StoredPost{Post: p, Monitors: []string{"m1"},
						Analysis: store.Analysis{Lang: p.Lang, LangConfidence: 0.9, Sentiment: "negative"}}
				}
				cpu0 := cpuTime(b)
				b.StartTimer()
				if _, err := s.InsertStoredPosts(b.Context(), sps); err != nil {
					b.Fatalf("InsertStoredPosts: %v", err)
				}
				cpu += cpuTime(b) - cpu0
			}
			b.ReportMetric(float64(b.N*batch)/cpu.Seconds(), "posts/cpu-s")
		})
	}
}
