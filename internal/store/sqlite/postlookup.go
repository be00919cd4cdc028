package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// PostsByKeys reads stored posts by (platform, id); see store.PostLookup. Each key is one lookup on
// the (platform, id) index within one read transaction, which at the few keys an alert names is as fast
// as one query over a list of pairs and much simpler.
func (s *Store) PostsByKeys(ctx context.Context, keys []store.PostKey) ([]store.StoredPost, error) {
	if len(keys) > store.MaxPostKeys {
		return nil, fmt.Errorf("store: posts by keys: %d keys, more than the limit of %d", len(keys), store.MaxPostKeys)
	}
	out := []store.StoredPost{}
	if len(keys) == 0 {
		return out, nil
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: posts by keys: begin: %w", mapError(err))
	}
	defer tx.Rollback()
	sel, err := tx.PrepareContext(ctx, `SELECT text, data, analysis, monitors FROM posts WHERE platform = ? AND id = ?`)
	if err != nil {
		return nil, fmt.Errorf("store: posts by keys: prepare: %w", mapError(err))
	}
	defer sel.Close()
	seen := make(map[store.PostKey]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		var text string
		var data, analysis, monitors []byte
		err := sel.QueryRowContext(ctx, k.Platform, k.ID).Scan(&text, &data, &analysis, &monitors)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: post %s/%q: %w", k.Platform, k.ID, mapError(err))
		}
		p, err := decodePost(text, data)
		if err != nil {
			return nil, fmt.Errorf("store: post %s/%q: %w", k.Platform, k.ID, err)
		}
		sp := store.StoredPost{Post: p}
		if err := decodeAnalysis(&sp, analysis, monitors); err != nil {
			return nil, fmt.Errorf("store: post %s/%q: %w", k.Platform, k.ID, err)
		}
		out = append(out, sp)
	}
	return out, nil
}
