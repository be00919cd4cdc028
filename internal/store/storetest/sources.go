package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func sourceCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Sources", testSources},
		{"SourceDeleteForgetsCursor", testSourceDeleteForgetsCursor},
	}
}

func testSources(t *testing.T, s store.Store) {
	ctx := t.Context()
	rss := store.Source{
		ID: "nos", Kind: store.SourceRSS, Name: "NOS Nieuws",
		Settings:  `{"url":"https://feeds.nos.nl/nosnieuwsalgemeen","interval":"5m"}`,
		Enabled:   true,
		CreatedAt: base, UpdatedAt: base,
	}
	masto := store.Source{
		ID: "masto", Kind: store.SourceMastodon, Name: "Mastodon #storing",
		Settings:    `{"url":"https://mastodon.social","stream":"hashtag","hashtag":"storing"}`,
		Credentials: "v1:0a0b0c0d:c2VhbGVkIGJ5IHRoZSBjYWxsZXI",
		Enabled:     false,
		CreatedAt:   base.Add(1), UpdatedAt: base.Add(1),
	}
	for _, src := range []store.Source{rss, masto} {
		if err := s.CreateSource(ctx, src); err != nil {
			t.Fatalf("CreateSource(%q): %v", src.ID, err)
		}
	}
	if err := s.CreateSource(ctx, rss); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("second CreateSource(%q) = %v, want ErrAlreadyExists", rss.ID, err)
	}
	got, err := s.SourceByID(ctx, masto.ID)
	if err != nil || !reflect.DeepEqual(got, masto) {
		t.Errorf("SourceByID = %+v, %v; want %+v", got, err, masto)
	}
	all, err := s.Sources(ctx)
	if err != nil || !reflect.DeepEqual(all, []store.Source{masto, rss}) {
		t.Errorf("Sources = %+v, %v; want by name", all, err)
	}

	// An update changes what may change and nothing else, kind and created_at included.
	upd := masto
	upd.Kind, upd.CreatedAt = store.SourceX, base.Add(99)
	upd.Name, upd.Enabled, upd.Credentials, upd.UpdatedAt = "Mastodon public", true, "", base.Add(5)
	upd.Settings = `{"url":"https://mastodon.social","stream":"public"}`
	if err := s.UpdateSource(ctx, upd); err != nil {
		t.Fatalf("UpdateSource: %v", err)
	}
	want := upd
	want.Kind, want.CreatedAt = masto.Kind, masto.CreatedAt
	if got, err := s.SourceByID(ctx, masto.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after update = %+v, %v; want %+v", got, err, want)
	}

	for _, tt := range []struct {
		name string
		err  error
	}{
		{"SourceByID", func() error { _, err := s.SourceByID(ctx, "nope"); return err }()},
		{"UpdateSource", s.UpdateSource(ctx, store.Source{ID: "nope", Settings: "{}"})},
		{"DeleteSource", s.DeleteSource(ctx, "nope")},
		{"SourceByID hostile", func() error { _, err := s.SourceByID(ctx, "x'\x00; DROP TABLE sources"); return err }()},
	} {
		if !errors.Is(tt.err, store.ErrNotFound) {
			t.Errorf("%s of an unknown id = %v, want ErrNotFound", tt.name, tt.err)
		}
	}
	if err := s.DeleteSource(ctx, rss.ID); err != nil {
		t.Fatalf("DeleteSource: %v", err)
	}
	if all, err := s.Sources(ctx); err != nil || len(all) != 1 || all[0].ID != masto.ID {
		t.Errorf("Sources after delete = %+v, %v", all, err)
	}
}

func testSourceDeleteForgetsCursor(t *testing.T, s store.Store) {
	ctx := t.Context()
	src := store.Source{ID: "bsky", Kind: store.SourceBluesky, Name: "Bluesky", Settings: "{}", Enabled: true, CreatedAt: base, UpdatedAt: base}
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(ctx, src.ID, "1732000000000000"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(ctx, "other", "7"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Cursor(ctx, src.ID); err != nil || c != "" {
		t.Errorf("cursor after delete = %q, %v; want none", c, err)
	}
	if c, err := s.Cursor(ctx, "other"); err != nil || c != "7" {
		t.Errorf("another source's cursor = %q, %v; want kept", c, err)
	}
}
