package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// insertChunk is how many posts one INSERT statement carries. One statement per post spends most of
// its time in the per-statement round trip through database/sql and the driver; a hundred rows of
// twelve parameters each stay far below SQLite's limit on bound parameters.
const insertChunk = 100

// insertPostsSQL returns an INSERT of n posts that skips the ones already stored.
func insertPostsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO posts (platform, id, created_at, lang, author_handle, text, data, sentiment, complaint, categories, analysis, monitors) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(?,?,?,?,?,?,?,?,?,?,?,?)`)
	}
	b.WriteString(` ON CONFLICT (platform, id) DO NOTHING`)
	return b.String()
}

// InsertPosts stores posts without analysis in one transaction and returns how many were new.
func (s *Store) InsertPosts(ctx context.Context, posts []post.Post) (int, error) {
	stored := make([]store.StoredPost, len(posts))
	for i := range posts {
		stored[i].Post = posts[i]
	}
	return s.InsertStoredPosts(ctx, stored)
}

// InsertStoredPosts stores posts with their analysis and monitor ids in one transaction and returns
// how many were new.
//
// posts_fts is an external-content index: it does not hold the text, so code that ever deletes or
// changes posts must first remove them from it with the 'delete' command and the text as indexed.
//
// The full-text index is filled once per batch, by a statement that indexes every row added after the
// highest seq seen at the start. That is exact because the transaction holds the write lock from BEGIN
// (IMMEDIATE), so the new rows are all ours, and rowids only grow; and it is cheaper than an
// AFTER INSERT trigger, which runs per row.
func (s *Store) InsertStoredPosts(ctx context.Context, posts []store.StoredPost) (int, error) {
	if len(posts) == 0 {
		return 0, nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: insert posts: begin: %w", mapError(err))
	}
	defer tx.Rollback()

	var before int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM posts`).Scan(&before); err != nil {
		return 0, fmt.Errorf("store: insert posts: %w", mapError(err))
	}

	var full *sql.Stmt
	if len(posts) >= insertChunk {
		full, err = tx.PrepareContext(ctx, insertPostsSQL(insertChunk))
		if err != nil {
			return 0, fmt.Errorf("store: insert posts: prepare: %w", mapError(err))
		}
		defer full.Close()
	}
	args := make([]any, 0, 12*insertChunk)
	inserted := 0
	matched := false
	for start := 0; start < len(posts); start += insertChunk {
		chunk := posts[start:min(start+insertChunk, len(posts))]
		args = args[:0]
		for i := range chunk {
			sp := &chunk[i]
			p := &sp.Post
			data, err := encodePost(p)
			if err != nil {
				return 0, fmt.Errorf("store: insert post %s/%q: encode: %w", p.Platform, p.ID, err)
			}
			analysis, monitors, err := encodeAnalysis(sp)
			if err != nil {
				return 0, fmt.Errorf("store: insert post %s/%q: encode analysis: %w", p.Platform, p.ID, err)
			}
			matched = matched || monitors != nil
			// data goes in as text, not as a blob: SQLite's JSON functions read a blob as its binary
			// JSONB format, so a blob would make json_extract(data, ...) fail.
			args = append(args, p.Platform, p.ID, store.UnixNano(p.CreatedAt), p.Lang, p.Author.Handle, p.Text, string(data),
				sp.Analysis.Sentiment, sp.Analysis.Complaint, store.CategoryBits(sp.Analysis.Categories), analysis, monitors)
		}
		var res sql.Result
		if len(chunk) == insertChunk {
			res, err = full.ExecContext(ctx, args...)
		} else {
			res, err = tx.ExecContext(ctx, insertPostsSQL(len(chunk)), args...)
		}
		if err != nil {
			return 0, fmt.Errorf("store: insert posts %s/%q and %d more: %w", chunk[0].Post.Platform, chunk[0].Post.ID, len(chunk)-1, mapError(err))
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store: insert posts: %w", mapError(err))
		}
		inserted += int(n)
	}
	if inserted > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO posts_fts (rowid, text) SELECT seq, text FROM posts WHERE seq > ?`, before); err != nil {
			return 0, fmt.Errorf("store: insert posts: index text: %w", mapError(err))
		}
		if matched {
			// Only the new rows' matches are recorded, so a duplicate keeps its first monitors, as it
			// keeps its first analysis.
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO post_monitors (monitor_id, created_at, seq)
				SELECT j.value, p.created_at, p.seq FROM posts p, json_each(p.monitors) j
				WHERE p.seq > ? AND p.monitors IS NOT NULL`, before); err != nil {
				return 0, fmt.Errorf("store: insert posts: monitor matches: %w", mapError(err))
			}
		}
		if err := s.widenBlocks(ctx, tx, before, posts); err != nil {
			return 0, fmt.Errorf("store: insert posts: block bounds: %w", mapError(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: insert posts: commit: %w", mapError(err))
	}
	return inserted, nil
}

// blockShift groups posts into blocks of 1<<blockShift consecutive seq values for post_blocks. The
// migration that creates the table uses the same number.
const blockShift = 12

// blockProbes is how many blocks a text search tries, newest first, before it gives up on finding
// its answer there and orders all matches instead. Posts in time order need one or two; a word too
// rare to fill the limit from a few blocks is cheap to order whole. When posts arrive in no time
// order at all, every probe is wasted: eight probes made such searches half again as slow, three
// make them a quarter slower.
const blockProbes = 3

// widenBlocks makes the post_blocks bounds of the rows added after seq before cover their times.
// When every post was new, post i got seq before+1+i (rows go in in order, each with the next rowid),
// so each block gets the bounds of its own posts. Otherwise it is not known which post went where,
// and every block touched gets the bounds of the whole batch: a post skipped as a duplicate can only
// make them wider, and wider bounds cost a search some speed, never a result. Reading the times back
// from the new rows instead cost a tenth of the insert time.
func (s *Store) widenBlocks(ctx context.Context, tx *sql.Tx, before int64, posts []store.StoredPost) error {
	var after int64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq) FROM posts`).Scan(&after); err != nil {
		return err
	}
	first := (before + 1) >> s.blockShift
	type bounds struct{ lo, hi int64 }
	blocks := make([]bounds, after>>s.blockShift-first+1)
	for i := range blocks {
		blocks[i] = bounds{math.MaxInt64, math.MinInt64}
	}
	exact := after-before == int64(len(posts))
	for i := range posts {
		t := store.UnixNano(posts[i].Post.CreatedAt)
		if exact {
			b := &blocks[(before+1+int64(i))>>s.blockShift-first]
			b.lo, b.hi = min(b.lo, t), max(b.hi, t)
			continue
		}
		for j := range blocks {
			blocks[j].lo, blocks[j].hi = min(blocks[j].lo, t), max(blocks[j].hi, t)
		}
	}
	for i, b := range blocks {
		_, err := tx.ExecContext(ctx, `INSERT INTO post_blocks (block, min_created_at, max_created_at) VALUES (?, ?, ?)
			ON CONFLICT (block) DO UPDATE SET
				min_created_at = min(min_created_at, excluded.min_created_at),
				max_created_at = max(max_created_at, excluded.max_created_at)`, first+int64(i), b.lo, b.hi)
		if err != nil {
			return err
		}
	}
	return nil
}

// candidate is the sort key of a matching post.
type candidate struct {
	seq, createdAt int64
	platform, id   string
}

// newerFirst orders candidates as SearchPosts returns posts: created_at descending, then platform
// and id in byte order, as SQLite's BINARY collation compares them.
func newerFirst(a, b candidate) int {
	switch {
	case a.createdAt != b.createdAt:
		return cmp.Compare(b.createdAt, a.createdAt)
	case a.platform != b.platform:
		return strings.Compare(a.platform, b.platform)
	}
	return strings.Compare(a.id, b.id)
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

// SearchStoredPosts returns the posts matching q with their analysis, newest first. It reads in one
// transaction, so it sees one snapshot even while another connection writes.
func (s *Store) SearchStoredPosts(ctx context.Context, q store.PostQuery) ([]store.StoredPost, error) {
	var match string
	if strings.TrimSpace(q.Text) != "" {
		match = ftsMatch(store.ParseSearch(q.Text))
		if match == "" {
			// The text has no word in it (only punctuation, say), so no post can match it.
			return []store.StoredPost{}, nil
		}
	}
	if q.Category != "" && store.CategoryBit(q.Category) == 0 {
		// No stored post has a category outside the fixed set.
		return []store.StoredPost{}, nil
	}
	// With a text to match, the full-text index is the way in and the other conditions are checked
	// on the rows it finds: the unary + keeps SQLite from walking the (platform, id) index instead,
	// which it picked for a platform filter and which took 150 to 430 ms at a million posts.
	col := func(name string) string {
		if match != "" {
			return "+" + name
		}
		return name
	}
	var filters []string
	var filterArgs []any
	if q.Platform != "" {
		filters = append(filters, col("platform")+` = ?`)
		filterArgs = append(filterArgs, q.Platform)
	}
	if q.Lang != "" {
		filters = append(filters, col("lang")+` = ?`)
		filterArgs = append(filterArgs, q.Lang)
	}
	if q.Sentiment != "" {
		filters = append(filters, col("sentiment")+` = ?`)
		filterArgs = append(filterArgs, q.Sentiment)
	}
	if q.Complaint {
		filters = append(filters, col("complaint")+` = 1`)
	}
	if q.Category != "" {
		filters = append(filters, col("categories")+` & ? != 0`)
		filterArgs = append(filterArgs, store.CategoryBit(q.Category))
	}
	if q.Monitor != "" {
		filters = append(filters, `seq IN (SELECT seq FROM post_monitors WHERE monitor_id = ?)`)
		filterArgs = append(filterArgs, q.Monitor)
	}
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.Since.IsZero() {
		since = store.UnixNano(q.Since)
		filters = append(filters, col("created_at")+` >= ?`)
		filterArgs = append(filterArgs, since)
	}
	if !q.Until.IsZero() {
		until = store.UnixNano(q.Until)
		filters = append(filters, col("created_at")+` < ?`)
		filterArgs = append(filterArgs, until)
	}
	limit := store.SearchLimit(q.Limit)

	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: search posts: %w", mapError(err))
	}
	defer tx.Rollback()

	var seqs []int64
	found := false
	if match != "" {
		seqs, found, err = s.searchBlocks(ctx, tx, match, filters, filterArgs, since, until, limit)
		if err != nil {
			return nil, fmt.Errorf("store: search posts: %w", err)
		}
	}
	if !found {
		seqs, err = searchAll(ctx, tx, match, filters, filterArgs, limit)
		if err != nil {
			return nil, fmt.Errorf("store: search posts: %w", err)
		}
	}
	posts, err := postsBySeq(ctx, tx, seqs)
	if err != nil {
		return nil, fmt.Errorf("store: search posts: %w", err)
	}
	return posts, nil
}

// searchAll orders every post that matches by key alone and returns the seq of the first limit.
// Only those few have their text and JSON read afterwards: in one query SQLite carries every match's
// text and JSON through the sort, which at a million posts made a common word take 780 ms, not 320.
func searchAll(ctx context.Context, tx *sql.Tx, match string, filters []string, filterArgs []any, limit int) ([]int64, error) {
	where := filters
	args := slices.Clone(filterArgs)
	if match != "" {
		where = append([]string{`seq IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)`}, filters...)
		args = append([]any{match}, filterArgs...)
	}
	query := `SELECT seq FROM posts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY created_at DESC, platform, id LIMIT ?`
	args = append(args, limit)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, mapError(err)
		}
		seqs = append(seqs, seq)
	}
	return seqs, mapError(rows.Err())
}

// searchBlocks looks for the answer in the few blocks with the newest posts (see post_blocks). It
// reports found when the answer is certain: limit matches, and no block left that could hold a
// newer one; or every block in the time range searched.
func (s *Store) searchBlocks(ctx context.Context, tx *sql.Tx, match string, filters []string, filterArgs []any, since, until int64, limit int) ([]int64, bool, error) {
	type block struct{ num, max int64 }
	rows, err := tx.QueryContext(ctx, `SELECT block, max_created_at FROM post_blocks
		WHERE max_created_at >= ? AND min_created_at < ? ORDER BY max_created_at DESC LIMIT ?`, since, until, blockProbes+1)
	if err != nil {
		return nil, false, mapError(err)
	}
	var blocks []block
	for rows.Next() {
		var b block
		if err := rows.Scan(&b.num, &b.max); err != nil {
			rows.Close()
			return nil, false, mapError(err)
		}
		blocks = append(blocks, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, mapError(err)
	}

	query := `SELECT seq, created_at, platform, id FROM posts
		WHERE seq IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?)`
	for _, f := range filters {
		query += ` AND ` + f
	}
	var found []candidate
	for i, b := range blocks {
		if i == blockProbes {
			break
		}
		first, end := b.num<<s.blockShift, (b.num+1)<<s.blockShift
		args := append([]any{match, first, end}, filterArgs...)
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, false, mapError(err)
		}
		for rows.Next() {
			var c candidate
			if err := rows.Scan(&c.seq, &c.createdAt, &c.platform, &c.id); err != nil {
				rows.Close()
				return nil, false, mapError(err)
			}
			found = append(found, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, mapError(err)
		}
		slices.SortFunc(found, newerFirst)
		found = found[:min(len(found), limit)]

		last := i == len(blocks)-1
		// Blocks come newest maximum first, so when the next one's newest post is older than the
		// oldest kept, so is every post in every block after it. Equal is not enough: a post with the
		// same time may still come first by platform and id.
		full := len(found) == limit && (last || blocks[i+1].max < found[limit-1].createdAt)
		if full || last {
			seqs := make([]int64, len(found))
			for j, c := range found {
				seqs[j] = c.seq
			}
			return seqs, true, nil
		}
	}
	return nil, false, nil
}

// postsBySeq reads the posts with the given seq, in that order.
func postsBySeq(ctx context.Context, tx *sql.Tx, seqs []int64) ([]store.StoredPost, error) {
	posts := make([]store.StoredPost, len(seqs))
	if len(seqs) == 0 {
		return posts, nil
	}
	at := make(map[int64]int, len(seqs))
	args := make([]any, len(seqs))
	for i, seq := range seqs {
		at[seq] = i
		args[i] = seq
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, text, data, analysis, monitors FROM posts WHERE seq IN (?`+strings.Repeat(`,?`, len(seqs)-1)+`)`, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	read := 0
	for rows.Next() {
		var seq int64
		var text string
		var data, analysis, monitors []byte
		if err := rows.Scan(&seq, &text, &data, &analysis, &monitors); err != nil {
			return nil, mapError(err)
		}
		p, err := decodePost(text, data)
		if err != nil {
			return nil, err
		}
		sp := &posts[at[seq]]
		sp.Post = p
		if err := decodeAnalysis(sp, analysis, monitors); err != nil {
			return nil, err
		}
		read++
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	if read != len(seqs) {
		return nil, fmt.Errorf("read %d of %d posts found", read, len(seqs))
	}
	return posts, nil
}

// encodePost is the JSON kept in posts.data: the whole post except its text, which the text column
// already holds (the full-text index reads it there). Keeping it once makes the table a fifth smaller
// and the insert faster.
func encodePost(p *post.Post) ([]byte, error) {
	c := *p
	c.Text = ""
	return appendPostJSON(make([]byte, 0, 384), &c)
}

// decodePost is the inverse of encodePost.
func decodePost(text string, data []byte) (post.Post, error) {
	var p post.Post
	if err := json.Unmarshal(data, &p); err != nil {
		return post.Post{}, fmt.Errorf("decode stored post: %w", err)
	}
	p.Text = text
	return p, nil
}

// encodeAnalysis returns the analysis and monitors columns of sp: JSON, or nil (NULL) for a post
// without analysis or without matches.
func encodeAnalysis(sp *store.StoredPost) (analysis, monitors any, err error) {
	if sp.Analysis.Analysed() {
		b, err := appendAnalysisJSON(make([]byte, 0, 256), &sp.Analysis)
		if err != nil {
			return nil, nil, err
		}
		analysis = string(b)
	}
	if len(sp.Monitors) > 0 {
		monitors = string(appendJSONStrings(nil, sp.Monitors))
	}
	return analysis, monitors, nil
}

// decodeAnalysis is the inverse of encodeAnalysis.
func decodeAnalysis(sp *store.StoredPost, analysis, monitors []byte) error {
	if analysis != nil {
		if err := json.Unmarshal(analysis, &sp.Analysis); err != nil {
			return fmt.Errorf("decode stored analysis: %w", err)
		}
	}
	if monitors != nil {
		if err := json.Unmarshal(monitors, &sp.Monitors); err != nil {
			return fmt.Errorf("decode stored monitor ids: %w", err)
		}
	}
	return nil
}

// ftsMatch writes terms as an FTS5 query. Every term is a quoted string, so no user input can be read
// as FTS5 syntax (AND, NEAR, parentheses, column filters); tokens hold only letters, digits and marks,
// so they never contain a quote. Terms side by side are ANDed.
func ftsMatch(terms []store.SearchTerm) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(t.Tokens, " "))
		b.WriteByte('"')
		if t.Prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// CountPosts returns how many posts are stored.
func (s *Store) CountPosts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM posts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count posts: %w", mapError(err))
	}
	return n, nil
}
