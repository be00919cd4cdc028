package storetest

import (
	"errors"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func sourceBatchCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ApplySources", testApplySources},
	}
}

// testApplySources: a batch is stored whole or not at all, an update keeps the stored credentials,
// and a delete forgets the cursor.
func testApplySources(t *testing.T, s store.Store) {
	ctx := t.Context()
	keep := store.Source{ID: "keep", Kind: store.SourceMastodon, Name: "Keep", Settings: `{"url":"https://m.example"}`,
		Credentials: "v1:sealed-token", Enabled: true, CreatedAt: base, UpdatedAt: base}
	gone := store.Source{ID: "gone", Kind: store.SourceRSS, Name: "Gone", Settings: `{"url":"https://g.example/rss"}`,
		CreatedAt: base, UpdatedAt: base}
	for _, src := range []store.Source{keep, gone} {
		if err := s.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetCursor(ctx, "gone", "c-42"); err != nil {
		t.Fatal(err)
	}
	later := base.Add(60e9)
	renamed := keep
	renamed.Name, renamed.Settings, renamed.Enabled, renamed.Credentials, renamed.UpdatedAt = "Kept", `{"url":"https://m2.example"}`, false, "", later
	fresh := store.Source{ID: "fresh", Kind: store.SourceRSS, Name: "Fresh", Settings: `{}`, CreatedAt: later, UpdatedAt: later}

	// A delete of an unknown id fails the whole batch: nothing of it is stored.
	err := s.ApplySources(ctx, store.SourceChanges{Create: []store.Source{fresh}, Update: []store.Source{renamed}, Delete: []string{"gone", "nobody"}})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ApplySources with an unknown delete = %v, want ErrNotFound", err)
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 {
		t.Fatalf("a failed batch left %d sources, want the 2 before it: %+v", len(srcs), srcs)
	}
	if got, err := s.SourceByID(ctx, "keep"); err != nil || got.Name != "Keep" || !got.Enabled {
		t.Errorf("a failed batch changed keep: %+v, %v", got, err)
	}
	if c, err := s.Cursor(ctx, "gone"); err != nil || c != "c-42" {
		t.Errorf("a failed batch touched gone's cursor: %q, %v", c, err)
	}
	// A create of a taken id fails it too.
	dup := gone
	if err := s.ApplySources(ctx, store.SourceChanges{Create: []store.Source{fresh, dup}}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("ApplySources with a taken id = %v, want ErrAlreadyExists", err)
	}
	if _, err := s.SourceByID(ctx, "fresh"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed batch created fresh: %v", err)
	}

	if err := s.ApplySources(ctx, store.SourceChanges{Create: []store.Source{fresh}, Update: []store.Source{renamed}, Delete: []string{"gone"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceByID(ctx, "keep")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Kept" || got.Enabled || got.Settings != renamed.Settings || !got.UpdatedAt.Equal(later) {
		t.Errorf("keep after the batch = %+v", got)
	}
	if got.Credentials != keep.Credentials {
		t.Errorf("an update in a batch changed the credentials to %q", got.Credentials)
	}
	if _, err := s.SourceByID(ctx, "fresh"); err != nil {
		t.Errorf("fresh after the batch: %v", err)
	}
	if _, err := s.SourceByID(ctx, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("gone after the batch: %v", err)
	}
	if c, err := s.Cursor(ctx, "gone"); err != nil || c != "" {
		t.Errorf("gone's cursor after the batch = %q, %v; want forgotten", c, err)
	}
	// An empty batch is no error.
	if err := s.ApplySources(ctx, store.SourceChanges{}); err != nil {
		t.Errorf("an empty batch = %v", err)
	}
}
