package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// TestTwoStoresOneFile opens the same file twice, as serve and a CLI import do, and has both write
// at once: posts, users and sessions. No write may fail with SQLITE_BUSY, and nothing may be lost.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	ctx := t.Context()
	// Both open (and so migrate) at the same time too.
	var stores [2]*sqlite.Store
	var openErrs [2]error
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], openErrs[i] = sqlite.Open(ctx, path, nil) })
	}
	wg.Wait()
	if err := errors.Join(openErrs[:]...); err != nil {
		t.Fatalf("Open: %v", err)
	}
	for _, s := range stores {
		t.Cleanup(func() { s.Close() })
	}

	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	posts := storetest.GeneratePosts(6000, 7, start)
	const batch = 500
	var inserted [2]int
	errs := make(chan error, 8)
	for i, s := range stores {
		// Store 0 imports the first two thirds, store 1 the last two thirds: the middle third overlaps.
		mine := posts[i*len(posts)/3 : (i+2)*len(posts)/3]
		wg.Go(func() {
			for off := 0; off < len(mine); off += batch {
				n, err := s.InsertPosts(ctx, mine[off:min(off+batch, len(mine))])
				if err != nil {
					errs <- fmt.Errorf("store %d: %w", i, err)
					return
				}
				inserted[i] += n
			}
		})
		wg.Go(func() {
			for j := range 50 {
				u := store.User{Email: fmt.Sprintf("user%d-%d@example.org", i, j), PasswordHash: "h", Role: "viewer", Lang: "nl", CreatedAt: start}
				if err := s.CreateUser(ctx, &u); err != nil {
					errs <- fmt.Errorf("store %d: %w", i, err)
					return
				}
				sess := store.Session{Hash: []byte(u.Email), UserID: u.ID, CSRF: "c", CreatedAt: start, ExpiresAt: start.Add(time.Hour)}
				if err := s.CreateSession(ctx, sess); err != nil {
					errs <- fmt.Errorf("store %d: %w", i, err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				if _, err := s.SearchPosts(ctx, store.PostQuery{Text: "storing", Limit: 10}); err != nil {
					errs <- fmt.Errorf("store %d: search while writing: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	if got := inserted[0] + inserted[1]; got != len(posts) {
		t.Errorf("the two stores counted %d new posts, want %d", got, len(posts))
	}
	for i, s := range stores {
		n, err := s.CountPosts(ctx)
		if err != nil {
			t.Fatalf("store %d: CountPosts: %v", i, err)
		}
		if n != int64(len(posts)) {
			t.Errorf("store %d: CountPosts = %d, want %d", i, n, len(posts))
		}
		users, err := s.CountUsers(ctx)
		if err != nil {
			t.Fatalf("store %d: CountUsers: %v", i, err)
		}
		if users != 100 {
			t.Errorf("store %d: CountUsers = %d, want 100", i, users)
		}
	}
}

// TestReopen checks that migrations run once: a second Open of a migrated file changes nothing and
// finds the data.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reopen.db")
	ctx := context.Background()
	posts := storetest.GeneratePosts(100, 8, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for round, wantNew := range []int{100, 0, 0} {
		s, err := sqlite.Open(ctx, path, nil)
		if err != nil {
			t.Fatalf("round %d: Open: %v", round, err)
		}
		n, err := s.InsertPosts(ctx, posts)
		if err != nil {
			t.Fatalf("round %d: InsertPosts: %v", round, err)
		}
		if n != wantNew {
			t.Errorf("round %d: InsertPosts = %d new, want %d", round, n, wantNew)
		}
		found, err := s.SearchPosts(ctx, store.PostQuery{Text: posts[0].Text[:20] + "*", Limit: 1000})
		if err != nil {
			t.Fatalf("round %d: SearchPosts: %v", round, err)
		}
		if len(found) == 0 {
			t.Errorf("round %d: the text of a stored post finds nothing", round)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("round %d: Close: %v", round, err)
		}
	}
}
