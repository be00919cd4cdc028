package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

const (
	postA = "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a"
	postB = "at://did:plc:bram4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2b"
)

// engagementStream is a Jetstream recording of a post and the likes and reposts that follow it, with
// the records crisisdesk must pass over: a like of a feed generator, a deleted like, a broken record.
func engagementStream(t *testing.T) *jetstream {
	t.Helper()
	js := &jetstream{t: t}
	at := int64(1795168800000000)
	add := func(ev string) {
		at += 100000
		js.events = append(js.events, strings.ReplaceAll(ev, "TIME", fmt.Sprint(at)))
		js.times = append(js.times, at)
	}
	engage := func(did, coll, rkey, op, subject string) {
		rec := `,"record":{"$type":"` + coll + `","createdAt":"2026-11-20T10:00:01Z","subject":{"uri":"` + subject + `","cid":"bafyreia"}}`
		if op == "delete" {
			rec = ""
		}
		add(`{"did":"` + did + `","time_us":TIME,"kind":"commit","commit":{"rev":"r` + rkey + `","operation":"` + op +
			`","collection":"` + coll + `","rkey":"` + rkey + `"` + rec + `}}`)
	}
	add(`{"did":"did:plc:anna4vqz6x7qj3ylb2cnl5mh","time_us":TIME,"kind":"commit","commit":{"rev":"3mabc2k3lds2a","operation":"create","collection":"app.bsky.feed.post","rkey":"3mabc2k3jcs2a","record":{"$type":"app.bsky.feed.post","createdAt":"2026-11-20T10:00:00.812Z","langs":["nl"],"text":"Weer geen water in Deventer"}}}`)
	for i := range 5 {
		engage(fmt.Sprintf("did:plc:fan%d", i), CollectionLike, fmt.Sprintf("l%d", i), "create", postA)
	}
	for i := range 3 {
		engage(fmt.Sprintf("did:plc:fan%d", i), CollectionRepost, fmt.Sprintf("r%d", i), "create", postA)
	}
	engage("did:plc:fan9", CollectionRepost, "r9", "create", postB)
	engage("did:plc:fan1", CollectionLike, "l1", "delete", postA)                                                // unliked: not subtracted
	engage("did:plc:fan8", CollectionLike, "l8", "create", "at://did:plc:gen/app.bsky.feed.generator/whats-hot") // not a post
	add(`{"did":"did:plc:fan7","time_us":TIME,"kind":"commit","commit":{"rev":"rx","operation":"create","collection":"app.bsky.feed.like","rkey":"lx","record":{"subject":"not an object"}}}`)
	add(`{"did":"did:plc:bram4vqz6x7qj3ylb2cnl5mh","time_us":TIME,"kind":"commit","commit":{"rev":"3mabc2k3lds2b","operation":"create","collection":"app.bsky.feed.post","rkey":"3mabc2k3jcs2c","record":{"$type":"app.bsky.feed.post","createdAt":"2026-11-20T10:00:02Z","text":"Het einde"}}}`)
	return js
}

func TestEngagementCounting(t *testing.T) {
	tests := []struct {
		name  string
		drops []int // connections dropped after this many events, replayed by the rewind
	}{
		{"one connection", nil},
		{"dropped twice mid-count", []int{4, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := engagementStream(t)
			js.drops = tt.drops
			srv := httptest.NewServer(js)
			defer srv.Close()
			var mu sync.Mutex
			final := map[string]post.Metrics{}
			calls := 0
			src, err := New(Config{
				URL:   strings.Replace(srv.URL, "http://", "ws://", 1) + "/subscribe",
				Clock: clock.NewSim(time.UnixMicro(js.times[len(js.times)-1]).Add(time.Second)),
				Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
				Engagement: func(ctx context.Context, counts []source.Counts) error {
					mu.Lock()
					defer mu.Unlock()
					calls++
					for _, c := range counts {
						if c.Platform != "bluesky" {
							t.Errorf("counts for platform %q", c.Platform)
						}
						final[c.ID] = c.Metrics
					}
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var posts []string
			err = src.Run(ctx, func(_ context.Context, p post.Post) error {
				posts = append(posts, p.ID)
				if p.Text == "Het einde" {
					cancel()
				}
				return nil
			})
			if err != nil || errors.Is(ctx.Err(), context.DeadlineExceeded) {
				t.Fatalf("Run = %v (%v)", err, ctx.Err())
			}
			if len(posts) != 2 || posts[0] != postA {
				t.Errorf("posts = %v, want the two posts only", posts)
			}
			mu.Lock()
			defer mu.Unlock()
			want := map[string]post.Metrics{postA: {Likes: 5, Reposts: 3}, postB: {Reposts: 1}}
			if len(final) != len(want) || final[postA] != want[postA] || final[postB] != want[postB] {
				t.Errorf("counts = %+v, want %+v", final, want)
			}
			if st := src.Status(); st.Malformed != 1 {
				t.Errorf("malformed = %d, want 1 (the broken like record)", st.Malformed)
			}
			for _, q := range js.seenQueries() {
				wc := q["wantedCollections"]
				if !slices.Contains(wc, CollectionPost) || !slices.Contains(wc, CollectionLike) || !slices.Contains(wc, CollectionRepost) {
					t.Errorf("wantedCollections = %v, want posts, likes and reposts", wc)
				}
			}
		})
	}
}

func TestTallyStaysBounded(t *testing.T) {
	tl := newTally(3)
	for i := range 10 {
		tl.add(fmt.Sprintf("at://did:plc:x/app.bsky.feed.post/%d", i), i%2 == 0)
	}
	tl.add("at://did:plc:x/app.bsky.feed.post/8", false) // touched again: kept over 7
	tl.add("at://did:plc:x/app.bsky.feed.post/10", true)
	got := tl.take()
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID[strings.LastIndex(c.ID, "/")+1:])
	}
	if !slices.Equal(ids, []string{"9", "8", "10"}) {
		t.Errorf("kept %v, want 9, 8 and 10, least recent first", ids)
	}
	if got[1].Metrics != (post.Metrics{Likes: 1, Reposts: 1}) {
		t.Errorf("post 8 = %+v, want one like and one repost", got[1].Metrics)
	}
	if again := tl.take(); len(again) != 0 {
		t.Errorf("second take = %v, want nothing changed", again)
	}
}

func TestNoEngagementWithoutSink(t *testing.T) {
	src, err := New(Config{URL: "wss://jetstream.example/subscribe"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(src.cfg.Collections, []string{CollectionPost}) {
		t.Errorf("collections = %v, want posts only", src.cfg.Collections)
	}
}
