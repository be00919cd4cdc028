package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func publishAccountCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PublishAccounts", testPublishAccounts},
	}
}

func testPublishAccounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	gemeente := store.PublishAccount{ID: "bsky-gemeente", Platform: "bluesky", Name: "Gemeente Bluesky",
		Handle: "gemeente.bsky.social", Service: "https://bsky.social", Credentials: "v1:0a0b0c0d:c2VhbGVkIGJ5IHRoZSBjYWxsZXI",
		Enabled: true, CreatedAt: base, UpdatedAt: base}
	alt := store.PublishAccount{ID: "bsky-alt", Platform: "bluesky", Name: "Afvaldienst", Handle: "did:plc:abc",
		Service: "https://pds.example.org", Credentials: "v1:0a0b0c0d:b3RoZXI", CreatedAt: base.Add(1), UpdatedAt: base.Add(1)}
	for _, a := range []store.PublishAccount{gemeente, alt} {
		if err := s.CreatePublishAccount(ctx, a); err != nil {
			t.Fatalf("CreatePublishAccount(%q): %v", a.ID, err)
		}
	}
	if err := s.CreatePublishAccount(ctx, gemeente); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("second CreatePublishAccount = %v, want ErrAlreadyExists", err)
	}
	if got, err := s.PublishAccountByID(ctx, gemeente.ID); err != nil || !reflect.DeepEqual(got, gemeente) {
		t.Errorf("PublishAccountByID = %+v, %v; want %+v", got, err, gemeente)
	}
	if all, err := s.PublishAccounts(ctx); err != nil || !reflect.DeepEqual(all, []store.PublishAccount{alt, gemeente}) {
		t.Errorf("PublishAccounts = %+v, %v; want by name", all, err)
	}
	// An update changes what may change; platform and created_at never do.
	upd := alt
	upd.Platform, upd.CreatedAt = "mastodon", base.Add(99)
	upd.Name, upd.Handle, upd.Service, upd.Credentials, upd.Enabled, upd.UpdatedAt = "Afval", "afval.bsky.social", "https://bsky.social", "v1:0a0b0c0d:bmV3", true, base.Add(5)
	if err := s.UpdatePublishAccount(ctx, upd); err != nil {
		t.Fatalf("UpdatePublishAccount: %v", err)
	}
	want := upd
	want.Platform, want.CreatedAt = alt.Platform, alt.CreatedAt
	if got, err := s.PublishAccountByID(ctx, alt.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after update = %+v, %v; want %+v", got, err, want)
	}
	for _, id := range []string{"nope", "bad\x00id"} {
		if _, err := s.PublishAccountByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PublishAccountByID(%q) = %v", id, err)
		}
		if err := s.UpdatePublishAccount(ctx, store.PublishAccount{ID: id}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UpdatePublishAccount(%q) = %v", id, err)
		}
		if err := s.DeletePublishAccount(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeletePublishAccount(%q) = %v", id, err)
		}
	}
	if err := s.DeletePublishAccount(ctx, gemeente.ID); err != nil {
		t.Fatalf("DeletePublishAccount: %v", err)
	}
	if all, err := s.PublishAccounts(ctx); err != nil || len(all) != 1 || all[0].ID != alt.ID {
		t.Errorf("after delete = %+v, %v", all, err)
	}
}
