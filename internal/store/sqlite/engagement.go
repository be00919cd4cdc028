package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// RaisePostMetrics raises the counts of stored posts; see store.Engagement. The counts live in the
// post's JSON (the data column), which is read, raised in Go and written back within one write
// transaction, so two raises of one post cannot lose either's counts.
func (s *Store) RaisePostMetrics(ctx context.Context, updates []store.MetricsUpdate) ([]store.RaisedPost, error) {
	if len(updates) == 0 {
		return nil, nil
	}
	if len(updates) > store.MaxMetricsUpdates {
		return nil, fmt.Errorf("store: raise metrics: %d updates, more than the limit of %d", len(updates), store.MaxMetricsUpdates)
	}
	// Most updates raise nothing (a stream re-sends what it sent, or a post was never stored), so they
	// are first checked on a read connection, and the one writer is taken only for those that grow.
	updates, err := s.growing(ctx, updates)
	if err != nil || len(updates) == 0 {
		return nil, err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: raise metrics: begin: %w", mapError(err))
	}
	defer tx.Rollback()
	sel, err := tx.PrepareContext(ctx, `SELECT seq, text, data, analysis, monitors FROM posts WHERE platform = ? AND id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: raise metrics: prepare: %w", mapError(err))
	}
	defer sel.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE posts SET data = ? WHERE seq = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: raise metrics: prepare: %w", mapError(err))
	}
	defer upd.Close()
	var out []store.RaisedPost
	for _, u := range updates {
		var seq int64
		var text string
		var data, analysis, monitors []byte
		err := sel.QueryRowContext(ctx, u.Platform, u.ID).Scan(&seq, &text, &data, &analysis, &monitors)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: %w", u.Platform, u.ID, mapError(err))
		}
		p, err := decodePost(text, data)
		if err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: %w", u.Platform, u.ID, err)
		}
		raised, grew := store.RaiseMetrics(p.Metrics, u.Metrics)
		if !grew {
			continue
		}
		r := store.RaisedPost{Before: p.Metrics}
		p.Metrics = raised
		enc, err := encodePost(&p)
		if err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: encode: %w", u.Platform, u.ID, err)
		}
		if _, err := upd.ExecContext(ctx, string(enc), seq); err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: %w", u.Platform, u.ID, mapError(err))
		}
		r.Post = p
		if err := decodeAnalysis(&r.StoredPost, analysis, monitors); err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: %w", u.Platform, u.ID, err)
		}
		out = append(out, r)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: raise metrics: commit: %w", mapError(err))
	}
	return out, nil
}

// growing returns the updates that would raise a stored post's counts, as the posts are now.
func (s *Store) growing(ctx context.Context, updates []store.MetricsUpdate) ([]store.MetricsUpdate, error) {
	stmt, err := s.read.PrepareContext(ctx, `SELECT data FROM posts WHERE platform = ? AND id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: raise metrics: prepare: %w", mapError(err))
	}
	defer stmt.Close()
	var out []store.MetricsUpdate
	for _, u := range updates {
		var data []byte
		err := stmt.QueryRowContext(ctx, u.Platform, u.ID).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: %w", u.Platform, u.ID, mapError(err))
		}
		var m struct {
			Metrics post.Metrics `json:"metrics"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("store: raise metrics of %s/%q: decode: %w", u.Platform, u.ID, err)
		}
		if _, grew := store.RaiseMetrics(m.Metrics, u.Metrics); grew {
			out = append(out, u)
		}
	}
	return out, nil
}
