package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// alertStart is a Wednesday morning, when the default plan's schedules have someone on duty.
var alertStart = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

func newTestAlerting(t *testing.T) (*alerting, *sqlite.Store, *clock.Sim) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "crisisdesk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(alertStart)
	// The default plan's secrets are unset, so its e-mail and Teams channels cannot send.
	for _, name := range []string{"CRISISDESK_SMTP_PASSWORD", "CRISISDESK_TEAMS_URL"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newAlerting(t.Context(), config{Data: dir, BaseURL: "http://crisisdesk.test", Lang: "en"}, st, clk, logger, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return a, st, clk
}

// pressPost is a negative post by the press, which the influential_author detector alerts on at once.
func pressPost(id string, at time.Time) store.StoredPost {
	return store.StoredPost{
		Post: post.Post{ID: id, Platform: "bluesky", Text: "Datalek bij Acme: klantgegevens liggen op straat", CreatedAt: at,
			Author: post.Author{ID: "did:plc:nos", Handle: "nos.nl", Name: "NOS", Followers: 900000, Kind: "press", Verified: true}},
		Analysis: store.Analysis{Lang: "nl", Sentiment: "negative", Complaint: true, Categories: []string{"data_breach"}},
		Monitors: []string{"m1"},
	}
}

// TestAlertingPath follows one alert from a stored post to the store, the live pages, the outbox and
// its resolution, with the default plan, whose e-mail and Teams channels have no secrets here: they
// are left out, and the team is paged in-app only.
func TestAlertingPath(t *testing.T) {
	a, st, clk := newTestAlerting(t)
	ctx := t.Context()
	sub, cancel := a.hub.Subscribe()
	defer cancel()

	if err := a.Observe(ctx, []store.StoredPost{pressPost("p1", alertStart)}); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	alerts, err := st.Alerts(ctx, store.AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 {
		t.Fatalf("stored %d alerts, want 1: %+v", len(alerts), alerts)
	}
	got := alerts[0]
	if got.Status != store.AlertOpen || got.Monitor != "m1" || got.Kind != "influential_author" || strings.Contains(got.ID, "/") ||
		len(got.PostIDs) != 1 || got.PostIDs[0] != "p1" || len(got.Explanation) == 0 {
		t.Fatalf("stored alert %+v", got)
	}
	select {
	case pushed := <-sub:
		if pushed.ID != got.ID {
			t.Fatalf("pushed %q, stored %q", pushed.ID, got.ID)
		}
	default:
		t.Fatal("nothing was pushed to the live pages")
	}

	ns, err := st.NotificationsByAlert(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) == 0 {
		t.Fatal("nobody was paged")
	}
	for _, n := range ns {
		if n.Channel != plan.ChannelInApp {
			t.Errorf("paged %s on %q, a channel without its secret", n.Recipient, n.Channel)
		}
	}
	if _, err := a.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	ns, err = st.NotificationsByAlert(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.State != store.NotificationDelivered {
			t.Errorf("in-app page to %s is %s (%s), want delivered", n.Recipient, n.State, n.LastError)
		}
	}
	// The in-app delivery pushed the alert again.
	if len(sub) == 0 {
		t.Error("the in-app delivery pushed nothing")
	}

	// Quiet for longer than the resolve period: the tick resolves it.
	clk.Advance(alert.DefaultConfig().ResolveAfter + time.Minute)
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = st.AlertByID(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.AlertResolved || got.ResolvedAt.IsZero() {
		t.Fatalf("after a quiet half hour: %+v", got)
	}
	esc, err := st.EscalationByAlert(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if esc.State != store.EscalationResolved {
		t.Errorf("escalation is %s after resolution, want resolved", esc.State)
	}
}

// TestAlertIDsDifferAcrossRestarts: the alert manager numbers alerts from 1 in every process, so
// without the boot prefix a restarted server would write its first alert over an old one and the
// outbox would think its pages already sent.
func TestAlertIDsDifferAcrossRestarts(t *testing.T) {
	a1, _, _ := newTestAlerting(t)
	a2, _, clk := newTestAlerting(t)
	clk.Advance(time.Second)
	a3, err := newAlerting(t.Context(), config{Data: t.TempDir(), BaseURL: "http://x", Lang: "nl"}, a2.st, clk,
		slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	id := "m1/volume_spike/1"
	if a1.alertID(id) != a1.alertID(id) {
		t.Fatal("one process gave one alert two ids")
	}
	if a2.alertID(id) == a3.alertID(id) {
		t.Fatalf("a restart reused alert id %q", a2.alertID(id))
	}
	if a1.alertID(id) == a1.alertID("m1/volume_spike/2") {
		t.Fatal("two alerts share an id")
	}
}

func TestConvertPolicy(t *testing.T) {
	def, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	inappOnly := map[string]notify.Integration{plan.ChannelInApp: nil}
	all := map[string]notify.Integration{plan.ChannelInApp: nil, "email": nil, "teams": nil}
	noPeople := *def
	noPeople.People = nil
	tests := []struct {
		name      string
		p         *plan.Plan
		policy    string
		channels  map[string]notify.Integration
		wantSteps int
		check     func(t *testing.T, steps int, recipients map[string][]string)
	}{
		{"crisis, in-app only", def, "crisis", inappOnly, 2, func(t *testing.T, steps int, rc map[string][]string) {
			for id, chans := range rc {
				if len(chans) != 1 || chans[0] != plan.ChannelInApp {
					t.Errorf("%s reached on %v, want in-app only", id, chans)
				}
			}
		}},
		{"crisis, every channel", def, "crisis", all, 2, func(t *testing.T, steps int, rc map[string][]string) {
			if len(rc["bram"]) != 3 {
				t.Errorf("bram reached on %v, want in-app, email and teams", rc["bram"])
			}
		}},
		{"no people pages nobody", &noPeople, "crisis", all, 0, nil},
		{"no channels pages nobody", def, "crisis", map[string]notify.Integration{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pol plan.Policy
			for _, p := range tt.p.Escalation.Policies {
				if p.ID == tt.policy {
					pol = p
				}
			}
			got := convertPolicy(tt.p, pol, tt.channels, alertStart)
			if len(got.Steps) != tt.wantSteps {
				t.Fatalf("%d steps, want %d: %+v", len(got.Steps), tt.wantSteps, got)
			}
			if tt.wantSteps > 0 {
				if err := got.Validate(); err != nil {
					t.Fatalf("converted policy is not valid: %v", err)
				}
			}
			rc := map[string][]string{}
			for _, s := range got.Steps {
				for _, r := range s.Recipients {
					rc[r.ID] = nil
					for _, c := range r.Contacts {
						rc[r.ID] = append(rc[r.ID], c.Channel)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, len(got.Steps), rc)
			}
		})
	}
}

func TestBuildIntegrationsSkipsMissingSecrets(t *testing.T) {
	t.Setenv("CRISISDESK_TEST_HOOK", "https://hooks.example.org/services/T0/B0/secret")
	p := &plan.Plan{Channels: []plan.Channel{
		{ID: "chat", Type: plan.ChannelSlack, URL: plan.Secret{Ref: "env:CRISISDESK_TEST_HOOK"}},
		{ID: "teams", Type: plan.ChannelTeams, URL: plan.Secret{Ref: "env:CRISISDESK_TEST_UNSET"}},
		{ID: "hook", Type: plan.ChannelWebhook, URL: plan.Secret{Ref: "env:CRISISDESK_TEST_HOOK"}},
	}}
	var logged strings.Builder
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	got := buildIntegrations(p, notify.IntegrationFunc(func(_ context.Context, _ notify.Message) (bool, error) { return false, nil }),
		clock.NewSim(alertStart), logger)
	for _, want := range []string{plan.ChannelInApp, "chat"} {
		if got[want] == nil {
			t.Errorf("channel %q missing", want)
		}
	}
	for _, gone := range []string{"teams", "hook"} {
		if got[gone] != nil {
			t.Errorf("channel %q built without its secret", gone)
		}
		if !strings.Contains(logged.String(), "channel="+gone) {
			t.Errorf("channel %q left out without a log line", gone)
		}
	}
	if strings.Contains(logged.String(), "hooks.example.org") {
		t.Error("a secret reached the log")
	}
}

// TestOrphanAlertsResolved: after a restart, the open alerts of the earlier run are resolved once
// they have been quiet for the resolve period, and their escalation stops; until then they stay open.
func TestOrphanAlertsResolved(t *testing.T) {
	before, st, clk := newTestAlerting(t)
	ctx := t.Context()
	if err := before.Observe(ctx, []store.StoredPost{pressPost("p1", alertStart)}); err != nil {
		t.Fatal(err)
	}
	old := mustOnlyAlert(t, st)

	clk.Advance(time.Second)
	after, err := newAlerting(ctx, config{Data: t.TempDir(), BaseURL: "http://crisisdesk.test", Lang: "en"}, st, clk,
		slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	sub, cancel := after.hub.Subscribe()
	defer cancel()
	tests := []struct {
		advance time.Duration
		want    string
	}{
		{0, store.AlertOpen},
		{alert.DefaultConfig().ResolveAfter - 2*time.Minute, store.AlertOpen},
		{3 * time.Minute, store.AlertResolved},
	}
	for _, tt := range tests {
		clk.Advance(tt.advance)
		if err := after.tick(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := st.AlertByID(ctx, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != tt.want {
			t.Fatalf("%v after the restart: %s, want %s", clk.Now().Sub(alertStart), got.Status, tt.want)
		}
	}
	if len(sub) != 1 {
		t.Errorf("%d pushes to the live pages, want the resolution only", len(sub))
	}
	esc, err := st.EscalationByAlert(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if esc.State != store.EscalationResolved {
		t.Errorf("escalation of the orphan is %s, want resolved", esc.State)
	}
}

func mustOnlyAlert(t *testing.T, st store.Alerts) store.Alert {
	t.Helper()
	as, err := st.Alerts(t.Context(), store.AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 {
		t.Fatalf("%d alerts, want 1", len(as))
	}
	return as[0]
}
