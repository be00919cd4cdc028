package supervisor

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// TestApplyAllKeepsSourcesWithTokens: a list that omits a source holding a stored token is refused
// whole, naming the source, unless the caller explicitly allows deleting it.
func TestApplyAllKeepsSourcesWithTokens(t *testing.T) {
	e := newEnv(t)
	m, err := NewManager(e.st, e.box, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := SealCredentials(e.box, Credentials{Token: secret.New("masto-token")})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, src := range []store.Source{
		{ID: "masto", Kind: store.SourceMastodon, Name: "Mastodon", Credentials: tok, Settings: Settings{URL: "https://mastodon.example", Stream: StreamUser}.JSON(), CreatedAt: at, UpdatedAt: at},
		{ID: "old", Kind: store.SourceRSS, Name: "Old", Settings: Settings{URL: "https://old.example/rss"}.JSON(), CreatedAt: at, UpdatedAt: at},
	} {
		if err := e.st.CreateSource(t.Context(), src); err != nil {
			t.Fatal(err)
		}
	}
	specs := []Spec{{ID: "new", Kind: store.SourceRSS, Name: "New", Settings: Settings{URL: "https://new.example/rss"}}}

	for _, call := range []struct {
		name string
		run  func() error
	}{
		{"CheckAll", func() error { return m.CheckAll(t.Context(), specs, ApplyOptions{}) }},
		{"ApplyAll", func() error { _, err := m.ApplyAll(t.Context(), specs, ApplyOptions{}); return err }},
	} {
		err := call.run()
		var ce *CredentialsError
		if !errors.As(err, &ce) || ce.ID != "masto" || ce.Name != "Mastodon" {
			t.Fatalf("%s omitting a source with a token = %v, want a CredentialsError naming masto", call.name, err)
		}
	}
	srcs, err := e.st.Sources(t.Context())
	if err != nil || len(srcs) != 2 {
		t.Fatalf("a refused list changed the sources: %+v, %v", srcs, err)
	}

	// Keeping it in the list is the ordinary way: the source without a token is deleted.
	keep := append(slices.Clone(specs), Spec{ID: "masto", Kind: store.SourceMastodon, Name: "Mastodon", Settings: Settings{URL: "https://mastodon.example", Stream: StreamUser}})
	res, err := m.ApplyAll(t.Context(), keep, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Created, []string{"new"}) || !slices.Equal(res.Deleted, []string{"old"}) || !slices.Equal(res.Unchanged, []string{"masto"}) {
		t.Errorf("applied %+v", res)
	}
	// Explicitly allowed, it goes, token and all.
	res, err = m.ApplyAll(t.Context(), specs, ApplyOptions{DeleteWithCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Deleted, []string{"masto"}) {
		t.Errorf("applied with deletion allowed: %+v", res)
	}
	if _, err := e.st.SourceByID(t.Context(), "masto"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("masto after an allowed delete: %v", err)
	}
}

// sourcesOnly is a store without transactions over sources, such as a store that offers only
// store.Sources; failUpdate makes one update fail, as a lost connection would.
type sourcesOnly struct {
	plainSources
	failUpdate string
}

type plainSources = store.Sources

func (s sourcesOnly) UpdateSource(ctx context.Context, src store.Source) error {
	if src.ID == s.failUpdate {
		return errors.New("connection lost")
	}
	return s.plainSources.UpdateSource(ctx, src)
}

// staleList is a store whose list of sources still shows one that another process deleted a moment
// ago, so the manager's delete of it fails inside the transaction, after the other changes ran.
type staleList struct {
	*sqlite.Store
	gone store.Source
}

func (s staleList) Sources(ctx context.Context) ([]store.Source, error) {
	srcs, err := s.Store.Sources(ctx)
	return append(srcs, s.gone), err
}

// TestApplyAllTransaction: on a store with transactions a failure stores nothing; on one without, the
// error says exactly what was stored before it.
func TestApplyAllTransaction(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := e.st.CreateSource(t.Context(), store.Source{ID: "a", Kind: store.SourceRSS, Name: "A", Settings: Settings{URL: "https://a.example/rss"}.JSON(), CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	specs := []Spec{
		{ID: "a", Kind: store.SourceRSS, Name: "A renamed", Settings: Settings{URL: "https://a.example/rss"}},
		{ID: "b", Kind: store.SourceRSS, Name: "B", Settings: Settings{URL: "https://b.example/rss"}},
	}

	m, err := NewManager(sourcesOnly{plainSources: e.st, failUpdate: "a"}, e.box, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.ApplyAll(t.Context(), specs, ApplyOptions{})
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("ApplyAll failing midway without transactions = %v, want a PartialError", err)
	}
	if !slices.Equal(pe.Applied.Created, []string{"b"}) || len(pe.Applied.Updated) != 0 || len(pe.Applied.Deleted) != 0 {
		t.Errorf("PartialError says %+v, want only b created", pe.Applied)
	}
	if _, err := e.st.SourceByID(t.Context(), "b"); err != nil {
		t.Errorf("b, reported created: %v", err)
	}

	// A failure inside the store's transaction stores nothing: the delete of a source gone meanwhile
	// fails after the create and the update ran.
	if err := e.st.DeleteSource(t.Context(), "b"); err != nil {
		t.Fatal(err)
	}
	stale, err := NewManager(staleList{Store: e.st, gone: store.Source{ID: "c", Kind: store.SourceRSS, Name: "C", Settings: "{}"}}, e.box, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stale.ApplyAll(t.Context(), specs, ApplyOptions{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ApplyAll deleting a vanished source = %v, want ErrNotFound", err)
	}
	if a, err := e.st.SourceByID(t.Context(), "a"); err != nil || a.Name != "A" {
		t.Errorf("a after a failed transaction: %+v, %v", a, err)
	}
	if _, err := e.st.SourceByID(t.Context(), "b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("b after a failed transaction: %v", err)
	}
	tx, err := NewManager(e.st, e.box, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.ApplyAll(t.Context(), specs, ApplyOptions{})
	if err != nil || !slices.Equal(res.Created, []string{"b"}) || !slices.Equal(res.Updated, []string{"a"}) {
		t.Errorf("ApplyAll = %+v, %v", res, err)
	}
}
