package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// insertPostsSQL inserts a whole batch in one statement from parallel arrays, one round trip
// however large the batch. pgx prepares it once per connection and reuses it.
// The monitor ids of each post travel as a JSON array, since unnest cannot yield arrays of
// different lengths from one two-dimensional one.
const insertPostsSQL = `INSERT INTO posts (platform, id, created_at, lang, author_handle, text, search, data,
	sentiment, complaint, categories, analysis, monitors)
SELECT p, i, c, l, a, t, s::tsvector, d::json, se, co, ca, nullif(an, '')::json,
	ARRAY(SELECT json_array_elements_text(mo::json))
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
	$9::text[], $10::boolean[], $11::bigint[], $12::text[], $13::text[])
	AS u (p, i, c, l, a, t, s, d, se, co, ca, an, mo)
ON CONFLICT (platform, id) DO NOTHING`

// insertAttempts bounds the retries of a batch that lost a deadlock to another writer.
const insertAttempts = 5

// InsertPosts stores posts without analysis; see InsertStoredPosts.
func (s *Store) InsertPosts(ctx context.Context, posts []post.Post) (int, error) {
	stored := make([]store.StoredPost, len(posts))
	for i := range posts {
		stored[i].Post = posts[i]
	}
	return s.InsertStoredPosts(ctx, stored)
}

// InsertStoredPosts stores posts with their analysis and monitor ids in one statement, and so one
// transaction, and returns how many were new.
//
// Rows go in sorted by key. Two writers inserting overlapping batches then take the row locks of
// the unique index in the same order and cannot deadlock; should one still fail with a deadlock or
// serialization failure, the batch is retried, which is safe because it is all or nothing.
func (s *Store) InsertStoredPosts(ctx context.Context, posts []store.StoredPost) (int, error) {
	if len(posts) == 0 {
		return 0, nil
	}
	sorted := make([]*store.StoredPost, len(posts))
	for i := range posts {
		sorted[i] = &posts[i]
	}
	slices.SortFunc(sorted, func(a, b *store.StoredPost) int {
		if c := strings.Compare(a.Post.Platform, b.Post.Platform); c != 0 {
			return c
		}
		return strings.Compare(a.Post.ID, b.Post.ID)
	})
	n := len(sorted)
	platforms, ids, langs, handles := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	texts, searches, datas := make([]string, n), make([]string, n), make([]string, n)
	created := make([]int64, n)
	sentiments, analyses, monitors := make([]string, n), make([]string, n), make([]string, n)
	complaints, categories := make([]bool, n), make([]int64, n)
	for i, sp := range sorted {
		p := &sp.Post
		data, err := json.Marshal(p)
		if err != nil {
			return 0, fmt.Errorf("store: insert post %s/%q: encode: %w", p.Platform, p.ID, err)
		}
		platforms[i], ids[i], created[i] = storable(p.Platform), storable(p.ID), store.UnixNano(p.CreatedAt)
		langs[i], handles[i], texts[i] = storable(p.Lang), storable(p.Author.Handle), storable(p.Text)
		searches[i], datas[i] = tsvector(p.Text), string(data)
		if analysis, monitorIDs, err := encodeAnalysis(sp); err != nil {
			return 0, fmt.Errorf("store: insert post %s/%q: encode analysis: %w", p.Platform, p.ID, err)
		} else {
			analyses[i], monitors[i] = analysis, monitorIDs
		}
		sentiments[i], complaints[i] = storable(sp.Analysis.Sentiment), sp.Analysis.Complaint
		categories[i] = store.CategoryBits(sp.Analysis.Categories)
	}
	var err error
	for attempt := 1; ; attempt++ {
		var tag pgconn.CommandTag
		tag, err = s.pool.Exec(ctx, insertPostsSQL, platforms, ids, created, langs, handles, texts, searches, datas,
			sentiments, complaints, categories, analyses, monitors)
		if err == nil {
			return int(tag.RowsAffected()), nil
		}
		var pe *pgconn.PgError
		retry := errors.As(err, &pe) && (pe.Code == codeDeadlockDetected || pe.Code == codeSerializationFailure)
		if !retry || attempt == insertAttempts || ctx.Err() != nil {
			break
		}
		s.logger.WarnContext(ctx, "retrying a batch of posts", "posts", n, "attempt", attempt, "err", err)
	}
	return 0, fmt.Errorf("store: insert %d posts from %s/%q: %w", n, sorted[0].Post.Platform, sorted[0].Post.ID, mapError(err))
}

// encodeAnalysis returns the analysis column of sp as JSON text ("" for none, stored as NULL) and
// its monitor ids as a JSON array. Strings PostgreSQL cannot hold are made storable first.
func encodeAnalysis(sp *store.StoredPost) (analysis, monitors string, err error) {
	if sp.Analysis.Analysed() {
		b, err := json.Marshal(&sp.Analysis)
		if err != nil {
			return "", "", err
		}
		analysis = string(b)
	}
	ids := make([]string, len(sp.Monitors))
	for i, id := range sp.Monitors {
		ids[i] = storable(id)
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return "", "", err
	}
	return analysis, string(b), nil
}

// maxPosition is the largest word position a tsvector holds; later words share it.
const maxPosition = 16383

// tsvector writes text's tokens as a tsvector literal, with positions so that phrases match. The
// tokens hold only letters, digits and marks, so they never contain the quote or backslash that the
// literal would need escaped.
func tsvector(text string) string {
	var b strings.Builder
	for i, tok := range store.SearchTokens(text) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(tok)
		b.WriteString("':")
		b.WriteString(strconv.Itoa(min(i+1, maxPosition)))
	}
	return b.String()
}

// tsquery writes terms as a tsquery literal: terms ANDed, the tokens of a term adjacent (<->), and
// :* on a prefix. Built from tokens, it cannot carry tsquery syntax from the user.
func tsquery(terms []store.SearchTerm) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteByte('(')
		for j, tok := range t.Tokens {
			if j > 0 {
				b.WriteString(" <-> ")
			}
			b.WriteByte('\'')
			b.WriteString(tok)
			b.WriteByte('\'')
		}
		if t.Prefix {
			b.WriteString(":*")
		}
		b.WriteByte(')')
	}
	return b.String()
}

// SearchPosts returns the posts matching q, newest first, without their analysis.
func (s *Store) SearchPosts(ctx context.Context, q store.PostQuery) ([]post.Post, error) {
	stored, err := s.SearchStoredPosts(ctx, q)
	if err != nil {
		return nil, err
	}
	posts := make([]post.Post, len(stored))
	for i := range stored {
		posts[i] = stored[i].Post
	}
	return posts, nil
}

// SearchStoredPosts returns the posts matching q with their analysis, newest first.
func (s *Store) SearchStoredPosts(ctx context.Context, q store.PostQuery) ([]store.StoredPost, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if strings.TrimSpace(q.Text) != "" {
		terms := store.ParseSearch(q.Text)
		if len(terms) == 0 {
			// The text has no word in it (only punctuation, say), so no post can match it.
			return []store.StoredPost{}, nil
		}
		where = append(where, `search @@ `+arg(tsquery(terms))+`::tsquery`)
	}
	if !isStorable(q.Platform) || !isStorable(q.Lang) || !isStorable(q.Monitor) || !isStorable(q.Sentiment) ||
		(q.Category != "" && store.CategoryBit(q.Category) == 0) {
		// No valid post has a NUL or invalid UTF-8 in these fields, and PostgreSQL would refuse the
		// parameter; no post has a category outside the fixed set. The answer is known: nothing.
		return []store.StoredPost{}, nil
	}
	if q.Sentiment != "" {
		where = append(where, `sentiment = `+arg(q.Sentiment))
	}
	if q.Complaint {
		where = append(where, `complaint`)
	}
	if q.Category != "" {
		where = append(where, `categories & `+arg(store.CategoryBit(q.Category))+` <> 0`)
	}
	if q.Monitor != "" {
		where = append(where, `monitors @> ARRAY[`+arg(q.Monitor)+`]::text[]`)
	}
	if q.Platform != "" {
		where = append(where, `platform = `+arg(q.Platform))
	}
	if q.Lang != "" {
		where = append(where, `lang = `+arg(q.Lang))
	}
	if !q.Since.IsZero() {
		where = append(where, `created_at >= `+arg(store.UnixNano(q.Since)))
	}
	if !q.Until.IsZero() {
		where = append(where, `created_at < `+arg(store.UnixNano(q.Until)))
	}
	query := `SELECT data, analysis, monitors FROM posts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY created_at DESC, platform, id LIMIT ` + arg(store.SearchLimit(q.Limit))

	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search posts: %w", mapError(err))
	}
	defer rows.Close()
	posts := []store.StoredPost{}
	for rows.Next() {
		var data, analysis []byte
		var sp store.StoredPost
		if err := rows.Scan(&data, &analysis, &sp.Monitors); err != nil {
			return nil, fmt.Errorf("store: search posts: %w", mapError(err))
		}
		if err := json.Unmarshal(data, &sp.Post); err != nil {
			return nil, fmt.Errorf("store: search posts: decode stored post: %w", err)
		}
		if analysis != nil {
			if err := json.Unmarshal(analysis, &sp.Analysis); err != nil {
				return nil, fmt.Errorf("store: search posts: decode stored analysis: %w", err)
			}
		}
		if len(sp.Monitors) == 0 {
			sp.Monitors = nil
		}
		posts = append(posts, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search posts: %w", mapError(err))
	}
	return posts, nil
}

// CountPosts returns how many posts are stored.
func (s *Store) CountPosts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM posts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count posts: %w", mapError(err))
	}
	return n, nil
}
