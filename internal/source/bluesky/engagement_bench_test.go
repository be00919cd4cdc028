package bluesky

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// BenchmarkHandleEngagement is the consumer's cost of one like or repost event when engagement counting
// is on: decode, deduplicate, tally per subject (100,000 subjects, bounded), and hand the changed counts
// on every 10 s of event time.
func BenchmarkHandleEngagement(b *testing.B) {
	const n = 1 << 16
	events := make([][]byte, n)
	for i := range events {
		coll := CollectionLike
		if i%5 == 0 {
			coll = CollectionRepost
		}
		events[i] = fmt.Appendf(nil, `{"did":"did:plc:fan%07d","time_us":%d,"kind":"commit","commit":{"rev":"3mab%07d","operation":"create","collection":"%s","rkey":"3mab%07d","record":{"$type":"%s","createdAt":"2026-11-20T10:00:00.000Z","subject":{"uri":"at://did:plc:author%06d/app.bsky.feed.post/3mabc%06d","cid":"bafyreihq3nkx7a2pfbvvdhj6lszgqz4c5rjd3m2wq6a2k7z5yzk"}}}}`,
			i, benchBase+int64(i)*benchSpacing, i, coll, i, coll, (i*7919)%150000, (i*7919)%150000)
	}
	clk := clock.NewSim(time.UnixMicro(benchBase))
	handed := 0
	src, err := New(Config{URL: "ws://127.0.0.1:1/subscribe", Clock: clk, Engagement: func(ctx context.Context, c []source.Counts) error {
		handed += len(c)
		return nil
	}})
	if err != nil {
		b.Fatal(err)
	}
	emit := func(context.Context, post.Post) error { return nil }
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%n == 0 && i > 0 {
			// A fresh pass: the same events again would be replays, so move them on in time.
			src.mu.Lock()
			clear(src.recent)
			src.mu.Unlock()
		}
		if i%200000 == 0 {
			clk.Advance(10 * time.Second)
		}
		if err := src.handle(ctx, events[i%n], emit); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if handed == 0 && b.N > 1 {
		b.Fatal("no counts handed on")
	}
}
