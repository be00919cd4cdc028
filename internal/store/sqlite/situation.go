package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Situation sums up an incident's matched posts. The window is the posts of post_monitors in range for
// the monitors, which the primary key of post_monitors answers as one range scan per monitor; every
// query below runs over that set in one read transaction, so the parts agree with each other.
func (s *Store) Situation(ctx context.Context, q store.SituationQuery) (store.Situation, error) {
	if err := q.Check(); err != nil {
		return store.Situation{}, err
	}
	out := store.Situation{Segments: make([]store.PostCounts, len(q.Cuts)+1)}
	if len(q.Monitors) == 0 {
		return out, nil
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: begin: %w", mapError(err))
	}
	defer tx.Rollback()

	from, until := store.UnixNano(q.Since), store.UnixNano(q.Until)
	// window is the seqs of the matched posts; a post that matched two of the monitors counts once.
	window := `WITH w AS MATERIALIZED (SELECT DISTINCT seq FROM post_monitors
		WHERE monitor_id IN (?` + strings.Repeat(`,?`, len(q.Monitors)-1) + `) AND created_at >= ? AND created_at < ?) `
	wargs := make([]any, 0, len(q.Monitors)+2)
	for _, m := range q.Monitors {
		wargs = append(wargs, m)
	}
	wargs = append(wargs, from, until)
	with := func(extra ...any) []any { return append(append([]any(nil), wargs...), extra...) }

	// The series and the segments in one pass: grouped by bucket and segment, summed up here.
	seg := `0`
	var segArgs []any
	if len(q.Cuts) > 0 {
		var b strings.Builder
		b.WriteString(`CASE`)
		for i, c := range q.Cuts {
			fmt.Fprintf(&b, ` WHEN p.created_at < ? THEN %d`, i)
			segArgs = append(segArgs, store.UnixNano(c))
		}
		fmt.Fprintf(&b, ` ELSE %d END`, len(q.Cuts))
		seg = b.String()
	}
	rows, err := tx.QueryContext(ctx, window+`SELECT (p.created_at - ?) / ? AS b, `+seg+` AS sg,
		count(*), sum(p.sentiment = 'negative'), sum(p.sentiment = 'positive')
		FROM w JOIN posts p ON p.seq = w.seq GROUP BY b, sg ORDER BY b, sg`,
		append(with(from, int64(q.Step)), segArgs...)...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: series: %w", mapError(err))
	}
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var b, sg int64
			var c store.PostCounts
			if err := rows.Scan(&b, &sg, &c.Posts, &c.Negative, &c.Positive); err != nil {
				return err
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
		return rows.Err()
	}()
	if err != nil {
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
		{`p.platform`, &out.Platforms},
		// The language analysis found, or else the one the platform gave.
		{`coalesce(nullif(json_extract(p.analysis, '$.lang'), ''), nullif(p.lang, ''), 'und')`, &out.Langs},
	} {
		rows, err := tx.QueryContext(ctx, window+`SELECT `+kc.expr+` AS k, count(*) AS n FROM w JOIN posts p ON p.seq = w.seq
			GROUP BY k ORDER BY n DESC, k LIMIT ?`, with(top)...)
		if err != nil {
			return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var k store.KeyCount
				if err := rows.Scan(&k.Key, &k.Posts); err != nil {
					return err
				}
				*kc.dst = append(*kc.dst, k)
			}
			return rows.Err()
		}()
		if err != nil {
			return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
		}
	}

	// Authors: counted, reach summed and the top ones listed in one query; the window aggregates see
	// every author before LIMIT keeps the top. The name is the one on the post with the most followers.
	rows, err = tx.QueryContext(ctx, window+`, a AS (SELECT p.platform AS platform, p.author_handle AS handle, count(*) AS n,
			max(coalesce(json_extract(p.data, '$.author.followers'), 0)) AS f,
			coalesce(json_extract(p.data, '$.author.name'), '') AS name
		FROM w JOIN posts p ON p.seq = w.seq GROUP BY p.platform, p.author_handle)
		SELECT platform, handle, name, n, f, count(*) OVER (), sum(f) OVER () FROM a ORDER BY n DESC, f DESC, platform, handle LIMIT ?`,
		with(top)...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: authors: %w", mapError(err))
	}
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var a store.AuthorCount
			if err := rows.Scan(&a.Platform, &a.Handle, &a.Name, &a.Posts, &a.Followers, &out.Authors, &out.Reach); err != nil {
				return err
			}
			out.TopAuthors = append(out.TopAuthors, a)
		}
		return rows.Err()
	}()
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: authors: %w", mapError(err))
	}

	engagement := `coalesce(json_extract(p.data, '$.metrics.likes'), 0) + coalesce(json_extract(p.data, '$.metrics.reposts'), 0) +
		coalesce(json_extract(p.data, '$.metrics.replies'), 0) + coalesce(json_extract(p.data, '$.metrics.quotes'), 0)`
	if out.TopPosts, err = situationPosts(ctx, tx, window+`SELECT p.seq FROM w JOIN posts p ON p.seq = w.seq
		ORDER BY `+engagement+` DESC, p.created_at DESC, p.seq LIMIT ?`, with(top)); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: top posts: %w", err)
	}
	if out.Questions, err = situationPosts(ctx, tx, window+`SELECT p.seq FROM w JOIN posts p ON p.seq = w.seq
		WHERE instr(p.text, '?') > 0 OR instr(p.text, '？') > 0
		ORDER BY p.created_at DESC, p.seq DESC LIMIT ?`, with(q.QuestionsN())); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: questions: %w", err)
	}
	return out, nil
}

// situationPosts runs a query for seqs and reads those posts, in the query's order.
func situationPosts(ctx context.Context, tx *sql.Tx, query string, args []any) ([]store.StoredPost, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		seqs = append(seqs, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	if len(seqs) == 0 {
		return nil, nil
	}
	return postsBySeq(ctx, tx, seqs)
}
