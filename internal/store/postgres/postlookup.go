package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// PostsByKeys reads stored posts by (platform, id); see store.PostLookup. The keys go in as two
// parallel arrays, unnested with their position, so one query on the (platform, id) key returns the
// posts in the order asked.
func (s *Store) PostsByKeys(ctx context.Context, keys []store.PostKey) ([]store.StoredPost, error) {
	if len(keys) > store.MaxPostKeys {
		return nil, fmt.Errorf("store: posts by keys: %d keys, more than the limit of %d", len(keys), store.MaxPostKeys)
	}
	out := []store.StoredPost{}
	if len(keys) == 0 {
		return out, nil
	}
	platforms := make([]string, len(keys))
	ids := make([]string, len(keys))
	for i, k := range keys {
		platforms[i], ids[i] = k.Platform, k.ID
	}
	rows, err := s.pool.Query(ctx, `SELECT p.data, p.analysis, p.monitors
		FROM (SELECT platform, id, min(n) AS n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(platform, id, n)
		      GROUP BY platform, id) k
		JOIN posts p ON p.platform = k.platform AND p.id = k.id
		ORDER BY k.n`, platforms, ids)
	if err != nil {
		return nil, fmt.Errorf("store: posts by keys: %w", mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var data, analysis []byte
		var sp store.StoredPost
		if err := rows.Scan(&data, &analysis, &sp.Monitors); err != nil {
			return nil, fmt.Errorf("store: posts by keys: %w", mapError(err))
		}
		if err := json.Unmarshal(data, &sp.Post); err != nil {
			return nil, fmt.Errorf("store: posts by keys: decode stored post: %w", err)
		}
		if analysis != nil {
			if err := json.Unmarshal(analysis, &sp.Analysis); err != nil {
				return nil, fmt.Errorf("store: posts by keys: decode stored analysis: %w", err)
			}
		}
		if len(sp.Monitors) == 0 {
			sp.Monitors = nil
		}
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: posts by keys: %w", mapError(err))
	}
	return out, nil
}
