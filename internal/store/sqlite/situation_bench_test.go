package sqlite_test

import (
	"path/filepath"
	"testing"

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
