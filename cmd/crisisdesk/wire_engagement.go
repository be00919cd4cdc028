package main

import (
	"context"

	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ObserveEngagement runs the viral-post detector over stored, matched posts whose engagement counts
// grew, and handles the alert events it causes, as Observe does for new posts (ingest's
// EngagementObserver).
func (a *alerting) ObserveEngagement(ctx context.Context, posts []store.RaisedPost) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = a.events[:0]
	for i := range posts {
		rp := &posts[i]
		a.signals = a.det.ObserveEngagement(detect.Input{
			Post: &rp.Post, Sentiment: rp.Analysis.Sentiment, Complaint: rp.Analysis.Complaint,
			Lang: rp.Analysis.Lang, Categories: rp.Analysis.Categories, Monitors: rp.Monitors,
		}, rp.Before, a.signals[:0])
		for _, s := range a.signals {
			a.events = a.manager.Add(s, a.events)
		}
	}
	return a.handle(ctx, a.events)
}

var _ ingest.EngagementObserver = (*alerting)(nil)
