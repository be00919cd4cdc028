package supervisor

import (
	"errors"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func TestManagerKeepsTokensWriteOnly(t *testing.T) {
	e := newEnv(t)
	sup, _ := e.start(t)
	syncWhenRunning(t, sup)
	m, err := NewManager(e.st, e.box, sup, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	hook, err := m.Create(ctx, Input{Kind: store.SourceWebhook, Name: "Zendesk", Enabled: true, Token: secret.New("whsec-1")})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.st.SourceByID(ctx, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.Credentials, "whsec") || !hook.HasToken {
		t.Fatalf("stored credentials %q, view has token %v", stored.Credentials, hook.HasToken)
	}
	steps := []struct {
		name    string
		in      Input
		wantErr error
		want    string // the secret afterwards; "" means none
	}{
		{"rename keeps the secret", Input{Name: "Zendesk NL", Enabled: true}, nil, "whsec-1"},
		{"new secret replaces it", Input{Name: "Zendesk NL", Enabled: true, Token: secret.New("whsec-2")}, nil, "whsec-2"},
		{"clearing is refused for a webhook", Input{Name: "Zendesk NL", Enabled: true, ClearToken: true}, ErrToken, "whsec-2"},
		{"empty name refused", Input{Name: "  ", Enabled: true}, ErrName, "whsec-2"},
		{"disabled has no secret to verify with", Input{Name: "Zendesk NL"}, nil, ""},
	}
	for _, st := range steps {
		_, err := m.Update(ctx, hook.ID, st.in)
		if !errors.Is(err, st.wantErr) || (st.wantErr == nil && err != nil) {
			t.Fatalf("%s: Update = %v, want %v", st.name, err, st.wantErr)
		}
		got, err := m.WebhookSecret(ctx, hook.ID)
		if st.want == "" {
			if !errors.Is(err, ErrNotWebhook) {
				t.Errorf("%s: WebhookSecret = %v, want ErrNotWebhook", st.name, err)
			}
			continue
		}
		if err != nil || got.Reveal() != st.want {
			t.Errorf("%s: WebhookSecret = %q, %v; want %q", st.name, got.Reveal(), err, st.want)
		}
	}

	rss, err := m.Create(ctx, Input{Kind: store.SourceRSS, Name: "Omroep", Settings: Settings{URL: "http://127.0.0.1:1/rss", Interval: "10m"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.WebhookSecret(ctx, rss.ID); !errors.Is(err, ErrNotWebhook) {
		t.Errorf("WebhookSecret of an RSS source = %v", err)
	}
	if err := m.SetEnabled(ctx, rss.ID, true); err != nil {
		t.Fatal(err)
	}
	if v, err := m.Get(ctx, rss.ID); err != nil || !v.Enabled || !v.Status.Running {
		t.Errorf("after enabling: %+v, %v", v, err)
	}
	if _, err := m.Create(ctx, Input{Kind: store.SourceRSS, Name: "Geen URL"}); !errors.Is(err, ErrURLRequired) {
		t.Errorf("Create without URL = %v", err)
	}
	list, err := m.List(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %d, %v", len(list), err)
	}
	for _, id := range []string{hook.ID, rss.ID} {
		if err := m.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Delete(ctx, rss.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second Delete = %v", err)
	}
	if len(sup.Statuses()) != 0 {
		t.Errorf("statuses after deleting all: %v", sup.Statuses())
	}
}
