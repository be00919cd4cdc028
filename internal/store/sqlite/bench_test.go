//go:build unix

package sqlite_test

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// BenchmarkInsertPosts inserts batches of 1000 new generated posts into a file database, as
// crisisdesk import does, and reports posts stored per second of wall time (posts/s) and per second
// of CPU time used by the process (posts/cpu-s). The second figure stays meaningful on a machine
// shared with other work, where wall time mostly measures the wait for a core. The database grows
// during the run, so longer runs (-benchtime=1000x is a million posts) show how insert speed holds
// up as the indexes grow.
func BenchmarkInsertPosts(b *testing.B) {
	const batch = 1000
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer s.Close()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var cpu time.Duration
	b.ResetTimer()
	for i := range b.N {
		// Generating a batch is not part of the measure; a million posts at once would not fit in
		// the memory of a small machine either.
		b.StopTimer()
		posts := storetest.GeneratePosts(batch, uint64(i)+1, start)
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
}

// cpuTime is the user plus system CPU time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
