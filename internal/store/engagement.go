package store

import (
	"context"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// MetricsUpdate is a newer engagement count of a post that may already be stored: a platform sent the
// post again with fresher counts, or a connector counted likes and reposts of it.
type MetricsUpdate struct {
	Platform string
	ID       string
	Metrics  post.Metrics
}

// RaisedPost is a stored post whose metrics an update raised, with the metrics it had before.
type RaisedPost struct {
	StoredPost
	Before post.Metrics
}

// MaxMetricsUpdates bounds one RaisePostMetrics call, which reads and writes each post on its own.
const MaxMetricsUpdates = 1000

// Engagement keeps the engagement counts of stored posts current (engagement.go in each store).
type Engagement interface {
	// RaisePostMetrics raises each count of each stored post named by an update to at least the
	// update's count: counts never go down, since a platform's count is a snapshot taken at some moment
	// and an older snapshot may arrive after a newer one. Updates of posts that are not stored are
	// ignored, so applying the same updates twice changes nothing the second time. It returns the posts
	// whose counts grew, with their stored analysis and monitors and their counts before, in the order
	// of updates; a post named twice is returned once per raise. At most MaxMetricsUpdates per call.
	RaisePostMetrics(ctx context.Context, updates []MetricsUpdate) ([]RaisedPost, error)
}

// RaiseMetrics returns m with every count raised to at least that of by, and whether any count grew.
func RaiseMetrics(m, by post.Metrics) (post.Metrics, bool) {
	out := post.Metrics{
		Likes: max(m.Likes, by.Likes), Reposts: max(m.Reposts, by.Reposts), Replies: max(m.Replies, by.Replies),
		Quotes: max(m.Quotes, by.Quotes), Views: max(m.Views, by.Views),
	}
	return out, out != m
}
