package web

import (
	"context"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// BenchmarkPreview runs the monitor preview over 60,000 stored posts of the last week, so that every
// run scans up to the cap of 50,000: the cost of one live preview while a user types.
func BenchmarkPreview(b *testing.B) {
	h := newHarness(b)
	posts := storetest.GeneratePostsBetween(60000, 1, now.Add(-6*24*time.Hour), 6*24*time.Hour)
	for start := 0; start < len(posts); start += 5000 {
		if _, err := h.st.InsertPosts(context.Background(), posts[start:start+5000]); err != nil {
			b.Fatal(err)
		}
	}
	// The baseline: reading the same posts page by page, without matching them.
	b.Run("read-only", func(b *testing.B) {
		for b.Loop() {
			q := store.PostQuery{Since: now.Add(-previewWindow), Limit: previewPage}
			read := 0
			for read < previewScanCap {
				page, err := h.st.SearchStoredPosts(b.Context(), q)
				if err != nil {
					b.Fatal(err)
				}
				read += len(page)
				q.Until = page[len(page)-1].Post.CreatedAt
			}
		}
	})
	for _, q := range []struct{ name, query string }{
		{"word", "storing"},
		{"boolean", `(storing OR uitval OR "niet bereikbaar") AND NOT test lang:nl`},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				pv, err := h.web.preview(b.Context(), q.query)
				if err != nil {
					b.Fatal(err)
				}
				if pv.Scanned != previewScanCap || !pv.Capped {
					b.Fatalf("scanned %d, capped %v; want the cap", pv.Scanned, pv.Capped)
				}
			}
		})
	}
}
