package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// TestStatementChannels: the configured sources that can post become channels, with their sealed
// token, and a post goes to the instance the source names.
func TestStatementChannels(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := secret.NewBox([]byte(strings.Repeat("s", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	m := statementtest.NewMastodon("write-token")
	t.Cleanup(m.Close)
	seal := func(tok string) string {
		s, err := supervisor.SealCredentials(box, supervisor.Credentials{Token: secret.New(tok)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, src := range []store.Source{
		{ID: "masto", Kind: store.SourceMastodon, Name: "Gemeente op Mastodon", Enabled: true,
			Settings: supervisor.Settings{URL: m.URL(), Stream: "public"}.JSON(), Credentials: seal("write-token")},
		{ID: "masto-off", Kind: store.SourceMastodon, Name: "Disabled", Enabled: false,
			Settings: supervisor.Settings{URL: m.URL()}.JSON(), Credentials: seal("write-token")},
		{ID: "masto-notoken", Kind: store.SourceMastodon, Name: "No token", Enabled: true,
			Settings: supervisor.Settings{URL: m.URL()}.JSON()},
		{ID: "news", Kind: store.SourceRSS, Name: "News", Enabled: true, Settings: supervisor.Settings{URL: "https://news.example/feed"}.JSON()},
		{ID: "xacct", Kind: store.SourceX, Name: "Bank on X", Enabled: true,
			Settings: supervisor.Settings{URL: "https://api.x.example"}.JSON(), Credentials: seal("user-token")},
	} {
		src.CreatedAt, src.UpdatedAt = now, now
		if err := st.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	chs := newStatementChannels(st, nil, box, m.Client(), clock.NewSim(now), slog.New(slog.DiscardHandler))
	list, err := chs.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	// Sources come by name, as the store lists them.
	want := append([]string{"xacct", "masto"}, func() []string {
		var out []string
		for _, c := range statement.ManualChannels(respond.Platforms()) {
			out = append(out, c.ID)
		}
		return out
	}()...)
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("channels %v, want %v", ids, want)
	}
	if list[1].Platform != respond.Mastodon || list[0].Platform != respond.X || list[1].Manual() || !list[2].Manual() {
		t.Errorf("channels %+v", list[:3])
	}
	got, err := list[1].Publisher.Publish(ctx, source.Statement{Text: "Update om 11:00.", IdempotencyKey: "k"})
	if err != nil || got.URL == "" || len(m.Made()) != 1 {
		t.Errorf("publishing through the source's channel = %+v, %v; %d statuses", got, err, len(m.Made()))
	}
}

func TestParseLegalApproval(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"", defaultLegalApproval, false},
		{"0", 0, false},
		{" 1 ", 1, false},
		{"4", 4, false},
		{"5", 0, true},
		{"-1", 0, true},
		{"high", 0, true},
	}
	for _, tt := range tests {
		got, err := parseLegalApproval(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseLegalApproval(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
