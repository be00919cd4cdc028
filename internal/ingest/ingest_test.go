package ingest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/postgen"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func newAnalyzer(t testing.TB) *analyze.Analyzer {
	t.Helper()
	an, err := analyze.New()
	if err != nil {
		t.Fatalf("analyze.New: %v", err)
	}
	return an
}

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), ":memory:", nil)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mkPost(id, text string) post.Post {
	return post.Post{ID: id, Platform: "bluesky", Text: text, CreatedAt: t0, Author: post.Author{Handle: "anna", Kind: "person"}}
}

// batch has two posts about the bank, one of them a Dutch data-leak complaint, and one about nothing.
func batch() []post.Post {
	return []post.Post{
		mkPost("1", "Mijn gegevens liggen op straat door een datalek bij Acme Bank, schandalig! Ik wil compensatie."),
		mkPost("2", "Fijne middag bij Acme Bank gehad, top geholpen"),
		mkPost("3", "Het weer is vandaag prima voor een wandeling"),
	}
}

func TestIngestFilters(t *testing.T) {
	an := newAnalyzer(t)
	tests := []struct {
		name    string
		filter  Filter
		keepAll bool
		want    Result
		stored  []string
	}{
		{"by setting, keep off", FilterBySetting, false, Result{Received: 3, Stored: 2, Dropped: 1}, []string{"1", "2"}},
		{"by setting, keep on", FilterBySetting, true, Result{Received: 3, Stored: 3}, []string{"1", "2", "3"}},
		{"store all", StoreAll, false, Result{Received: 3, Stored: 3}, []string{"1", "2", "3"}},
		{"matched only ignores the setting", MatchedOnly, true, Result{Received: 3, Stored: 2, Dropped: 1}, []string{"1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			if err := st.SaveSettings(t.Context(), store.Settings{KeepAllPosts: tt.keepAll}); err != nil {
				t.Fatal(err)
			}
			reg := query.NewRegistry()
			if err := reg.Set("bank", `"acme bank"`); err != nil {
				t.Fatal(err)
			}
			promReg := prometheus.NewRegistry()
			in, err := New(Config{Filter: tt.filter, Registerer: promReg, Clock: clock.NewSim(t0)}, an, reg, st)
			if err != nil {
				t.Fatal(err)
			}
			got, err := in.Ingest(t.Context(), batch())
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			if got != tt.want {
				t.Errorf("Ingest = %+v, want %+v", got, tt.want)
			}
			again, err := in.Ingest(t.Context(), batch())
			if err != nil {
				t.Fatalf("Ingest again: %v", err)
			}
			if want := (Result{Received: 3, Duplicates: tt.want.Stored, Dropped: tt.want.Dropped}); again != want {
				t.Errorf("Ingest again = %+v, want %+v", again, want)
			}
			sps, err := st.SearchStoredPosts(t.Context(), store.PostQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, sp := range sps {
				ids = append(ids, sp.Post.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tt.stored) {
				t.Errorf("stored %v, want %v", ids, tt.stored)
			}
			counters := map[string]float64{
				"crisisdesk_ingest_received_total":          6,
				"crisisdesk_ingest_stored_total":            float64(tt.want.Stored),
				"crisisdesk_ingest_duplicates_total":        float64(tt.want.Stored),
				"crisisdesk_ingest_dropped_unmatched_total": float64(2 * tt.want.Dropped),
			}
			mfs, err := promReg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			stages := 0
			for _, mf := range mfs {
				if mf.GetName() == "crisisdesk_ingest_stage_seconds" {
					stages = len(mf.GetMetric())
				}
				if want, ok := counters[mf.GetName()]; ok {
					if got := mf.GetMetric()[0].GetCounter().GetValue(); got != want {
						t.Errorf("%s = %v, want %v", mf.GetName(), got, want)
					}
					delete(counters, mf.GetName())
				}
			}
			if len(counters) > 0 {
				t.Errorf("metrics not registered: %v", counters)
			}
			if stages != 2 {
				t.Errorf("stage histogram has %d series, want analyse_match and store", stages)
			}
		})
	}
}

// TestIngestStoresAnalysis checks that what is stored is what the Stage found, and that the posts can
// be found again by the analysis.
func TestIngestStoresAnalysis(t *testing.T) {
	an := newAnalyzer(t)
	st := openStore(t)
	reg := query.NewRegistry()
	if err := reg.Update(map[string]string{"bank": `"acme bank"`, "leak": "datalek OR category:data_breach"}, nil); err != nil {
		t.Fatal(err)
	}
	in, err := New(Config{Filter: StoreAll}, an, reg, st)
	if err != nil {
		t.Fatal(err)
	}
	posts := batch()
	if _, err := in.Ingest(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	stage := NewStage(an)
	for _, p := range posts {
		want := stage.Run(&p, reg.Matcher()).StoredPost(p)
		got, err := st.SearchStoredPosts(t.Context(), store.PostQuery{Text: "\"" + p.Text + "\""})
		if err != nil || len(got) != 1 {
			t.Fatalf("search post %s: %v, %d found", p.ID, err, len(got))
		}
		if !reflect.DeepEqual(got[0].Analysis, want.Analysis) || !slices.Equal(got[0].Monitors, want.Monitors) {
			t.Errorf("post %s stored as %+v %v, want %+v %v", p.ID, got[0].Analysis, got[0].Monitors, want.Analysis, want.Monitors)
		}
	}
	leaks, err := st.SearchStoredPosts(t.Context(), store.PostQuery{Monitor: "leak"})
	if err != nil {
		t.Fatal(err)
	}
	if len(leaks) != 1 || leaks[0].Post.ID != "1" || !slices.Contains(leaks[0].Analysis.Categories, "data_breach") {
		t.Errorf("posts of monitor leak = %+v, want post 1 with data_breach", leaks)
	}
}

// TestIngestParallel checks that a batch split over workers is analysed exactly as on one goroutine.
func TestIngestParallel(t *testing.T) {
	an := newAnalyzer(t)
	g := postgen.New(7, t0)
	posts := make([]post.Post, 3*minParallel+17)
	for i := range posts {
		posts[i] = g.Next()
	}
	reg := query.NewRegistry()
	if err := reg.Update(map[string]string{"a": "storing OR outage OR storingen", "b": "sentiment:negative", "c": "lang:en"}, nil); err != nil {
		t.Fatal(err)
	}
	var results [][]store.StoredPost
	for _, workers := range []int{1, 4} {
		in, err := New(Config{Workers: workers}, an, reg, openStore(t))
		if err != nil {
			t.Fatal(err)
		}
		out, err := in.analyse(t.Context(), posts)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, out)
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Error("4 workers analysed the batch differently from 1")
	}
	matched := 0
	for _, sp := range results[0] {
		if len(sp.Monitors) > 0 {
			matched++
		}
	}
	if matched == 0 || matched == len(posts) {
		t.Errorf("%d of %d generated posts matched; the test needs some of each", matched, len(posts))
	}
}

func TestIngestCancelled(t *testing.T) {
	st := openStore(t)
	in, err := New(Config{Filter: StoreAll}, newAnalyzer(t), query.NewRegistry(), st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := in.Ingest(ctx, batch()); !errors.Is(err, context.Canceled) {
		t.Errorf("Ingest on a cancelled context = %v, want context.Canceled", err)
	}
	if n, _ := st.CountPosts(t.Context()); n != 0 {
		t.Errorf("a cancelled batch stored %d posts", n)
	}
}

type recorder struct{ got [][]string }

func (r *recorder) Observe(_ context.Context, posts []store.StoredPost) error {
	var ids []string
	for _, sp := range posts {
		ids = append(ids, sp.Post.ID)
	}
	r.got = append(r.got, ids)
	return nil
}

// TestMonitorsFollowChanges changes monitors through the service while ingesting and checks that each
// batch is matched against the monitors as they are at that moment, and that the observer sees only
// matched posts.
func TestMonitorsFollowChanges(t *testing.T) {
	st := openStore(t)
	reg := query.NewRegistry()
	ms := NewMonitors(st, reg, clock.NewSim(t0), nil)
	obs := &recorder{}
	in, err := New(Config{Observer: obs}, newAnalyzer(t), reg, st)
	if err != nil {
		t.Fatal(err)
	}
	ingest := func(id, text string) Result {
		t.Helper()
		res, err := in.Ingest(t.Context(), []post.Post{mkPost(id, text)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := ingest("1", "storing bij Acme"); res.Dropped != 1 {
		t.Errorf("without monitors: %+v, want dropped", res)
	}
	if _, err := ms.Create(t.Context(), "Acme", "acme AND (", true, 1); err == nil {
		t.Fatal("Create with a bad query succeeded")
	} else if qe := (*query.Error)(nil); !errors.As(err, &qe) || qe.Col == 0 {
		t.Errorf("Create with a bad query = %v, want a *query.Error with a position", err)
	}
	if _, err := ms.Create(t.Context(), "  ", "acme", true, 1); !errors.Is(err, ErrNoName) {
		t.Errorf("Create without a name = %v, want ErrNoName", err)
	}
	m, err := ms.Create(t.Context(), "Acme", "acme", true, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res := ingest("2", "storing bij Acme"); res.Stored != 1 {
		t.Errorf("after Create: %+v, want stored", res)
	}
	if _, err := ms.Update(t.Context(), m.ID, "Acme", "acme", false); err != nil {
		t.Fatal(err)
	}
	if res := ingest("3", "storing bij Acme"); res.Dropped != 1 {
		t.Errorf("after disabling: %+v, want dropped", res)
	}
	if _, err := ms.Update(t.Context(), m.ID, "Acme storing", "acme storing", true); err != nil {
		t.Fatal(err)
	}
	// A restart: a fresh registry loaded from the store matches the same.
	fresh := query.NewRegistry()
	if n, err := NewMonitors(st, fresh, nil, nil).Load(t.Context()); err != nil || n != 1 {
		t.Fatalf("Load = %d, %v; want 1 monitor", n, err)
	}
	if got := fresh.Matcher().IDs(); !slices.Equal(got, []string{m.ID}) {
		t.Errorf("loaded monitors %v, want [%s]", got, m.ID)
	}
	if res := ingest("4", "storing bij Acme"); res.Stored != 1 {
		t.Errorf("after enabling: %+v, want stored", res)
	}
	if err := ms.Delete(t.Context(), m.ID); err != nil {
		t.Fatal(err)
	}
	if res := ingest("5", "storing bij Acme"); res.Dropped != 1 {
		t.Errorf("after Delete: %+v, want dropped", res)
	}
	if err := ms.Delete(t.Context(), m.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Delete twice = %v, want ErrNotFound", err)
	}
	if want := [][]string{{"2"}, {"4"}}; !reflect.DeepEqual(obs.got, want) {
		t.Errorf("observer saw %v, want %v", obs.got, want)
	}
}

// TestIngestWhileMonitorsChange ingests batches while monitors are created and deleted, as people do
// in the web app during a stream. Each batch must be matched against one consistent set of monitors:
// every stored post carries only ids that existed, and the run has no data race (go test -race).
func TestIngestWhileMonitorsChange(t *testing.T) {
	st := openStore(t)
	reg := query.NewRegistry()
	ms := NewMonitors(st, reg, clock.NewSim(t0), nil)
	in, err := New(Config{Workers: 2}, newAnalyzer(t), reg, st)
	if err != nil {
		t.Fatal(err)
	}
	created := map[string]bool{}
	done := make(chan struct{})
	var changeErr error
	go func() {
		defer close(done)
		for i := range 20 {
			m, err := ms.Create(t.Context(), "storing", "storing OR pinnen", true, 1)
			if err != nil {
				changeErr = err
				return
			}
			created[m.ID] = true
			if i%2 == 1 {
				if err := ms.Delete(t.Context(), m.ID); err != nil {
					changeErr = err
					return
				}
			}
		}
	}()
	g := postgen.New(3, t0)
	for range 20 {
		posts := make([]post.Post, 300)
		for i := range posts {
			posts[i] = g.Next()
		}
		if _, err := in.Ingest(t.Context(), posts); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	if changeErr != nil {
		t.Fatal(changeErr)
	}
	stored, err := st.SearchStoredPosts(t.Context(), store.PostQuery{Limit: store.MaxSearchLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 {
		t.Fatal("no post matched; the test needs some")
	}
	for _, sp := range stored {
		if len(sp.Monitors) == 0 {
			t.Fatalf("post %s stored without a monitor while keep_all_posts is off", sp.Post.ID)
		}
		for _, id := range sp.Monitors {
			if !created[id] {
				t.Errorf("post %s carries unknown monitor %q", sp.Post.ID, id)
			}
		}
	}
}
