package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Situation sums up an incident's matched posts. The window is the posts whose monitors overlap the
// incident's, in range; every query below runs in one read-only snapshot, so the parts agree.
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
	const window = `WITH w AS (SELECT * FROM posts WHERE monitors && $1::text[] AND created_at >= $2 AND created_at < $3) `
	wargs := []any{q.Monitors, from, until}
	with := func(extra ...any) []any { return append(append([]any(nil), wargs...), extra...) }

	// The series and the segments in one pass: grouped by bucket and segment, summed up here. The
	// segment of a post is how many cuts are at or before it.
	cuts := make([]int64, len(q.Cuts))
	for i, c := range q.Cuts {
		cuts[i] = store.UnixNano(c)
	}
	rows, err := tx.Query(ctx, window+`SELECT (created_at - $2) / $4 AS b,
		(SELECT count(*) FROM unnest($5::bigint[]) c WHERE c <= created_at) AS sg,
		count(*), count(*) FILTER (WHERE sentiment = 'negative'), count(*) FILTER (WHERE sentiment = 'positive')
		FROM w GROUP BY b, sg ORDER BY b, sg`, with(int64(q.Step), cuts)...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: series: %w", mapError(err))
	}
	for rows.Next() {
		var b, sg int64
		var c store.PostCounts
		if err := rows.Scan(&b, &sg, &c.Posts, &c.Negative, &c.Positive); err != nil {
			rows.Close()
			return store.Situation{}, fmt.Errorf("store: situation: series: %w", mapError(err))
		}
		start := q.Since.Add(time.Duration(b) * q.Step).UTC()
		if n := len(out.Series); n > 0 && out.Series[n-1].Start.Equal(start) {
			out.Series[n-1].Posts += c.Posts
			out.Series[n-1].Negative += c.Negative
		} else {
			out.Series = append(out.Series, store.ActivityBucket{Start: start, Posts: c.Posts, Negative: c.Negative})
		}
		out.Segments[sg].Posts += c.Posts
		out.Segments[sg].Negative += c.Negative
		out.Segments[sg].Positive += c.Positive
		out.Posts += c.Posts
		out.Negative += c.Negative
		out.Positive += c.Positive
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: series: %w", mapError(err))
	}
	if out.Posts == 0 {
		return out, nil
	}
	top := q.TopN()

	for _, kc := range []struct {
		expr string
		dst  *[]store.KeyCount
	}{
		{`platform`, &out.Platforms},
		// The language analysis found, or else the one the platform gave.
		{`coalesce(nullif(analysis->>'lang', ''), nullif(lang, ''), 'und')`, &out.Langs},
	} {
		rows, err := tx.Query(ctx, window+`SELECT `+kc.expr+` COLLATE "C" AS k, count(*) AS n FROM w
			GROUP BY k ORDER BY n DESC, k LIMIT $4`, with(top)...)
		if err != nil {
			return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
		}
		for rows.Next() {
			var k store.KeyCount
			if err := rows.Scan(&k.Key, &k.Posts); err != nil {
				rows.Close()
				return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
			}
			*kc.dst = append(*kc.dst, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
		}
	}

	// Authors: counted, reach summed and the top ones listed in one query; the window aggregates see
	// every author before LIMIT keeps the top.
	rows, err = tx.Query(ctx, window+`, a AS (SELECT platform, author_handle AS handle, count(*) AS n,
			max(coalesce((data->'author'->>'followers')::bigint, 0)) AS f,
			coalesce(max(data->'author'->>'name'), '') AS name
		FROM w GROUP BY platform, author_handle)
		SELECT platform, handle, name, n, f, count(*) OVER (), sum(f) OVER ()::bigint FROM a
		ORDER BY n DESC, f DESC, platform, handle COLLATE "C" LIMIT $4`, with(top)...)
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

	const engagement = `coalesce((m->>'likes')::bigint, 0) + coalesce((m->>'reposts')::bigint, 0) +
		coalesce((m->>'replies')::bigint, 0) + coalesce((m->>'quotes')::bigint, 0)`
	if out.TopPosts, err = situationPosts(ctx, tx, window+`SELECT data, analysis, monitors FROM (SELECT *, data->'metrics' AS m FROM w) x
		ORDER BY `+engagement+` DESC, created_at DESC, platform, id LIMIT $4`, with(top)); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: top posts: %w", err)
	}
	if out.Questions, err = situationPosts(ctx, tx, window+`SELECT data, analysis, monitors FROM w
		WHERE strpos(text, '?') > 0 OR strpos(text, '？') > 0
		ORDER BY created_at DESC, platform DESC, id DESC LIMIT $4`, with(q.QuestionsN())); err != nil {
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
