package x

import (
	"context"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// emitIncludedCounts hands on the counts of the tweets a streamed tweet refers to. Every retweet of a
// tweet brings that tweet's current counts, so a stored tweet that spreads has its counts raised and
// the viral-post detector sees its velocity, though X streams each tweet itself only once.
func (s *Source) emitIncludedCounts(ctx context.Context, inc Includes) error {
	if s.cfg.Engagement == nil || len(inc.Tweets) == 0 || ctx.Err() != nil {
		return nil
	}
	counts := make([]source.Counts, 0, len(inc.Tweets))
	for _, t := range inc.Tweets {
		m := t.PublicMetrics
		if m == nil || !isTweetID(t.ID) {
			continue
		}
		counts = append(counts, source.Counts{Platform: "x", ID: t.ID, Metrics: post.Metrics{
			Likes: max(m.LikeCount, 0), Reposts: max(m.RetweetCount, 0), Replies: max(m.ReplyCount, 0),
			Quotes: max(m.QuoteCount, 0), Views: max(m.ImpressionCount, 0),
		}})
	}
	if len(counts) == 0 {
		return nil
	}
	if err := s.cfg.Engagement(ctx, counts); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return source.EmitError(fmt.Errorf("engagement counts: %w", err))
	}
	return nil
}
