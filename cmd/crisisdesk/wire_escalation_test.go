package main

import (
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// smtpPlan is the default plan with its e-mail channel on a real SMTP server on loopback, which needs
// no secret, and with a legal policy beside the crisis policy. edit changes it further.
func smtpPlan(t *testing.T, srv *notifytest.SMTPServer, edit func(p *plan.Plan)) *plan.Plan {
	t.Helper()
	p, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Channels {
		if p.Channels[i].ID == "email" {
			p.Channels[i].Host, p.Channels[i].Username, p.Channels[i].Password = host, "", plan.Secret{}
			p.Channels[i].Port, _ = strconv.Atoi(port)
		}
	}
	p.Escalation.Policies = append(p.Escalation.Policies, plan.Policy{ID: "legal", Name: "Juridisch", Repeat: 1, Steps: []plan.Step{
		{People: []string{"mark", "bram"}, Channels: []string{"email"}, Wait: 30},
	}})
	if edit != nil {
		edit(p)
	}
	return p
}

func savePlan(t *testing.T, st plan.Versions, p *plan.Plan) int64 {
	t.Helper()
	src, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	_, v, err := plan.Save(t.Context(), st, src, "test", alertStart)
	if err != nil {
		t.Fatalf("save plan: %v", err)
	}
	return v
}

// newAlertingWithPlan is newTestAlerting with p stored before serve's alert path starts.
func newAlertingWithPlan(t *testing.T, p *plan.Plan) (*alerting, *sqlite.Store, *clock.Sim) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "crisisdesk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if p != nil {
		savePlan(t, st, p)
	}
	t.Setenv("CRISISDESK_TEAMS_URL", "")
	clk := clock.NewSim(alertStart)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newAlerting(t.Context(), config{Data: dir, BaseURL: "http://crisisdesk.test", Lang: "en"}, st, clk, logger, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return a, st, clk
}

// pagesByTarget counts an alert's pages (not updates or resolution notices) per "recipient channel".
func pagesByTarget(t *testing.T, st store.Outbox, alertID string) map[string]int {
	t.Helper()
	ns, err := st.NotificationsByAlert(t.Context(), alertID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, n := range ns {
		if n.Step >= 0 {
			out[n.Recipient+" "+n.Channel]++
		}
	}
	return out
}

func mailsTo(srv *notifytest.SMTPServer) map[string]int {
	out := map[string]int{}
	for _, m := range srv.Mails() {
		for _, to := range m.To {
			out[to]++
		}
	}
	return out
}

func onlyAlert(t *testing.T, st store.Alerts) store.Alert {
	t.Helper()
	alerts, err := st.Alerts(t.Context(), store.AlertQuery{})
	if err != nil || len(alerts) != 1 {
		t.Fatalf("alerts = %+v, %v; want one", alerts, err)
	}
	return alerts[0]
}

// TestContinuePagesEveryPolicy: a route with continue sends the alert to two policies; both page,
// and Bram, whom both page by e-mail at their first step, gets one e-mail.
func TestContinuePagesEveryPolicy(t *testing.T) {
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	a, st, _ := newAlertingWithPlan(t, smtpPlan(t, srv, func(p *plan.Plan) {
		p.Escalation.Route = plan.Route{Policy: "webcare", Routes: []plan.Route{
			{Match: plan.Match{Kind: []string{"influential_author"}}, Policy: "crisis", Continue: true},
			{Match: plan.Match{Category: []string{"data_breach"}}, Policy: "legal"},
		}}
	}))
	ctx := t.Context()
	if err := a.Observe(ctx, []store.StoredPost{pressPost("p1", alertStart)}); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	al := onlyAlert(t, st)
	es, err := st.EscalationsByAlert(ctx, al.ID)
	if err != nil || len(es) != 2 || es[0].PolicyKey != "crisis" || es[1].PolicyKey != "legal" {
		t.Fatalf("escalations = %+v, %v; want crisis and legal", es, err)
	}
	pages := pagesByTarget(t, st, al.ID)
	for _, target := range []string{"bram email", "mark email", "bram inapp"} {
		if pages[target] != 1 {
			t.Errorf("%s paged %d times, want once (pages %v)", target, pages[target], pages)
		}
	}
	if _, err := a.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got := mailsTo(srv)
	if got["bram.jansen@example.org"] != 1 || got["mark.deboer@example.org"] != 1 {
		t.Errorf("e-mails received %v; want one each for bram and mark", got)
	}
}

// TestPlanChangesApplyWithoutRestart: serve starts with a plan whose e-mail channel cannot send;
// a plan saved while it runs adds a working e-mail channel and a new person, and the next alert
// pages them by e-mail, with no restart.
func TestPlanChangesApplyWithoutRestart(t *testing.T) {
	t.Setenv("CRISISDESK_SMTP_PASSWORD", "")
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	a, st, clk := newAlertingWithPlan(t, nil)
	ctx := t.Context()
	if a.channels.channels()["email"] != nil {
		t.Fatal("the default plan's e-mail channel was built without its password")
	}
	savePlan(t, st, smtpPlan(t, srv, func(p *plan.Plan) {
		p.People = append(p.People, plan.Person{ID: "nina", Name: "Nina Mulder", Roles: []string{plan.RoleCommunications},
			Languages: []string{"en"}, Email: "nina.mulder@example.org"})
		for i := range p.Escalation.Policies {
			if p.Escalation.Policies[i].ID == "crisis" {
				p.Escalation.Policies[i].Steps[0].People = append(p.Escalation.Policies[i].Steps[0].People, "nina")
			}
		}
	}))
	// The periodic look at the plan rebuilds the channels and hands them to the outbox worker.
	clk.Advance(planPoll)
	if err := a.tick(ctx); err != nil {
		t.Fatal(err)
	}
	if a.channels.channels()["email"] == nil {
		t.Fatal("the e-mail channel of the newer plan was not built")
	}
	if err := a.Observe(ctx, []store.StoredPost{pressPost("p1", clk.Now())}); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	al := onlyAlert(t, st)
	if pages := pagesByTarget(t, st, al.ID); pages["nina email"] != 1 {
		t.Fatalf("nina's pages %v, want one e-mail", pages)
	}
	if _, err := a.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mailsTo(srv); got["nina.mulder@example.org"] != 1 {
		t.Errorf("e-mails received %v; want one for nina", got)
	}

	// A change saved just before an alert applies to it even before the periodic look: the router
	// reads the plan when the alert fires. Here the e-mail channel moves to a second server.
	srv2 := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	savePlan(t, st, smtpPlan(t, srv2, nil))
	other := pressPost("p2", clk.Now())
	other.Monitors = []string{"m2"}
	if err := a.Observe(ctx, []store.StoredPost{other}); err != nil {
		t.Fatalf("Observe: %v", err)
	}
	if _, err := a.worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(srv2.Mails()) == 0 {
		t.Error("the second alert's pages did not go to the e-mail server of the newest plan")
	}
}
