package postgen

import (
	"testing"
	"time"
)

func TestGeneratorIsDeterministicAndValid(t *testing.T) {
	start := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	a, b := New(7, start), New(7, start)
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		p, q := a.Next(), b.Next()
		if p.Text != q.Text || p.ID != q.ID || !p.CreatedAt.Equal(q.CreatedAt) {
			t.Fatalf("post %d differs between two generators with one seed", i)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("post %d is invalid: %v", i, err)
		}
		if seen[p.ID] {
			t.Fatalf("duplicate id %s", p.ID)
		}
		seen[p.ID] = true
	}
}
