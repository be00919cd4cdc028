package postgres_test

import (
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// BenchmarkInsertPosts inserts batches of 1000 new generated posts, each batch covering the ten
// minutes after the previous one, and reports posts stored per second of wall time. The server's
// work happens in its own processes, so only wall time means anything here.
func BenchmarkInsertPosts(b *testing.B) {
	const batch = 1000
	s, err := postgres.Open(b.Context(), freshSchema(b), nil)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		posts := storetest.GeneratePostsBetween(batch, uint64(i)+1, start.Add(time.Duration(i)*10*time.Minute), 10*time.Minute)
		b.StartTimer()
		n, err := s.InsertPosts(b.Context(), posts)
		if err != nil {
			b.Fatalf("InsertPosts: %v", err)
		}
		if n != batch {
			b.Fatalf("InsertPosts = %d new, want %d", n, batch)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "posts/s")
}
