package storetest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func situationCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Situation", testSituation},
		{"SituationLimits", testSituationLimits},
		{"SituationRefuses", testSituationRefuses},
	}
}

// situationPost is a matched post for the situation tests, at base plus minutes.
func situationPost(id, platform, handle string, followers int64, minutes int, sentiment, lang, text string,
	m post.Metrics, monitors ...string) store.StoredPost {
	return store.StoredPost{
		Post: post.Post{ID: id, Platform: platform, Text: text, CreatedAt: base.Add(time.Duration(minutes) * time.Minute),
			Lang: "de", URL: "https://example.org/" + id,
			Author: post.Author{ID: handle, Handle: handle, Name: strings.ToUpper(handle), Followers: followers}, Metrics: m},
		Analysis: store.Analysis{Lang: lang, LangConfidence: 0.9, Sentiment: sentiment},
		Monitors: monitors,
	}
}

// seedSituation stores the posts of the situation tests. Within base to base+4h and for monitors m1
// and m2 there are four: p1 and p2 by ann (100 then 150 followers), p3 by bob (1000), p7 by cas (0).
func seedSituation(t *testing.T, s store.Store) {
	t.Helper()
	posts := []store.StoredPost{
		situationPost("p1", "bluesky", "ann", 100, 10, "negative", "nl", "Is het lek waar?", post.Metrics{Likes: 5}, "m1"),
		situationPost("p2", "bluesky", "ann", 150, 70, "negative", "nl", "Waarom geen antwoord?", post.Metrics{Reposts: 20}, "m1", "m2"),
		situationPost("p3", "bluesky", "bob", 1000, 130, "positive", "en", "Thanks for the update", post.Metrics{Likes: 1}, "m2"),
		situationPost("p4", "x", "dan", 5000, 20, "negative", "en", "Other monitor?", post.Metrics{Likes: 99}, "m3"),
		situationPost("p5", "bluesky", "eve", 10, -10, "negative", "en", "Before the window?", post.Metrics{}, "m1"),
		situationPost("p6", "bluesky", "eve", 10, 240, "negative", "en", "At the end of the window?", post.Metrics{}, "m1"),
		// No language from the analysis: the platform's (de) counts.
		situationPost("p7", "mastodon", "cas", 0, 200, "neutral", "", "Wann kommt es wieder？", post.Metrics{}, "m1"),
	}
	if _, err := s.InsertStoredPosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
}

func situationQuery() store.SituationQuery {
	return store.SituationQuery{Monitors: []string{"m1", "m2"}, Since: base, Until: base.Add(4 * time.Hour),
		Step: time.Hour, Cuts: []time.Time{base.Add(time.Hour), base.Add(2 * time.Hour)}}
}

func postIDs(sps []store.StoredPost) []string {
	var ids []string
	for _, sp := range sps {
		ids = append(ids, sp.Post.ID)
	}
	return ids
}

func testSituation(t *testing.T, s store.Store) {
	seedSituation(t, s)
	got, err := s.Situation(t.Context(), situationQuery())
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.PostCounts{Posts: 4, Negative: 2, Positive: 1}); got.PostCounts != want {
		t.Errorf("counts %+v, want %+v", got.PostCounts, want)
	}
	if got.Authors != 3 || got.Reach != 1150 {
		t.Errorf("authors %d reach %d, want 3 and 1150 (ann counted once, at 150)", got.Authors, got.Reach)
	}
	wantSeries := []store.ActivityBucket{
		{Start: base, Posts: 1, Negative: 1}, {Start: base.Add(time.Hour), Posts: 1, Negative: 1},
		{Start: base.Add(2 * time.Hour), Posts: 1}, {Start: base.Add(3 * time.Hour), Posts: 1},
	}
	if !reflect.DeepEqual(got.Series, wantSeries) {
		t.Errorf("series %+v, want %+v", got.Series, wantSeries)
	}
	wantSegments := []store.PostCounts{{Posts: 1, Negative: 1}, {Posts: 1, Negative: 1}, {Posts: 2, Positive: 1}}
	if !reflect.DeepEqual(got.Segments, wantSegments) {
		t.Errorf("segments %+v, want %+v", got.Segments, wantSegments)
	}
	if want := []store.KeyCount{{Key: "bluesky", Posts: 3}, {Key: "mastodon", Posts: 1}}; !reflect.DeepEqual(got.Platforms, want) {
		t.Errorf("platforms %+v, want %+v", got.Platforms, want)
	}
	if want := []store.KeyCount{{Key: "nl", Posts: 2}, {Key: "de", Posts: 1}, {Key: "en", Posts: 1}}; !reflect.DeepEqual(got.Langs, want) {
		t.Errorf("languages %+v, want %+v", got.Langs, want)
	}
	wantAuthors := []store.AuthorCount{
		{Platform: "bluesky", Handle: "ann", Name: "ANN", Posts: 2, Followers: 150},
		{Platform: "bluesky", Handle: "bob", Name: "BOB", Posts: 1, Followers: 1000},
		{Platform: "mastodon", Handle: "cas", Name: "CAS", Posts: 1, Followers: 0},
	}
	if !reflect.DeepEqual(got.TopAuthors, wantAuthors) {
		t.Errorf("top authors %+v, want %+v", got.TopAuthors, wantAuthors)
	}
	if ids, want := postIDs(got.TopPosts), []string{"p2", "p1", "p3", "p7"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("top posts %v, want %v (by likes, reposts, replies and quotes)", ids, want)
	}
	if len(got.TopPosts) > 0 {
		tp := got.TopPosts[0]
		if tp.Post.Text != "Waarom geen antwoord?" || tp.Post.URL != "https://example.org/p2" || tp.Post.Author.Name != "ANN" ||
			tp.Analysis.Sentiment != "negative" || !reflect.DeepEqual(tp.Monitors, []string{"m1", "m2"}) {
			t.Errorf("top post not read whole: %+v", tp)
		}
	}
	if ids, want := postIDs(got.Questions), []string{"p7", "p2", "p1"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("questions %v, want %v (newest first, full-width marks too)", ids, want)
	}

	// Fresher engagement counts reorder the top posts.
	if _, err := s.RaisePostMetrics(t.Context(), []store.MetricsUpdate{{Platform: "bluesky", ID: "p3", Metrics: post.Metrics{Likes: 100}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Situation(t.Context(), situationQuery()); err != nil {
		t.Fatal(err)
	} else if ids, want := postIDs(got.TopPosts), []string{"p3", "p2", "p1", "p7"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("top posts after p3 got 100 likes: %v, want %v", ids, want)
	}

	// A monitor alone; a window with no posts; no monitors at all.
	q := situationQuery()
	q.Monitors = []string{"m2"}
	if got, err := s.Situation(t.Context(), q); err != nil || got.Posts != 2 || got.Segments[1].Posts != 1 || got.Segments[2].Posts != 1 {
		t.Errorf("m2 alone: %+v, %v", got.PostCounts, err)
	}
	q = situationQuery()
	q.Since, q.Until = base.Add(10*time.Hour), base.Add(11*time.Hour)
	if got, err := s.Situation(t.Context(), q); err != nil || got.Posts != 0 || len(got.Segments) != 3 || got.TopPosts != nil {
		t.Errorf("empty window: %+v, %v", got, err)
	}
	q = situationQuery()
	q.Monitors = nil
	if got, err := s.Situation(t.Context(), q); err != nil || got.Posts != 0 || len(got.Segments) != 3 {
		t.Errorf("no monitors: %+v, %v", got, err)
	}
}

func testSituationLimits(t *testing.T, s store.Store) {
	seedSituation(t, s)
	q := situationQuery()
	q.Top, q.Questions = 2, 2
	got, err := s.Situation(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Platforms) != 2 || len(got.Langs) != 2 || len(got.TopAuthors) != 2 || len(got.TopPosts) != 2 {
		t.Errorf("top 2 gave %d platforms, %d languages, %d authors, %d posts", len(got.Platforms), len(got.Langs), len(got.TopAuthors), len(got.TopPosts))
	}
	if got.Authors != 3 || got.Reach != 1150 {
		t.Errorf("a limit changed the totals: authors %d reach %d", got.Authors, got.Reach)
	}
	if ids := postIDs(got.Questions); !reflect.DeepEqual(ids, []string{"p7", "p2"}) {
		t.Errorf("two questions: %v", ids)
	}
	if q.Top = 1000; q.TopN() != store.MaxSituationTop {
		t.Errorf("top %d not capped", q.TopN())
	}
	if q.Questions = 1 << 20; q.QuestionsN() != store.MaxSituationQuestions {
		t.Errorf("questions %d not capped", q.QuestionsN())
	}
}

func testSituationRefuses(t *testing.T, s store.Store) {
	for name, edit := range map[string]func(q *store.SituationQuery){
		"until before since": func(q *store.SituationQuery) { q.Until = q.Since.Add(-time.Hour) },
		"no step":            func(q *store.SituationQuery) { q.Step = 0 },
		"too many buckets":   func(q *store.SituationQuery) { q.Step = time.Second },
		"cuts out of order":  func(q *store.SituationQuery) { q.Cuts[0], q.Cuts[1] = q.Cuts[1], q.Cuts[0] },
		"too many monitors":  func(q *store.SituationQuery) { q.Monitors = make([]string, store.MaxSituationMonitors+1) },
	} {
		q := situationQuery()
		edit(&q)
		if _, err := s.Situation(t.Context(), q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// SeedSituationPosts stores the posts of the situation tests, for a store's own tests (such as one of
// a migration's backfill); SituationTestQuery is the query they are read with.
func SeedSituationPosts(t *testing.T, s store.Store) { seedSituation(t, s) }

// SituationTestQuery is the query of the situation tests.
func SituationTestQuery() store.SituationQuery { return situationQuery() }
