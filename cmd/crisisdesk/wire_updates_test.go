package main

import (
	"encoding/json"
	"log/slog"
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/escalate"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// pressPostBy is pressPost by another newsroom, so that each one is a new signal of the same alert.
func pressPostBy(n int, at time.Time) store.StoredPost {
	sp := pressPost("p"+strconv.Itoa(n), at)
	sp.Post.Author.ID = "did:plc:news" + strconv.Itoa(n)
	sp.Post.Author.Handle = "news" + strconv.Itoa(n) + ".example"
	return sp
}

func alertOfKind(t *testing.T, st store.Alerts, kind string) store.Alert {
	t.Helper()
	alerts, err := st.Alerts(t.Context(), store.AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if a.Kind == kind {
			return a
		}
	}
	t.Fatalf("no %s alert among %d", kind, len(alerts))
	return store.Alert{}
}

// TestGrowingAlertSendsOneUpdatePerInterval follows a grouped alert that grows: the people paged get
// one update per group interval, by e-mail in the thread of their page and on the signed webhook as
// an update event with the same alert id, and one resolution notice at the end; nothing twice.
func TestGrowingAlertSendsOneUpdatePerInterval(t *testing.T) {
	const hookSecret = "a signing key of the test webhook receiver"
	rc := notifytest.NewReceiver(t, nil)
	t.Setenv("CRISISDESK_TEST_HOOK_URL", rc.URL+"/hook")
	t.Setenv("CRISISDESK_TEST_HOOK_KEY", hookSecret)
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	a, st, clk := newAlertingWithPlan(t, smtpPlan(t, srv, func(p *plan.Plan) {
		p.Channels = append(p.Channels, plan.Channel{ID: "hook", Type: plan.ChannelWebhook,
			URL: plan.Secret{Ref: "env:CRISISDESK_TEST_HOOK_URL"}, SigningKey: plan.Secret{Ref: "env:CRISISDESK_TEST_HOOK_KEY"}})
		p.Escalation.Policies = append(p.Escalation.Policies, plan.Policy{ID: "desk", Name: "Desk", Repeat: 1, Steps: []plan.Step{
			{People: []string{"bram"}, Channels: []string{"email", "hook"}, Wait: 60},
		}})
		p.Escalation.Route = plan.Route{Policy: "desk"}
	}))
	ctx := t.Context()
	send := func() {
		t.Helper()
		for {
			n, err := a.worker.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
	}
	interval := alert.DefaultConfig().GroupInterval
	// The alert fires, then grows every minute for twelve minutes.
	for i := range 13 {
		if err := a.Observe(ctx, []store.StoredPost{pressPostBy(i, clk.Now())}); err != nil {
			t.Fatalf("Observe %d: %v", i, err)
		}
		if err := a.tick(ctx); err != nil {
			t.Fatal(err)
		}
		send()
		clk.Advance(time.Minute)
	}
	// The posts raise other alerts too (a category, a negative spike); this test follows the one for
	// the newsrooms.
	al := alertOfKind(t, st, "influential_author")
	// Quiet: it resolves.
	clk.Advance(alert.DefaultConfig().ResolveAfter)
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}
	send()

	// E-mail: the page, one update per interval (twelve minutes of growth make two), the resolution;
	// all in one thread.
	var subjects []string
	var pageID string
	for _, m := range srv.Mails() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		if msg.Header.Get("X-Crisisdesk-Alert") != al.ID {
			continue
		}
		i := len(subjects)
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		subjects = append(subjects, strings.SplitN(subject, " crisisdesk:", 2)[0])
		if i == 0 {
			pageID = msg.Header.Get("Message-Id")
			continue
		}
		if got := msg.Header.Get("In-Reply-To"); got != pageID {
			t.Errorf("mail %d (%s) replies to %q, want the page %q", i, subject, got, pageID)
		}
	}
	// Bram reads Dutch.
	wantSubjects := []string{"[hoog]", "Update: [hoog]", "Update: [hoog]", "Opgelost: [hoog]"}
	if strings.Join(subjects, "|") != strings.Join(wantSubjects, "|") {
		t.Errorf("e-mail subjects %q, want %q (the group interval is %v)", subjects, wantSubjects, interval)
	}

	// Webhook: the same story as events, each signed, with the alert's id.
	var events []string
	for _, r := range rc.Requests() {
		if err := webhook.Verify([]byte(hookSecret), r.Header.Get(webhook.SignatureHeader), r.Body, clk.Now(), time.Hour); err != nil {
			t.Errorf("webhook request not signed: %v", err)
		}
		var p webhook.Payload
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatal(err)
		}
		if p.AlertID != al.ID {
			continue
		}
		ev := p.Event
		if p.UpdateSeq != nil {
			ev += strconv.Itoa(*p.UpdateSeq)
		}
		events = append(events, ev)
	}
	if want := []string{"page", "update1", "update2", "resolved"}; strings.Join(events, " ") != strings.Join(want, " ") {
		t.Errorf("webhook events %q, want %q", events, want)
	}
	for key, n := range rc.AcceptedByKey() {
		if n != 1 {
			t.Errorf("webhook idempotency key %s accepted %d times", key, n)
		}
	}
}

// TestFollowUpsAreNotPagesOnTheTimeline: the incident room records pages, and an update or a
// resolution notice is not one.
func TestFollowUpsAreNotPagesOnTheTimeline(t *testing.T) {
	a, st, clk := newTestAlerting(t)
	svc, err := newIncidents(t.Context(), st, clk, nil, nil, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	a.incidents.svc = svc
	inc, err := svc.Declare(t.Context(), incident.Declaration{Title: "Outage", Lang: "en", Severity: incident.SeverityHigh,
		Alerts: []string{"alert-1"}, Author: "anna@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	out := pagingOutbox{Store: st, incidents: a.incidents}
	for _, step := range []int{0, escalate.UpdateStep(1), escalate.ResolvedStep} {
		n := &store.Notification{AlertID: "alert-1", Step: step, Recipient: "bram", Channel: "email",
			Payload: []byte(`{}`), NextAt: clk.Now(), CreatedAt: clk.Now()}
		if _, err := out.EnqueueNotification(t.Context(), n); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := st.IncidentTimeline(t.Context(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	paged := 0
	for _, e := range tl {
		if e.Kind == incident.EntryPaged {
			paged++
		}
	}
	if paged != 1 {
		t.Errorf("%d paged entries on the timeline, want 1: the page, not its update and resolution", paged)
	}
}
