package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// RaisePostMetrics raises the counts of stored posts; see store.Engagement. Each post's row is locked
// while its JSON is read, raised and written back, so concurrent raises of one post cannot lose
// either's counts. Rows are locked in key order, as InsertStoredPosts does, so two batches cannot
// deadlock each other.
func (s *Store) RaisePostMetrics(ctx context.Context, updates []store.MetricsUpdate) ([]store.RaisedPost, error) {
	if len(updates) == 0 {
		return nil, nil
	}
	if len(updates) > store.MaxMetricsUpdates {
		return nil, fmt.Errorf("store: raise metrics: %d updates, more than the limit of %d", len(updates), store.MaxMetricsUpdates)
	}
	order := make([]int, len(updates))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(updates[a].Platform, updates[b].Platform), cmp.Compare(updates[a].ID, updates[b].ID))
	})
	type result struct {
		at int
		r  store.RaisedPost
	}
	var results []result
	for attempt := 1; ; attempt++ {
		results = results[:0]
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			for _, i := range order {
				u := updates[i]
				var data, analysis []byte
				var monitors []string
				err := tx.QueryRow(ctx, `SELECT data, analysis, monitors FROM posts WHERE platform = $1 AND id = $2 FOR UPDATE`,
					u.Platform, u.ID).Scan(&data, &analysis, &monitors)
				if errors.Is(err, pgx.ErrNoRows) {
					continue
				}
				if err != nil {
					return fmt.Errorf("%s/%q: %w", u.Platform, u.ID, err)
				}
				var r store.RaisedPost
				if err := json.Unmarshal(data, &r.Post); err != nil {
					return fmt.Errorf("%s/%q: decode stored post: %w", u.Platform, u.ID, err)
				}
				raised, grew := store.RaiseMetrics(r.Post.Metrics, u.Metrics)
				if !grew {
					continue
				}
				r.Before, r.Post.Metrics = r.Post.Metrics, raised
				enc, err := json.Marshal(&r.Post)
				if err != nil {
					return fmt.Errorf("%s/%q: encode: %w", u.Platform, u.ID, err)
				}
				if _, err := tx.Exec(ctx, `UPDATE posts SET data = $3::json WHERE platform = $1 AND id = $2`,
					u.Platform, u.ID, string(enc)); err != nil {
					return fmt.Errorf("%s/%q: %w", u.Platform, u.ID, err)
				}
				if analysis != nil {
					if err := json.Unmarshal(analysis, &r.Analysis); err != nil {
						return fmt.Errorf("%s/%q: decode stored analysis: %w", u.Platform, u.ID, err)
					}
				}
				if len(monitors) > 0 {
					r.Monitors = monitors
				}
				results = append(results, result{i, r})
			}
			return nil
		})
		if err == nil {
			break
		}
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == codeDeadlockDetected || pe.Code == codeSerializationFailure) &&
			attempt < insertAttempts && ctx.Err() == nil {
			continue
		}
		return nil, fmt.Errorf("store: raise metrics: %w", mapError(err))
	}
	slices.SortStableFunc(results, func(a, b result) int { return cmp.Compare(a.at, b.at) })
	out := make([]store.RaisedPost, len(results))
	for i, r := range results {
		out[i] = r.r
	}
	return out, nil
}
