package x

import (
	"context"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// retweetLine is a streamed retweet of tweet ...001, with X's expansion of the original and its counts
// at that moment.
const retweetLine = `{"data":{"author_id":"1403881130802225999","conversation_id":"1859200000000000901","created_at":"2026-11-20T10:03:00.000Z","id":"1859200000000000901","lang":"nl","public_metrics":{"retweet_count":0,"reply_count":0,"like_count":0,"quote_count":0},"referenced_tweets":[{"type":"retweeted","id":"1859200000000000001"}],"text":"RT @annadevries: Al uren geen water in Deventer."},"includes":{"users":[{"id":"1403881130802225999","name":"Bram","username":"bram","public_metrics":{"followers_count":80,"following_count":90}}],"tweets":[{"author_id":"1403881130802225152","conversation_id":"1859200000000000001","created_at":"2026-11-20T10:00:01.000Z","id":"1859200000000000001","lang":"nl","public_metrics":{"retweet_count":41,"reply_count":9,"like_count":130,"quote_count":4,"impression_count":52000},"text":"Al uren geen water in Deventer."},{"id":"not-a-tweet-id","public_metrics":{"retweet_count":5}},{"id":"1859200000000000002"}]},"matching_rules":[{"id":"1859100000000000101","tag":"m-storing"}]}`

func TestStreamHandsOnCountsOfIncludedTweets(t *testing.T) {
	for _, withSink := range []bool{true, false} {
		h := newHarness(t)
		h.fx.scripts = []connScript{{send: []int{0}, extra: []string{retweetLine}}}
		src := h.source(testToken)
		var counts []source.Counts
		if withSink {
			src.cfg.Engagement = func(ctx context.Context, cs []source.Counts) error {
				counts = append(counts, cs...)
				return nil
			}
		}
		got, err := h.run(src, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[1].RepostOf != "1859200000000000001" {
			t.Fatalf("posts = %+v, want the tweet and its retweet", got)
		}
		if !withSink {
			continue
		}
		want := source.Counts{Platform: "x", ID: "1859200000000000001",
			Metrics: post.Metrics{Likes: 130, Reposts: 41, Replies: 9, Quotes: 4, Views: 52000}}
		if len(counts) != 1 || counts[0] != want {
			t.Errorf("counts = %+v, want only %+v (bad ids and tweets without counts are passed over)", counts, want)
		}
	}
}

// TestBackfillHandsOnCountsOfIncludedTweets: a retweet missed while disconnected, found by recent
// search, brings its original's counts too.
func TestBackfillHandsOnCountsOfIncludedTweets(t *testing.T) {
	h := newHarness(t)
	h.fx.lines = append(h.fx.lines, line{raw: []byte(retweetLine), id: "1859200000000000901"})
	last := len(h.fx.lines) - 1
	h.fx.scripts = []connScript{{send: []int{0}, drop: true}, {send: nil}}
	h.onWait = func(n int) {
		h.fx.mu.Lock()
		h.fx.posted = len(h.fx.lines) // everything after tweet 1 was posted while away
		h.fx.mu.Unlock()
	}
	src := h.source(testToken)
	var counts []source.Counts
	src.cfg.Engagement = func(ctx context.Context, cs []source.Counts) error {
		counts = append(counts, cs...)
		return nil
	}
	got, err := h.run(src, last+1)
	if err != nil {
		t.Fatal(err)
	}
	if got[len(got)-1].RepostOf != "1859200000000000001" {
		t.Fatalf("the backfill did not bring the retweet: %v", postIDs(got))
	}
	if len(counts) == 0 || counts[0].ID != "1859200000000000001" || counts[0].Metrics.Reposts != 41 {
		t.Errorf("counts = %+v, want the original's from the search page", counts)
	}
}
