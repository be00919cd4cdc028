package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Situation sums up an incident's matched posts. The window is the posts of post_monitors in range for
// the monitors, which the primary key of post_monitors answers as one range scan per monitor. The
// queries run in one read transaction, so the parts agree with each other, and read the narrow
// post_monitor_facts table (migrations 0120 and 0121) rather than the posts themselves, whose text and
// JSON made each pass over 100k posts several times slower; only the few posts listed are read whole.
// There are four passes: the counts (series, segments, platforms, languages at once), the authors, the
// top posts and the questions.
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
	// The window: each monitor's facts in range, one range scan of the primary key per monitor. A post
	// that matched several of the monitors counts on the row of the first of them by id; the rows of
	// the others are left out by a primary-key probe, near the row being read, made only for posts
	// that matched more than one monitor (migration 0122).
	in := `(?` + strings.Repeat(`,?`, len(q.Monitors)-1) + `)`
	window := ` FROM post_monitor_facts p WHERE p.monitor_id IN ` + in + ` AND p.created_at >= ? AND p.created_at < ?`
	wargs := make([]any, 0, 2*len(q.Monitors)+2)
	for _, m := range q.Monitors {
		wargs = append(wargs, m)
	}
	wargs = append(wargs, from, until)
	if len(q.Monitors) > 1 {
		window += ` AND (p.monitors = 1 OR NOT EXISTS (SELECT 1 FROM post_monitor_facts o WHERE o.monitor_id IN ` + in + `
			AND o.monitor_id < p.monitor_id AND o.created_at = p.created_at AND o.seq = p.seq))`
		for _, m := range q.Monitors {
			wargs = append(wargs, m)
		}
	}
	window += ` `
	// with returns the arguments of a query: those of its select list (before), the window's, and
	// those after the window (after).
	with := func(before []any, after ...any) []any {
		return append(append(append([]any(nil), before...), wargs...), after...)
	}

	// The segment of a post is the number of cuts at or before it.
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
	rows, err := tx.QueryContext(ctx, `SELECT (p.created_at - ?) / ? AS b, `+seg+` AS sg, p.platform, p.lang,
		count(*), sum(p.sentiment = 'negative'), sum(p.sentiment = 'positive')`+window+`
		GROUP BY b, sg, p.platform, p.lang ORDER BY b`,
		with(append([]any{from, int64(q.Step)}, segArgs...))...)
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
	}
	platforms, langs := map[string]int64{}, map[string]int64{}
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var c store.SituationCell
			if err := rows.Scan(&c.Bucket, &c.Segment, &c.Platform, &c.Lang, &c.Posts, &c.Negative, &c.Positive); err != nil {
				return err
			}
			if err := q.AddCell(&out, c, platforms, langs); err != nil {
				return err
			}
		}
		return rows.Err()
	}()
	if err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: counts: %w", mapError(err))
	}
	if out.Posts == 0 {
		return out, nil
	}
	top := q.TopN()
	out.Platforms, out.Langs = store.TopKeys(platforms, top), store.TopKeys(langs, top)

	// Authors: counted, reach summed and the top ones listed in one query; the window aggregates see
	// every author before LIMIT keeps the top. The name is read for the top authors only, from the post
	// with the most followers (SQLite takes a bare column from the row max() chose).
	rows, err = tx.QueryContext(ctx, `WITH a AS (SELECT p.platform AS platform, p.author AS handle, count(*) AS n,
			max(p.followers) AS f, p.seq AS seq`+window+`GROUP BY p.platform, p.author),
		t AS (SELECT platform, handle, n, f, seq, count(*) OVER () AS authors, sum(f) OVER () AS reach FROM a
			ORDER BY n DESC, f DESC, platform, handle LIMIT ?)
		SELECT t.platform, t.handle, coalesce(json_extract(posts.data, '$.author.name'), ''), t.n, t.f, t.authors, t.reach
		FROM t JOIN posts ON posts.seq = t.seq ORDER BY t.n DESC, t.f DESC, t.platform, t.handle`,
		with(nil, top)...)
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

	if out.TopPosts, err = situationPosts(ctx, tx, `SELECT p.seq`+window+`
		ORDER BY p.engagement DESC, p.created_at DESC, p.seq LIMIT ?`, with(nil, top)); err != nil {
		return store.Situation{}, fmt.Errorf("store: situation: top posts: %w", err)
	}
	// Questions: the newest first, from the partial index of each monitor's questions.
	if out.Questions, err = situationPosts(ctx, tx, `SELECT p.seq`+window+`AND p.question
		ORDER BY p.created_at DESC, p.seq DESC LIMIT ?`, with(nil, q.QuestionsN())); err != nil {
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
