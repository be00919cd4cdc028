package sqlite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestSearchBlocks checks the block walk of SearchPosts against ordering every match (searchAll), on
// posts that arrive mostly in time order but with stragglers, old imports and equal times, in blocks
// of four posts so that there are many.
func TestSearchBlocks(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "blocks.db"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	s.blockShift = 2

	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"storing", "datalek", "pakket", "trein", "zeldzaam"}
	platforms := []string{"x", "bluesky", "mastodon"}
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var all []post.Post
	for batch := range 60 {
		var posts []post.Post
		for i := range 1 + rng.IntN(9) {
			minute := batch*5 + rng.IntN(5) // mostly in time order
			switch r := rng.IntN(50); {
			case r == 0:
				minute = rng.IntN(300) // a post from any time, the future included
			case r <= 5:
				minute = rng.IntN(batch*5 + 1) // a late arrival, or an old post imported now
			case r <= 10:
				minute = batch * 5 // many at the same time, ordered by platform and id
			}
			text := words[rng.IntN(4)] + " " + words[rng.IntN(4)]
			if rng.IntN(40) == 0 {
				text += " zeldzaam"
			}
			posts = append(posts, post.Post{
				ID: fmt.Sprintf("b%02d-%d", batch, i), Platform: platforms[rng.IntN(len(platforms))],
				CreatedAt: base.Add(time.Duration(minute) * time.Minute), Text: text,
			})
		}
		fresh := len(posts)
		if batch%7 == 6 {
			// Posts already stored come again, so not every post of the batch gets a row and the
			// batch's bounds go to the blocks it touched.
			posts = append(posts, all[rng.IntN(len(all))], all[rng.IntN(len(all))])
		}
		if _, err := s.InsertPosts(t.Context(), posts); err != nil {
			t.Fatalf("InsertPosts: %v", err)
		}
		all = append(all, posts[:fresh]...)
	}

	viaBlocks := 0
	total := 0
	for _, word := range words {
		for _, limit := range []int{1, 2, 5, 20, 1000} {
			for _, platform := range []string{"", "x"} {
				for _, window := range [][2]int{{0, 0}, {100, 200}, {250, 0}} {
					q := store.PostQuery{Text: word, Platform: platform, Limit: limit}
					if window[0] > 0 {
						q.Since = base.Add(time.Duration(window[0]) * time.Minute)
					}
					if window[1] > 0 {
						q.Until = base.Add(time.Duration(window[1]) * time.Minute)
					}
					got, err := s.SearchPosts(t.Context(), q)
					if err != nil {
						t.Fatalf("SearchPosts(%+v): %v", q, err)
					}
					want := oracle(t, s, q)
					if !slices.Equal(ids(got), want) {
						t.Errorf("SearchPosts(%+v) = %v, want %v", q, ids(got), want)
					}
					if usedBlocks(t, s, q) {
						viaBlocks++
					}
					total++
				}
			}
		}
	}
	// How often the walk answers depends on the data; TestSearchBlocksInOrder checks that it does
	// when it should. Here it must only never be wrong, and answer some.
	if viaBlocks == 0 {
		t.Errorf("the block walk answered none of %d searches", total)
	}
	t.Logf("the block walk answered %d of %d searches", viaBlocks, total)
}

func ids(posts []post.Post) []string {
	out := []string{}
	for _, p := range posts {
		out = append(out, p.Platform+"/"+p.ID)
	}
	return out
}

// oracle answers q by ordering every match.
func oracle(t *testing.T, s *Store, q store.PostQuery) []string {
	t.Helper()
	filters, args := []string{}, []any{}
	if q.Platform != "" {
		filters, args = append(filters, `platform = ?`), append(args, q.Platform)
	}
	if !q.Since.IsZero() {
		filters, args = append(filters, `created_at >= ?`), append(args, store.UnixNano(q.Since))
	}
	if !q.Until.IsZero() {
		filters, args = append(filters, `created_at < ?`), append(args, store.UnixNano(q.Until))
	}
	tx, err := s.read.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	seqs, err := searchAll(t.Context(), tx, ftsMatch(store.ParseSearch(q.Text)), filters, args, store.SearchLimit(q.Limit))
	if err != nil {
		t.Fatalf("searchAll: %v", err)
	}
	posts, err := postsBySeq(t.Context(), tx, seqs)
	if err != nil {
		t.Fatalf("postsBySeq: %v", err)
	}
	plain := make([]post.Post, len(posts))
	for i := range posts {
		plain[i] = posts[i].Post
	}
	return ids(plain)
}

func usedBlocks(t *testing.T, s *Store, q store.PostQuery) bool {
	t.Helper()
	filters, args := []string{}, []any{}
	if q.Platform != "" {
		filters, args = append(filters, `platform = ?`), append(args, q.Platform)
	}
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.Since.IsZero() {
		since = store.UnixNano(q.Since)
		filters, args = append(filters, `created_at >= ?`), append(args, since)
	}
	if !q.Until.IsZero() {
		until = store.UnixNano(q.Until)
		filters, args = append(filters, `created_at < ?`), append(args, until)
	}
	tx, err := s.read.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, found, err := s.searchBlocks(t.Context(), tx, ftsMatch(store.ParseSearch(q.Text)), filters, args, since, until, store.SearchLimit(q.Limit))
	if err != nil {
		t.Fatalf("searchBlocks: %v", err)
	}
	return found
}

// TestSearchBlocksTies has posts with one and the same time spread over several blocks, inserted so
// that the later blocks hold the keys that sort first: the walk must not stop at a block whose
// newest post is as new as the oldest kept.
func TestSearchBlocksTies(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "ties.db"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	s.blockShift = 2
	at := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var want []string
	for i := 15; i >= 0; i-- {
		p := post.Post{ID: fmt.Sprintf("p%02d", i), Platform: "x", CreatedAt: at, Text: "storing"}
		if _, err := s.InsertPosts(t.Context(), []post.Post{p}); err != nil {
			t.Fatalf("InsertPosts: %v", err)
		}
		want = append([]string{"x/" + p.ID}, want...)
	}
	for _, limit := range []int{1, 3, 4, 5, 9, 16} {
		got, err := s.SearchPosts(t.Context(), store.PostQuery{Text: "storing", Limit: limit})
		if err != nil {
			t.Fatalf("SearchPosts: %v", err)
		}
		if !slices.Equal(ids(got), want[:limit]) {
			t.Errorf("SearchPosts(limit %d) = %v, want %v", limit, ids(got), want[:limit])
		}
	}
}

// TestSearchBlocksInOrder checks that posts stored in time order are found by the block walk alone,
// which is the case it exists for.
func TestSearchBlocksInOrder(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "order.db"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	s.blockShift = 2
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for batch := range 10 {
		var posts []post.Post
		for i := range 4 {
			n := batch*4 + i
			posts = append(posts, post.Post{ID: fmt.Sprintf("p%02d", n), Platform: "x",
				CreatedAt: base.Add(time.Duration(n) * time.Minute), Text: "storing"})
		}
		if _, err := s.InsertPosts(t.Context(), posts); err != nil {
			t.Fatalf("InsertPosts: %v", err)
		}
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{1, []string{"x/p39"}},
		{4, []string{"x/p39", "x/p38", "x/p37", "x/p36"}},
		{6, []string{"x/p39", "x/p38", "x/p37", "x/p36", "x/p35", "x/p34"}},
		{9, []string{"x/p39", "x/p38", "x/p37", "x/p36", "x/p35", "x/p34", "x/p33", "x/p32", "x/p31"}},
	}
	for _, tt := range tests {
		q := store.PostQuery{Text: "storing", Limit: tt.limit}
		got, err := s.SearchPosts(t.Context(), q)
		if err != nil {
			t.Fatalf("SearchPosts: %v", err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("SearchPosts(limit %d) = %v, want %v", tt.limit, ids(got), tt.want)
		}
		if !usedBlocks(t, s, q) {
			t.Errorf("SearchPosts(limit %d) was not answered by the block walk", tt.limit)
		}
	}
	// Post pN has seq N+1, so the newest block holds p39 alone, the next p35 to p38, and so on: ten
	// posts need four blocks, one more than the walk tries. It must give up and leave the answer to
	// ordering all matches.
	if usedBlocks(t, s, store.PostQuery{Text: "storing", Limit: 10}) {
		t.Errorf("a search needing more than %d blocks was answered by the block walk", blockProbes)
	}
}
