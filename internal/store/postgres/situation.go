package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Situation sums up an incident's matched posts. The window is the posts whose monitors overlap the
// incident's, in range; every query below runs in one read-only snapshot, so the parts agree, and
// reads the narrow post_facts table (migration 0120) rather than the posts themselves; only the few
// posts listed are read whole.
func (s *Store) Situation(ctx context.Context, q store.SituationQuery) (store.Situation, error) {
	if err := q.Check(); err != nil {
		return store.Situation{}, err
	}
	out := store.Situation{Segments: make([]store.PostCounts, len(q.Cuts)+1)}
	if len(q.Monitors) == 0 {
		return out, nil
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: begin: %w", mapError(err))
	}
	defer tx.Rollback(ctx)

	from, until := store.UnixNano(q.Since), store.UnixNano(q.Until)
	const window = `WITH w AS MATERIALIZED (SELECT * FROM post_facts WHERE monitors && $1::text[] AND created_at >= $2 AND created_at < $3) `
	wargs := []any{q.Monitors, from, until}
	with := func(extra ...any) []any { return append(append([]any(nil), wargs...), extra...) }

	// The counts in one pass, by bucket, segment, platform and language, summed up by AddCell. The
	// segment of a post is how many cuts are at or before it.
	cuts := make([]int64, len(q.Cuts))
	for i, c := range q.Cuts {
		cuts[i] = store.UnixNano(c)
	}
	rows, err := tx.Query(ctx, window+`SELECT (created_at - $2) / $4 AS b,
		(SELECT count(*) FROM unnest($5::bigint[]) c WHERE c <= created_at) AS sg,
		platform, lang,
		count(*), count(*) FILTER (WHERE sentiment = 'negative'), count(*) FILTER (WHERE sentiment = 'positive')
		FROM w GROUP BY b, sg, platform, lang ORDER BY b`, with(int64(q.Step), cuts)...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
	}
	platforms, langs := map[string]int64{}, map[string]int64{}
	for rows.Next() {
		var c store.SituationCell
		if err := rows.Scan(&c.Bucket, &c.Segment, &c.Platform, &c.Lang, &c.Posts, &c.Negative, &c.Positive); err == nil {
			err = q.AddCell(&out, c, platforms, langs)
		}
		if err != nil {
			rows.Close()
			return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
	}
	if out.Posts == 0 {
		return out, nil
	}
	top := q.TopN()
	out.Platforms, out.Langs = store.TopKeys(platforms, top), store.TopKeys(langs, top)

	// Authors: counted, reach summed and the top ones listed in one query; the window aggregates see
	// every author before LIMIT keeps the top. The name is read for the top authors only, from one of
	// their posts.
	rows, err = tx.Query(ctx, window+`, a AS (SELECT platform, author AS handle, count(*) AS n, max(followers) AS f, max(id) AS id
		FROM w GROUP BY platform, author),
		t AS (SELECT platform, handle, n, f, id, count(*) OVER () AS authors, sum(f) OVER ()::bigint AS reach FROM a
			ORDER BY n DESC, f DESC, platform, handle LIMIT $4)
		SELECT t.platform, t.handle, coalesce(p.data->'author'->>'name', ''), t.n, t.f, t.authors, t.reach
		FROM t JOIN posts p ON p.platform = t.platform AND p.id = t.id ORDER BY t.n DESC, t.f DESC, t.platform, t.handle`, with(top)...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: authors: %w", mapError(err))
	}
	for rows.Next() {
		var a store.AuthorCount
		if err := rows.Scan(&a.Platform, &a.Handle, &a.Name, &a.Posts, &a.Followers, &out.Authors, &out.Reach); err != nil {
			rows.Close()
			return store.Situation{}, fmt.Errorf("store: situation: authors: %w", mapError(err))
		}
		out.TopAuthors = append(out.TopAuthors, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: authors: %w", mapError(err))
	}

	if out.TopPosts, err = situationPosts(ctx, tx, window+`SELECT p.data, p.analysis, p.monitors
		FROM (SELECT platform, id, engagement, created_at FROM w ORDER BY engagement DESC, created_at DESC, platform, id LIMIT $4) t
		JOIN posts p ON p.platform = t.platform AND p.id = t.id
		ORDER BY t.engagement DESC, t.created_at DESC, t.platform, t.id`, with(top)); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: top posts: %w", err)
	}
	// Questions: the newest first, from the partial index of questions, so the scan stops once it
	// has enough.
	if out.Questions, err = situationPosts(ctx, tx, `SELECT p.data, p.analysis, p.monitors
		FROM (SELECT platform, id, created_at FROM post_facts
			WHERE question AND monitors && $1::text[] AND created_at >= $2 AND created_at < $3
			ORDER BY created_at DESC, platform DESC, id DESC LIMIT $4) t
		JOIN posts p ON p.platform = t.platform AND p.id = t.id
		ORDER BY t.created_at DESC, t.platform DESC, t.id DESC`, with(q.QuestionsN())); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: questions: %w", err)
	}
	return out, nil
}

// situationPosts reads the posts a query returns as data, analysis and monitors, in its order.
func situationPosts(ctx context.Context, tx pgx.Tx, query string, args []any) ([]store.StoredPost, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []store.StoredPost
	for rows.Next() {
		var data, analysis []byte
		var sp store.StoredPost
		if err := rows.Scan(&data, &analysis, &sp.Monitors); err != nil {
			return nil, mapError(err)
		}
		if err := json.Unmarshal(data, &sp.Post); err != nil {
			return nil, fmt.Errorf("decode stored post: %w", err)
		}
		if analysis != nil {
			if err := json.Unmarshal(analysis, &sp.Analysis); err != nil {
				return nil, fmt.Errorf("decode stored analysis: %w", err)
			}
		}
		if len(sp.Monitors) == 0 {
			sp.Monitors = nil
		}
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	return out, nil
}
