package supervisor

import (
	"context"

	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// MetricsRaiser raises the engagement counts of stored posts and hands the ones that grew to
// detection; *ingest.Ingester is one.
type MetricsRaiser interface {
	RaiseMetrics(ctx context.Context, updates []store.MetricsUpdate) (int, error)
}

// engagementSink is where a source's engagement counts go, or nil when the ingester cannot take them.
// Counts wait for the batch of posts before them, so a count never arrives before the post it raises.
func (s *Supervisor) engagementSink(r *runner) source.EmitCounts {
	mr, ok := s.in.(MetricsRaiser)
	if !ok {
		return nil
	}
	return func(ctx context.Context, counts []source.Counts) error {
		if err := r.batch.flush(ctx); err != nil {
			return err
		}
		ups := make([]store.MetricsUpdate, len(counts))
		for i, c := range counts {
			ups[i] = store.MetricsUpdate{Platform: c.Platform, ID: c.ID, Metrics: c.Metrics}
		}
		_, err := mr.RaiseMetrics(ctx, ups)
		return err
	}
}
