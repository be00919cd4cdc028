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
const insertPostsSQL = `INSERT INTO posts (platform, id, created_at, lang, author_handle, text, search, data)
SELECT p, i, c, l, a, t, s::tsvector, d::json
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
	AS u (p, i, c, l, a, t, s, d)
ON CONFLICT (platform, id) DO NOTHING`

// insertAttempts bounds the retries of a batch that lost a deadlock to another writer.
const insertAttempts = 5

// InsertPosts stores posts in one statement, and so one transaction, and returns how many were new.
//
// Rows go in sorted by key. Two writers inserting overlapping batches then take the row locks of
// the unique index in the same order and cannot deadlock; should one still fail with a deadlock or
// serialization failure, the batch is retried, which is safe because it is all or nothing.
func (s *Store) InsertPosts(ctx context.Context, posts []post.Post) (int, error) {
	if len(posts) == 0 {
		return 0, nil
	}
	sorted := make([]*post.Post, len(posts))
	for i := range posts {
		sorted[i] = &posts[i]
	}
	slices.SortFunc(sorted, func(a, b *post.Post) int {
		if c := strings.Compare(a.Platform, b.Platform); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	n := len(sorted)
	platforms, ids, langs, handles := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	texts, searches, datas := make([]string, n), make([]string, n), make([]string, n)
	created := make([]int64, n)
	for i, p := range sorted {
		data, err := json.Marshal(p)
		if err != nil {
			return 0, fmt.Errorf("store: insert post %s/%q: encode: %w", p.Platform, p.ID, err)
		}
		platforms[i], ids[i], created[i] = storable(p.Platform), storable(p.ID), store.UnixNano(p.CreatedAt)
		langs[i], handles[i], texts[i] = storable(p.Lang), storable(p.Author.Handle), storable(p.Text)
		searches[i], datas[i] = tsvector(p.Text), string(data)
	}
	var err error
	for attempt := 1; ; attempt++ {
		var tag pgconn.CommandTag
		tag, err = s.pool.Exec(ctx, insertPostsSQL, platforms, ids, created, langs, handles, texts, searches, datas)
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
	return 0, fmt.Errorf("store: insert %d posts from %s/%q: %w", n, sorted[0].Platform, sorted[0].ID, mapError(err))
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

// SearchPosts returns the posts matching q, newest first.
func (s *Store) SearchPosts(ctx context.Context, q store.PostQuery) ([]post.Post, error) {
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
			return []post.Post{}, nil
		}
		where = append(where, `search @@ `+arg(tsquery(terms))+`::tsquery`)
	}
	if !isStorable(q.Platform) || !isStorable(q.Lang) {
		// No valid post has a NUL or invalid UTF-8 in these fields, and PostgreSQL would refuse the
		// parameter, so the answer is known: nothing.
		return []post.Post{}, nil
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
	query := `SELECT data FROM posts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY created_at DESC, platform, id LIMIT ` + arg(store.SearchLimit(q.Limit))

	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search posts: %w", mapError(err))
	}
	defer rows.Close()
	posts := []post.Post{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("store: search posts: %w", mapError(err))
		}
		var p post.Post
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("store: search posts: decode stored post: %w", err)
		}
		posts = append(posts, p)
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
