// Package storetest is the test suite every store.Store implementation must pass. The sqlite and
// postgres packages run it from their tests, so both behave the same to the rest of crisisdesk.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Run runs the whole suite. open must return a new, empty store for each call; Run closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"InsertIdempotent", testInsertIdempotent},
		{"RoundTrip", testRoundTrip},
		{"Search", testSearch},
		{"SearchLimit", testSearchLimit},
		{"HostileQueries", testHostileQueries},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"ConcurrentInsert", testConcurrentInsert},
		{"Monitors", testMonitors},
		{"StoredPosts", testStoredPosts},
		{"Settings", testSettings},
		{"Cursors", testCursors},
	}
	tests = append(tests, outboxCases()...)
	tests = append(tests, planCases()...)
	tests = append(tests, planBaseCases()...)
	tests = append(tests, incidentCases()...)
	tests = append(tests, stakeholderCases()...)
	tests = append(tests, situationCases()...)
	tests = append(tests, sourceCases()...)
	tests = append(tests, sourceBatchCases()...)
	tests = append(tests, alertCases()...)
	tests = append(tests, busAlertCases()...)
	tests = append(tests, statementCases()...)
	tests = append(tests, publishAccountCases()...)
	tests = append(tests, statementTimelineCases()...)
	tests = append(tests, escalationPolicyCases()...)
	tests = append(tests, engagementCases()...)
	tests = append(tests, postLookupCases()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			if err := s.Ping(t.Context()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			tt.fn(t, s)
		})
	}
}

var base = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func mustInsert(t *testing.T, s store.Store, posts []post.Post) int {
	t.Helper()
	n, err := s.InsertPosts(t.Context(), posts)
	if err != nil {
		t.Fatalf("InsertPosts(%d posts): %v", len(posts), err)
	}
	return n
}

func mustCount(t *testing.T, s store.Store) int64 {
	t.Helper()
	n, err := s.CountPosts(t.Context())
	if err != nil {
		t.Fatalf("CountPosts: %v", err)
	}
	return n
}

func keys(posts []post.Post) []string {
	ks := make([]string, len(posts))
	for i, p := range posts {
		ks[i] = p.Platform + "/" + p.ID
	}
	return ks
}

func testInsertIdempotent(t *testing.T, s store.Store) {
	posts := GeneratePosts(50, 1, base)
	more := GeneratePosts(20, 2, base)
	sameIDOtherPlatform := posts[0]
	sameIDOtherPlatform.Platform = "other"
	dup := posts[1]
	dup.Text = "a different text under the same key is still the same post"

	steps := []struct {
		name      string
		batch     []post.Post
		wantNew   int
		wantTotal int64
	}{
		{"empty batch", nil, 0, 0},
		{"first batch", posts, 50, 50},
		{"same batch again", posts, 0, 50},
		{"half old, half new", append(slices.Clone(posts[:10]), more[:10]...), 10, 60},
		{"duplicates inside one batch", []post.Post{more[10], more[10], dup, more[11]}, 2, 62},
		{"same id on another platform", []post.Post{sameIDOtherPlatform}, 1, 63},
	}
	for _, st := range steps {
		if got := mustInsert(t, s, st.batch); got != st.wantNew {
			t.Errorf("%s: InsertPosts = %d new, want %d", st.name, got, st.wantNew)
		}
		if got := mustCount(t, s); got != st.wantTotal {
			t.Errorf("%s: CountPosts = %d, want %d", st.name, got, st.wantTotal)
		}
	}
	// The first version of a post stays; a later duplicate does not overwrite it.
	got, err := s.SearchPosts(t.Context(), store.PostQuery{Limit: 1000})
	if err != nil {
		t.Fatalf("SearchPosts: %v", err)
	}
	for _, p := range got {
		if p.Platform == dup.Platform && p.ID == dup.ID && p.Text != posts[1].Text {
			t.Errorf("duplicate overwrote the stored post: text %q", p.Text)
		}
	}
	if ks := keys(got); len(ks) != len(slices.Compact(slices.Sorted(slices.Values(ks)))) {
		t.Errorf("SearchPosts returned duplicates: %v", ks)
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	authorCreated := time.Date(2019, 3, 4, 5, 6, 7, 891011121, time.UTC)
	posts := []post.Post{
		{
			ID: "at://did:plc:abc/app.bsky.feed.post/3k", Platform: "bluesky",
			Text:      "Alles <b>kapot</b> & \"niks\" werkt 😡\nnieuwe regel\tcafé ĳs",
			CreatedAt: base.Add(123456789 * time.Nanosecond),
			Lang:      "nl", URL: "https://bsky.app/profile/anna/post/3k",
			ReplyTo: "at://did:plc:xyz/app.bsky.feed.post/1", RepostOf: "at://r", QuoteOf: "at://q",
			Author: post.Author{
				ID: "did:plc:abc", Handle: "anna.bsky.social", Name: "Anna de Vries", Followers: 1234,
				Following: 200, CreatedAt: &authorCreated, Verified: true, Kind: "press",
			},
			Metrics: post.Metrics{Likes: 3, Reposts: 1, Replies: 2, Quotes: 4, Views: 1 << 40},
		},
		{
			// Only the required fields: every optional one must come back empty, not defaulted.
			ID: "minimal", Platform: "rss", Text: "", CreatedAt: base.Add(-time.Hour),
		},
		{
			ID: "ünïcode id with spaces", Platform: "x", Text: strings.Repeat("lang ", 2000),
			CreatedAt: time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
			Author:    post.Author{Handle: "@Ünïcode", Kind: "unknown"},
		},
	}
	if n := mustInsert(t, s, posts); n != len(posts) {
		t.Fatalf("InsertPosts = %d, want %d", n, len(posts))
	}
	got, err := s.SearchPosts(t.Context(), store.PostQuery{})
	if err != nil {
		t.Fatalf("SearchPosts: %v", err)
	}
	if len(got) != len(posts) {
		t.Fatalf("SearchPosts returned %d posts, want %d", len(got), len(posts))
	}
	for i, want := range posts {
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("post %d did not round-trip:\n got %#v\nwant %#v", i, got[i], want)
		}
	}
	if got[0].Author.CreatedAt == nil || !got[0].Author.CreatedAt.Equal(authorCreated) {
		t.Errorf("Author.CreatedAt = %v, want %v", got[0].Author.CreatedAt, authorCreated)
	}
	if got[1].Author.CreatedAt != nil {
		t.Errorf("unset Author.CreatedAt came back as %v", got[1].Author.CreatedAt)
	}
}

// searchCorpus has one post per behaviour the search tests look at. Ids sort in the order the posts
// are created, to keep expectations readable.
func searchCorpus() []post.Post {
	at := func(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }
	mk := func(id, platform, lang string, minutes int, text string) post.Post {
		return post.Post{ID: id, Platform: platform, Lang: lang, CreatedAt: at(minutes), Text: text}
	}
	return []post.Post{
		mk("p01", "bluesky", "nl", 1, "Grote storing bij de bank, internetbankieren werkt niet"),
		mk("p02", "mastodon", "nl", 2, "Weer een STORING. Schandalig!"),
		mk("p03", "x", "nl", 3, "Mogelijk datalek: mijn gegevens liggen op straat"),
		mk("p04", "x", "en", 4, "Data breach? My data was leaked by the bank"),
		mk("p05", "bluesky", "en", 5, "The Café on Main Street served me cold coffee"),
		mk("p06", "rss", "fr", 6, "Le cafe est fermé à cause d'une panne"),
		mk("p07", "bluesky", "nl", 7, "De reünie van de coöperatie is verplaatst"),
		mk("p08", "x", "en", 8, "the bank data leak is a breach of trust"),
		// p09 to p11 share one created_at, so platform then id decide their order.
		mk("p09", "x", "en", 9, "same minute outage report"),
		mk("p10", "bluesky", "en", 9, "same minute outage report"),
		mk("p11", "bluesky", "en", 9, "same minute outage again"),
		mk("p12", "mastodon", "en", 12, "e-mail from support: we're looking into it (AND more)"),
	}
}

func testSearch(t *testing.T, s store.Store) {
	corpus := searchCorpus()
	mustInsert(t, s, corpus)
	at := func(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }
	tests := []struct {
		name string
		q    store.PostQuery
		want []string // ids, in the expected order
	}{
		{"everything, newest first, ties by platform then id", store.PostQuery{},
			[]string{"p12", "p10", "p11", "p09", "p08", "p07", "p06", "p05", "p04", "p03", "p02", "p01"}},
		{"one word", store.PostQuery{Text: "storing"}, []string{"p02", "p01"}},
		{"case folded", store.PostQuery{Text: "STORING"}, []string{"p02", "p01"}},
		{"words are ANDed", store.PostQuery{Text: "bank data"}, []string{"p08", "p04"}},
		{"word order does not matter", store.PostQuery{Text: "data bank"}, []string{"p08", "p04"}},
		{"phrase", store.PostQuery{Text: `"data leak"`}, []string{"p08"}},
		{"phrase needs adjacency", store.PostQuery{Text: `"bank leak"`}, nil},
		{"phrase and word", store.PostQuery{Text: `"data was" bank`}, []string{"p04"}},
		{"prefix", store.PostQuery{Text: "data*"}, []string{"p08", "p04", "p03"}},
		{"prefix is not a word", store.PostQuery{Text: "data"}, []string{"p08", "p04"}},
		{"prefix phrase", store.PostQuery{Text: `"same minute out"*`}, []string{"p10", "p11", "p09"}},
		{"diacritics in the post, not the query", store.PostQuery{Text: "cafe"}, []string{"p06", "p05"}},
		{"diacritics in the query, not the post", store.PostQuery{Text: "café"}, []string{"p06", "p05"}},
		{"diacritics on both sides", store.PostQuery{Text: "reunie cooperatie"}, []string{"p07"}},
		{"diacritics in a prefix", store.PostQuery{Text: "coöp*"}, []string{"p07"}},
		{"word with punctuation becomes a phrase", store.PostQuery{Text: "e-mail"}, []string{"p12"}},
		{"apostrophe", store.PostQuery{Text: "we're"}, []string{"p12"}},
		{"operator words are plain words", store.PostQuery{Text: "AND more"}, []string{"p12"}},
		{"no match", store.PostQuery{Text: "zonnepanelen"}, nil},
		{"platform", store.PostQuery{Platform: "x"}, []string{"p09", "p08", "p04", "p03"}},
		{"platform and text", store.PostQuery{Platform: "x", Text: "bank"}, []string{"p08", "p04"}},
		{"lang", store.PostQuery{Lang: "nl"}, []string{"p07", "p03", "p02", "p01"}},
		{"lang and platform", store.PostQuery{Lang: "nl", Platform: "bluesky"}, []string{"p07", "p01"}},
		{"since is inclusive", store.PostQuery{Since: at(9)}, []string{"p12", "p10", "p11", "p09"}},
		{"until is exclusive", store.PostQuery{Until: at(3)}, []string{"p02", "p01"}},
		{"since and until", store.PostQuery{Since: at(4), Until: at(6)}, []string{"p05", "p04"}},
		{"since a nanosecond later", store.PostQuery{Since: at(9).Add(time.Nanosecond), Until: at(12)}, nil},
		{"limit keeps the newest", store.PostQuery{Limit: 3}, []string{"p12", "p10", "p11"}},
		{"limit with text", store.PostQuery{Text: "bank", Limit: 1}, []string{"p08"}},
		{"everything at once", store.PostQuery{Text: "outage", Platform: "bluesky", Lang: "en", Since: at(9), Until: at(10), Limit: 1},
			[]string{"p10"}},
		{"unknown platform", store.PostQuery{Platform: "myspace"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchPosts(t.Context(), tt.q)
			if err != nil {
				t.Fatalf("SearchPosts(%+v): %v", tt.q, err)
			}
			ids := make([]string, len(got))
			for i, p := range got {
				ids[i] = p.ID
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("SearchPosts(%+v) = %v, want %v", tt.q, ids, tt.want)
			}
		})
	}
}

func testSearchLimit(t *testing.T, s store.Store) {
	posts := GeneratePosts(store.MaxSearchLimit+50, 3, base)
	mustInsert(t, s, posts)
	tests := []struct {
		limit, want int
	}{
		{0, store.DefaultSearchLimit},
		{-5, store.DefaultSearchLimit},
		{1, 1},
		{store.MaxSearchLimit, store.MaxSearchLimit},
		{store.MaxSearchLimit + 1, store.MaxSearchLimit},
		{1 << 30, store.MaxSearchLimit},
	}
	for _, tt := range tests {
		got, err := s.SearchPosts(t.Context(), store.PostQuery{Limit: tt.limit})
		if err != nil {
			t.Fatalf("SearchPosts(Limit: %d): %v", tt.limit, err)
		}
		if len(got) != tt.want {
			t.Errorf("SearchPosts(Limit: %d) returned %d posts, want %d", tt.limit, len(got), tt.want)
		}
		for i := 1; i < len(got); i++ {
			if got[i].CreatedAt.After(got[i-1].CreatedAt) {
				t.Fatalf("SearchPosts(Limit: %d): post %d is newer than post %d", tt.limit, i, i-1)
			}
		}
	}
}

func testHostileQueries(t *testing.T, s store.Store) {
	mustInsert(t, s, searchCorpus())
	tests := []struct {
		text string
		want []string // nil: any result is fine, as long as there is no error
	}{
		{`AND (`, nil},
		{`"`, []string{}},
		{`""`, []string{}},
		{`"storing`, []string{"p02", "p01"}},
		{`storing"`, []string{"p02", "p01"}},
		{`*`, []string{}},
		{`**storing**`, nil},
		{`storing*"*`, nil},
		{`(storing OR bank)`, nil},
		{`NEAR(storing bank, 3)`, nil},
		{`text:storing`, []string{}},
		{`-storing`, []string{"p02", "p01"}},
		{`^storing`, []string{"p02", "p01"}},
		{`storing NOT`, []string{}},
		{`'; DROP TABLE posts; --`, nil},
		{`\" \\ \'`, []string{}},
		{`%_%`, []string{}},
		{`{}[]:;,.!?@#$&|~`, []string{}},
		{"😡🔥", []string{}},
		{"nul\x00byte", nil},
		{"invalid \xff\xfe utf-8", nil},
		{strings.Repeat("bank ", 5000), []string{"p08", "p04", "p01"}},
		{strings.Repeat(`"a" `, 500), nil},
		{`"` + strings.Repeat("same minute ", 3000) + `"`, []string{}},
		{strings.Repeat("outage* ", 200), []string{"p10", "p11", "p09"}},
		{strings.Repeat("(", 1000), []string{}},
		{strings.Repeat("x", 100000), []string{}},
		{"\t\n\r ", nil},
	}
	for _, tt := range tests {
		name := tt.text
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			got, err := s.SearchPosts(t.Context(), store.PostQuery{Text: tt.text})
			if err != nil {
				t.Fatalf("SearchPosts(%q) failed: %v", name, err)
			}
			if tt.want == nil {
				return
			}
			ids := []string{}
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("SearchPosts(%q) = %v, want %v", name, ids, tt.want)
			}
		})
	}
	// Hostile filter values find nothing; they must not fail either.
	filters := []store.PostQuery{
		{Platform: "x\x00"},
		{Platform: "\xff"},
		{Lang: "nl' OR '1'='1"},
		{Lang: "\x00"},
		{Platform: strings.Repeat("x", 100000)},
	}
	for _, q := range filters {
		got, err := s.SearchPosts(t.Context(), q)
		if err != nil {
			t.Errorf("SearchPosts(%+q) failed: %v", q.Platform+q.Lang, err)
		} else if len(got) != 0 {
			t.Errorf("SearchPosts(%+q) = %v, want nothing", q.Platform+q.Lang, keys(got))
		}
	}
	// Stored text that looks like FTS syntax is indexed like any other text.
	mustInsert(t, s, []post.Post{{ID: "syntax", Platform: "web", CreatedAt: base, Text: `"NEAR(a b)" AND text:* ^col OR (x`}})
	got, err := s.SearchPosts(t.Context(), store.PostQuery{Text: "near col"})
	if err != nil {
		t.Fatalf("SearchPosts: %v", err)
	}
	if !slices.Equal(keys(got), []string{"web/syntax"}) {
		t.Errorf("SearchPosts(near col) = %v, want [web/syntax]", keys(got))
	}
}

func testUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	anna := store.User{Email: "Anna@Example.org", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
		Role: "admin", Lang: "nl", CreatedAt: base}
	bob := store.User{Email: "bob@example.org", PasswordHash: "x", Role: "viewer", Lang: "en", CreatedAt: base.Add(time.Minute)}
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on an empty store = %d, %v; want 0, nil", n, err)
	}
	for _, u := range []*store.User{&anna, &bob} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s): %v", u.Email, err)
		}
		if u.ID == 0 {
			t.Fatalf("CreateUser(%s) did not set ID", u.Email)
		}
	}
	if anna.ID == bob.ID {
		t.Fatalf("two users got ID %d", anna.ID)
	}

	dupes := []string{"Anna@Example.org", "anna@example.org", "ANNA@EXAMPLE.ORG"}
	for _, email := range dupes {
		u := store.User{Email: email, PasswordHash: "y", Role: "viewer", Lang: "en", CreatedAt: base}
		if err := s.CreateUser(ctx, &u); !errors.Is(err, store.ErrAlreadyExists) {
			t.Errorf("CreateUser(%s) after Anna@Example.org = %v, want ErrAlreadyExists", email, err)
		}
	}

	lookups := []struct {
		name string
		get  func() (store.User, error)
		want *store.User // nil: ErrNotFound
	}{
		{"by id", func() (store.User, error) { return s.UserByID(ctx, anna.ID) }, &anna},
		{"by email as stored", func() (store.User, error) { return s.UserByEmail(ctx, "Anna@Example.org") }, &anna},
		{"by email in other case", func() (store.User, error) { return s.UserByEmail(ctx, "aNNA@eXAMPLE.ORG") }, &anna},
		{"by missing id", func() (store.User, error) { return s.UserByID(ctx, anna.ID+bob.ID+1000) }, nil},
		{"by missing email", func() (store.User, error) { return s.UserByEmail(ctx, "carol@example.org") }, nil},
	}
	for _, l := range lookups {
		got, err := l.get()
		switch {
		case l.want == nil && !errors.Is(err, store.ErrNotFound):
			t.Errorf("%s: err = %v, want ErrNotFound", l.name, err)
		case l.want != nil && err != nil:
			t.Errorf("%s: %v", l.name, err)
		case l.want != nil && !reflect.DeepEqual(got, *l.want):
			t.Errorf("%s = %+v, want %+v", l.name, got, *l.want)
		}
	}

	all, err := s.Users(ctx)
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	if !reflect.DeepEqual(all, []store.User{anna, bob}) {
		t.Errorf("Users = %+v, want Anna then Bob", all)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("CountUsers = %d, %v; want 2, nil", n, err)
	}

	changed := bob
	changed.PasswordHash, changed.Role, changed.Lang, changed.Disabled = "new", "responder", "nl", true
	changed.Email = "ignored@example.org" // UpdateUser does not change the email
	if err := s.UpdateUser(ctx, changed); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	got, err := s.UserByID(ctx, bob.ID)
	if err != nil {
		t.Fatalf("UserByID after UpdateUser: %v", err)
	}
	want := changed
	want.Email = bob.Email
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after UpdateUser = %+v, want %+v", got, want)
	}
	if err := s.UpdateUser(ctx, store.User{ID: anna.ID + bob.ID + 1000, Role: "viewer"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateUser of a missing user = %v, want ErrNotFound", err)
	}
}

func createUser(t *testing.T, s store.Store, email string) store.User {
	t.Helper()
	u := store.User{Email: email, PasswordHash: "h", Role: "responder", Lang: "en", CreatedAt: base}
	if err := s.CreateUser(t.Context(), &u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func hash(s string) []byte {
	h := make([]byte, 32)
	copy(h, s)
	return h
}

func testSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := createUser(t, s, "anna@example.org")
	sessions := []store.Session{
		{Hash: hash("expired long ago"), UserID: u.ID, CSRF: "c1", CreatedAt: base.Add(-48 * time.Hour), ExpiresAt: base.Add(-24 * time.Hour)},
		{Hash: hash("expired just now"), UserID: u.ID, CSRF: "c2", CreatedAt: base.Add(-time.Hour), ExpiresAt: base.Add(-time.Nanosecond)},
		{Hash: hash("expires exactly at the cut"), UserID: u.ID, CSRF: "c3", CreatedAt: base.Add(-time.Hour), ExpiresAt: base},
		{Hash: hash("valid"), UserID: u.ID, CSRF: "c4", CreatedAt: base, ExpiresAt: base.Add(24 * time.Hour)},
	}
	for _, sess := range sessions {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("CreateSession(%q): %v", sess.Hash, err)
		}
	}
	if err := s.CreateSession(ctx, sessions[3]); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("CreateSession with a hash in use = %v, want ErrAlreadyExists", err)
	}
	for _, want := range sessions {
		got, err := s.SessionByHash(ctx, want.Hash)
		if err != nil {
			t.Fatalf("SessionByHash(%q): %v", want.Hash, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SessionByHash = %+v, want %+v", got, want)
		}
	}
	if _, err := s.SessionByHash(ctx, hash("never created")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SessionByHash of a missing session = %v, want ErrNotFound", err)
	}

	n, err := s.DeleteSessionsBefore(ctx, base)
	if err != nil {
		t.Fatalf("DeleteSessionsBefore: %v", err)
	}
	if n != 2 {
		t.Errorf("DeleteSessionsBefore deleted %d, want 2", n)
	}
	for i, sess := range sessions {
		_, err := s.SessionByHash(ctx, sess.Hash)
		gone := errors.Is(err, store.ErrNotFound)
		if wantGone := i < 2; gone != wantGone {
			t.Errorf("session %d: gone = %v (err %v), want %v", i, gone, err, wantGone)
		}
	}
	if n, err := s.DeleteSessionsBefore(ctx, base); err != nil || n != 0 {
		t.Errorf("DeleteSessionsBefore again = %d, %v; want 0, nil", n, err)
	}

	for range 2 { // deleting twice is not an error
		if err := s.DeleteSession(ctx, sessions[3].Hash); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
	}
	if _, err := s.SessionByHash(ctx, sessions[3].Hash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SessionByHash after DeleteSession = %v, want ErrNotFound", err)
	}
}

func testAPITokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	anna := createUser(t, s, "anna@example.org")
	bob := createUser(t, s, "bob@example.org")
	tokens := []*store.APIToken{
		{UserID: anna.ID, Name: "import script", Hash: hash("t1"), CreatedAt: base},
		{UserID: anna.ID, Name: "dashboard", Hash: hash("t2"), CreatedAt: base.Add(time.Hour)},
		{UserID: bob.ID, Name: "bob's", Hash: hash("t3"), CreatedAt: base.Add(2 * time.Hour)},
	}
	for _, tok := range tokens {
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatalf("CreateAPIToken(%s): %v", tok.Name, err)
		}
		if tok.ID == 0 {
			t.Fatalf("CreateAPIToken(%s) did not set ID", tok.Name)
		}
	}
	dup := store.APIToken{UserID: bob.ID, Name: "copy", Hash: hash("t1"), CreatedAt: base}
	if err := s.CreateAPIToken(ctx, &dup); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("CreateAPIToken with a hash in use = %v, want ErrAlreadyExists", err)
	}

	got, err := s.APITokenByHash(ctx, hash("t1"))
	if err != nil {
		t.Fatalf("APITokenByHash: %v", err)
	}
	if !reflect.DeepEqual(got, *tokens[0]) {
		t.Errorf("APITokenByHash = %+v, want %+v", got, *tokens[0])
	}
	if !got.LastUsed.IsZero() {
		t.Errorf("a new token has LastUsed %v, want zero", got.LastUsed)
	}
	if _, err := s.APITokenByHash(ctx, hash("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("APITokenByHash of a missing token = %v, want ErrNotFound", err)
	}

	used := base.Add(90*time.Minute + 7*time.Nanosecond)
	if err := s.TouchAPIToken(ctx, tokens[0].ID, used); err != nil {
		t.Fatalf("TouchAPIToken: %v", err)
	}
	got, err = s.APITokenByHash(ctx, hash("t1"))
	if err != nil {
		t.Fatalf("APITokenByHash after touch: %v", err)
	}
	if !got.LastUsed.Equal(used) {
		t.Errorf("LastUsed = %v, want %v", got.LastUsed, used)
	}
	if err := s.TouchAPIToken(ctx, tokens[2].ID+1000, used); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TouchAPIToken of a missing token = %v, want ErrNotFound", err)
	}

	byUser := []struct {
		user int64
		want []string
	}{
		{anna.ID, []string{"dashboard", "import script"}},
		{bob.ID, []string{"bob's"}},
		{bob.ID + anna.ID + 1000, []string{}},
	}
	for _, bu := range byUser {
		list, err := s.APITokensByUser(ctx, bu.user)
		if err != nil {
			t.Fatalf("APITokensByUser(%d): %v", bu.user, err)
		}
		names := []string{}
		for _, tok := range list {
			names = append(names, tok.Name)
		}
		if !slices.Equal(names, bu.want) {
			t.Errorf("APITokensByUser(%d) = %v, want %v", bu.user, names, bu.want)
		}
	}

	deletes := []struct {
		name     string
		user, id int64
		wantErr  error
	}{
		{"another user's token", bob.ID, tokens[0].ID, store.ErrNotFound},
		{"own token", anna.ID, tokens[0].ID, nil},
		{"already deleted", anna.ID, tokens[0].ID, store.ErrNotFound},
	}
	for _, d := range deletes {
		if err := s.DeleteAPIToken(ctx, d.user, d.id); !errors.Is(err, d.wantErr) {
			t.Errorf("DeleteAPIToken %s = %v, want %v", d.name, err, d.wantErr)
		}
	}
	if _, err := s.APITokenByHash(ctx, hash("t1")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("APITokenByHash of a revoked token = %v, want ErrNotFound", err)
	}
}

// testConcurrentInsert has writers insert overlapping batches at once, as several ingest workers
// would: every post must be stored once and counted as new exactly once.
func testConcurrentInsert(t *testing.T, s store.Store) {
	const writers, perWriter, batch = 6, 600, 150
	all := GeneratePosts(writers*perWriter/2, 4, base)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	var wg sync.WaitGroup
	counts := make([]int, writers)
	errs := make([]error, writers)
	for w := range writers {
		// Writer w takes a window of perWriter posts starting half a window after writer w-1, wrapping
		// around, so each post is offered by two writers.
		mine := make([]post.Post, 0, perWriter)
		for i := range perWriter {
			mine = append(mine, all[(w*perWriter/2+i)%len(all)])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := 0; start < len(mine); start += batch {
				n, err := s.InsertPosts(ctx, mine[start:min(start+batch, len(mine))])
				if err != nil {
					errs[w] = fmt.Errorf("writer %d: %w", w, err)
					cancel()
					return
				}
				counts[w] += n
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != len(all) {
		t.Errorf("writers counted %d new posts in all, want %d", total, len(all))
	}
	if got := mustCount(t, s); got != int64(len(all)) {
		t.Errorf("CountPosts = %d, want %d", got, len(all))
	}
	got, err := s.SearchPosts(t.Context(), store.PostQuery{Limit: store.MaxSearchLimit})
	if err != nil {
		t.Fatalf("SearchPosts: %v", err)
	}
	ks := keys(got)
	slices.Sort(ks)
	if len(slices.Compact(ks)) != len(got) {
		t.Errorf("SearchPosts returned duplicate posts")
	}
	// The text index must hold each post once too.
	word, err := s.SearchPosts(t.Context(), store.PostQuery{Text: "storing", Limit: store.MaxSearchLimit})
	if err != nil {
		t.Fatalf("SearchPosts(storing): %v", err)
	}
	want := 0
	for _, p := range all {
		if slices.Contains(store.SearchTokens(p.Text), "storing") {
			want++
		}
	}
	if len(word) != min(want, store.MaxSearchLimit) {
		t.Errorf("SearchPosts(storing) found %d posts, want %d", len(word), want)
	}
}
