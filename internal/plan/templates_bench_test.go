package plan

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// BenchmarkTemplateHistory reads a template's history from 200 stored plan versions, as its page and
// an approval do: when every version edited or approved the template (the worst case), and when the
// versions changed other parts of the plan.
func BenchmarkTemplateHistory(b *testing.B) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	open := func(b *testing.B) *sqlite.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "crisisdesk.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	run := func(b *testing.B, st *sqlite.Store, min int) {
		b.ResetTimer()
		for b.Loop() {
			hist, err := TemplateHistory(context.Background(), st, "holding-en")
			if err != nil || len(hist) < min {
				b.Fatalf("history of %d steps, %v", len(hist), err)
			}
		}
	}
	b.Run("template_edits", func(b *testing.B) {
		ctx := context.Background()
		st := open(b)
		base := 1
		for i := range 200 {
			if i%2 == 0 {
				t, err := EditTemplate(ctx, st, "holding-en", base, "We know there is {{issue}}. Update "+strconv.Itoa(i)+" at {{next_update}}.", "anna@example.org", now)
				if err != nil {
					b.Fatal(err)
				}
				base = t.Version
			} else if _, err := ApproveTemplate(ctx, st, "holding-en", base, "bram@example.org", now); err != nil {
				b.Fatal(err)
			}
		}
		run(b, st, 200)
	})
	b.Run("other_edits", func(b *testing.B) {
		ctx := context.Background()
		st := open(b)
		_, src, _, err := Current(ctx, st)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 200 {
			next := bytes.Replace(src, []byte("name: Voorbeeld B.V."), []byte("name: Voorbeeld "+strconv.Itoa(i)+" B.V."), 1)
			if _, _, err := Save(ctx, st, next, "anna@example.org", now); err != nil {
				b.Fatal(err)
			}
		}
		run(b, st, 1)
	})
}
