package statement_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

var (
	anna   = statement.Actor{Email: "anna@example.org"}
	bram   = statement.Actor{Email: "bram@example.org"}
	mark   = statement.Actor{Email: "mark@example.org", Legal: true}
	filled = map[string]string{"issue": "a fault in online banking", "next_update": "11:00",
		"info_url": "https://status.example.org"}
)

type env struct {
	st  *sqlite.Store
	clk *clock.Sim
	inc *incident.Service
	svc *statement.Service
	reg *prometheus.Registry
}

func newEnv(t *testing.T, cfg statement.Config) *env {
	t.Helper()
	st, err := sqlite.Open(t.Context(), ":memory:", nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(t0)
	inc, err := incident.New(st, clk, incident.Config{}, nil, nil)
	if err != nil {
		t.Fatalf("incident.New: %v", err)
	}
	if cfg.Templates == nil {
		if cfg.Templates, err = respond.SeededTemplates(); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewRegistry()
	svc, err := statement.New(st, inc, clk, cfg, nil, reg)
	if err != nil {
		t.Fatalf("statement.New: %v", err)
	}
	return &env{st: st, clk: clk, inc: inc, svc: svc, reg: reg}
}

func (e *env) declare(t *testing.T, sev incident.Severity) store.Incident {
	t.Helper()
	i, err := e.inc.Declare(t.Context(), incident.Declaration{Title: "Online banking down", Lang: "en", Severity: sev, Author: anna.Email})
	if err != nil {
		t.Fatalf("Declare: %v", err)
	}
	return i
}

// draftInReview drafts a filled holding statement by anna and submits it.
func (e *env) draftInReview(t *testing.T, incidentID int64) store.Statement {
	t.Helper()
	st, ws, err := e.svc.Create(t.Context(), incidentID, statement.Draft{Lang: "en", TemplateID: "holding-en", Vars: filled}, anna)
	if err != nil || len(ws) != 0 {
		t.Fatalf("Create = %v, warnings %v", err, ws)
	}
	e.clk.Advance(time.Minute)
	st, err = e.svc.Submit(t.Context(), st.ID, st.Rev, anna)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return st
}

func kinds(t *testing.T, e *env, incidentID int64) []string {
	t.Helper()
	tl, err := e.st.IncidentTimeline(t.Context(), incidentID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range tl {
		out = append(out, en.Kind)
	}
	return out
}

func code(err error) string {
	if e, ok := statement.IsRefusal(err); ok {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

type channels []statement.Channel

func (c channels) Channels(context.Context) ([]statement.Channel, error) { return c, nil }

func mastodonChannel(t *testing.T, m *statementtest.Mastodon) statement.Channel {
	t.Helper()
	pub, err := mastodon.NewPublisher(mastodon.PublisherConfig{BaseURL: m.URL(), Token: m.Token, Client: m.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return statement.Channel{ID: "src-mastodon", Name: "@gemeente@social.example", Platform: respond.Mastodon, Publisher: pub}
}

// TestFlow is the composer's whole path: a template filled in, submitted, approved by a second person,
// published to a manual channel and to Mastodon, with every step on the timeline and in the audit log.
func TestFlow(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, statement.Config{LegalUpTo: 2})
	inc := e.declare(t, incident.SeverityMedium)

	partial := map[string]string{"issue": "a fault in online banking"}
	st, ws, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", TemplateID: "holding-en", Vars: partial}, anna)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	var unfilled []string
	for _, w := range ws {
		unfilled = append(unfilled, w.Variable)
	}
	if !slices.Equal(unfilled, []string{"next_update", "info_url"}) {
		t.Errorf("unfilled variables %v, want next_update and info_url", unfilled)
	}
	if st.TemplateID != "holding-en" || st.TemplateVersion != 1 || st.State != statement.StateDraft || st.Version != 1 {
		t.Errorf("drafted %+v", st)
	}
	if _, err := e.svc.Submit(ctx, st.ID, st.Rev, anna); code(err) != "unfilled_variables" {
		t.Fatalf("Submit with holes = %v, want unfilled_variables", err)
	}
	core, _ := respond.Render(mustTemplate(t, e.svc, "holding-en").Text, filled, respond.LangEN)
	e.clk.Advance(time.Minute)
	st, err = e.svc.Update(ctx, st.ID, st.Rev, statement.Edit{Core: core, Vars: filled,
		Edits: map[string]string{"x": "We know online banking has a fault and we are sorry for the trouble. Next update at 11:00 on https://status.example.org."}}, anna)
	if err != nil || st.Version != 2 {
		t.Fatalf("Update = %+v, %v", st, err)
	}
	check := e.svc.Check(st, inc)
	if len(check.Variants) != len(respond.Platforms()) || check.Variants[slices.IndexFunc(check.Variants,
		func(v respond.Variant) bool { return v.Platform == respond.X })].Text == core {
		t.Errorf("variants %+v: want one per platform with X's own text", check.Variants)
	}
	if st, err = e.svc.Submit(ctx, st.ID, st.Rev, anna); err != nil || st.State != statement.StateInReview {
		t.Fatalf("Submit = %+v, %v", st, err)
	}
	if _, err := e.svc.Approve(ctx, st.ID, st.Rev, "", anna); code(err) != "own_statement" {
		t.Fatalf("author approves = %v, want own_statement", err)
	}
	if _, err := e.svc.MarkPublished(ctx, st.ID, "manual:x", "https://x.com/bank/status/1", bram); code(err) != "not_approved" {
		t.Fatalf("publishing before approval = %v, want not_approved", err)
	}
	e.clk.Advance(time.Minute)
	if st, err = e.svc.Approve(ctx, st.ID, st.Rev, "clear", bram); err != nil || st.State != statement.StateApproved {
		t.Fatalf("Approve = %+v, %v", st, err)
	}

	m := statementtest.NewMastodon("publish-token")
	t.Cleanup(m.Close)
	chs := append(channels{mastodonChannel(t, m)}, statement.ManualChannels(respond.Platforms())...)
	e.clk.Advance(time.Minute)
	res, err := e.svc.Publish(ctx, st.ID, chs, []string{"src-mastodon", "manual:x"}, anna)
	if err != nil || len(res) != 1 || res[0].Err != nil || res[0].Repeated || len(res[0].Publication.Links) != 1 ||
		res[0].Publication.Status != store.PublicationPublished {
		t.Fatalf("Publish = %+v, %v", res, err)
	}
	if made := m.Made(); len(made) != 1 || made[0]["status"] != core || made[0]["language"] != "en" {
		t.Errorf("Mastodon got %+v, want the core message once", made)
	}
	if _, err := e.svc.MarkPublished(ctx, st.ID, "manual:x", "https://x.com/bank/status/1", anna); err != nil {
		t.Fatalf("MarkPublished: %v", err)
	}
	// A retry posts nothing and records nothing new.
	res, err = e.svc.Publish(ctx, st.ID, chs, []string{"src-mastodon"}, anna)
	if err != nil || len(res) != 1 || !res[0].Repeated || len(m.Made()) != 1 {
		t.Fatalf("retry = %+v, %v; %d statuses made", res, err, len(m.Made()))
	}

	got, err := e.svc.Statement(ctx, st.ID)
	if err != nil || got.State != statement.StatePublished {
		t.Errorf("after publishing: %+v, %v", got, err)
	}
	wantKinds := []string{incident.EntryDeclared, incident.EntryStatementDrafted, incident.EntryStatementApproved,
		incident.EntryStatementPublished, incident.EntryStatementPublished}
	if k := kinds(t, e, inc.ID); !slices.Equal(k, wantKinds) {
		t.Errorf("timeline %v, want %v", k, wantKinds)
	}
	after, _ := e.st.IncidentByID(ctx, inc.ID)
	if !after.FirstResponseAt.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("first response at %v, want the first publication", after.FirstResponseAt)
	}
	audit, err := e.st.StatementAuditLog(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Actor+" "+a.Action)
	}
	wantActions := []string{"anna@example.org drafted", "anna@example.org edited", "anna@example.org submitted",
		"bram@example.org approved", "anna@example.org published", "anna@example.org published"}
	if !slices.Equal(actions, wantActions) {
		t.Errorf("audit %v, want %v", actions, wantActions)
	}
	if vs, err := e.st.StatementVersions(ctx, st.ID); err != nil || len(vs) != 2 || vs[1].Core != core {
		t.Errorf("history %+v, %v", vs, err)
	}
	pubs, err := e.st.Publications(ctx, st.ID)
	if err != nil || len(pubs) != 2 || pubs[0].Channel != "manual:x" || pubs[0].Links[0] != "https://x.com/bank/status/1" {
		t.Errorf("publications %+v, %v", pubs, err)
	}
}

func mustTemplate(t *testing.T, s *statement.Service, id string) respond.Template {
	t.Helper()
	tm, ok, err := s.Template(t.Context(), id)
	if err != nil || !ok {
		t.Fatalf("no template %s", id)
	}
	return tm
}

// TestApprovalRules covers four eyes and the legal approval, per severity and configuration.
func TestApprovalRules(t *testing.T) {
	tests := []struct {
		name      string
		legalUpTo int
		severity  incident.Severity
		approvers []statement.Actor
		wantCodes []string // per approver: "" or the refusal
		want      string
	}{
		{"medium needs one approval", 2, incident.SeverityMedium, []statement.Actor{bram}, []string{""}, statement.StateApproved},
		{"high needs legal too", 2, incident.SeverityHigh, []statement.Actor{bram}, []string{""}, statement.StateInReview},
		{"high with legal after", 2, incident.SeverityHigh, []statement.Actor{bram, mark}, []string{"", ""}, statement.StateApproved},
		{"legal approval counts as both", 2, incident.SeverityCritical, []statement.Actor{mark}, []string{""}, statement.StateApproved},
		{"no second approval by the same person", 2, incident.SeverityHigh, []statement.Actor{bram, bram}, []string{"", "already_approved"}, statement.StateInReview},
		{"legal not configured", 0, incident.SeverityCritical, []statement.Actor{bram}, []string{""}, statement.StateApproved},
		{"author is never an approver, legal or not", 2, incident.SeverityHigh, []statement.Actor{{Email: anna.Email, Legal: true}}, []string{"own_statement"}, statement.StateInReview},
		{"author's e-mail in other case", 2, incident.SeverityMedium, []statement.Actor{{Email: "Anna@Example.org"}}, []string{"own_statement"}, statement.StateInReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, statement.Config{LegalUpTo: tt.legalUpTo})
			inc := e.declare(t, tt.severity)
			st := e.draftInReview(t, inc.ID)
			for i, a := range tt.approvers {
				got, err := e.svc.Approve(t.Context(), st.ID, st.Rev, "", a)
				if code(err) != tt.wantCodes[i] {
					t.Fatalf("approval %d by %s = %v, want %q", i, a.Email, err, tt.wantCodes[i])
				}
				if err == nil {
					st = got
				}
			}
			if st.State != tt.want {
				t.Errorf("state %s, want %s", st.State, tt.want)
			}
			ap, err := e.svc.Approval(t.Context(), st)
			if err != nil || ap.ApprovedByBoth != (tt.want == statement.StateApproved) {
				t.Errorf("Approval = %+v, %v", ap, err)
			}
			approved := slices.Contains(kinds(t, e, inc.ID), incident.EntryStatementApproved)
			if approved != (tt.want == statement.StateApproved) {
				t.Errorf("approved on the timeline: %v, want %v", approved, !approved)
			}
		})
	}
}

// TestWorkflowRules: what each state allows.
func TestWorkflowRules(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, statement.Config{LegalUpTo: 2})
	inc := e.declare(t, incident.SeverityMedium)
	st := e.draftInReview(t, inc.ID)

	if _, err := e.svc.Update(ctx, st.ID, st.Rev, statement.Edit{Core: "Other text."}, anna); code(err) != "wrong_state" {
		t.Errorf("edit in review = %v, want wrong_state", err)
	}
	if _, err := e.svc.Reject(ctx, st.ID, st.Rev, " ", bram); code(err) != "reject_comment" {
		t.Errorf("reject without a reason = %v, want reject_comment", err)
	}
	if _, err := e.svc.Approve(ctx, st.ID, st.Rev-1, "", bram); !errors.Is(err, store.ErrConflict) {
		t.Errorf("approve from a stale read = %v, want ErrConflict", err)
	}
	rej, err := e.svc.Reject(ctx, st.ID, st.Rev, "Say when the next update is.", bram)
	if err != nil || rej.State != statement.StateDraft {
		t.Fatalf("Reject = %+v, %v", rej, err)
	}
	// Edited and resubmitted: the approval has to be given again for the new version.
	ed, err := e.svc.Update(ctx, rej.ID, rej.Rev, statement.Edit{Core: rej.Core + " Sorry."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Update(ctx, ed.ID, ed.Rev, statement.Edit{Core: ed.Core, Edits: map[string]string{"myspace": "x"}}, anna); code(err) != "bad_platform" {
		t.Errorf("edit for an unknown platform = %v, want bad_platform", err)
	}
	// bram edits anna's draft, which makes him one of its authors.
	ed, err = e.svc.Update(ctx, ed.ID, ed.Rev, statement.Edit{Core: ed.Core + " Update at 12:00."}, bram)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := e.svc.Submit(ctx, ed.ID, ed.Rev, anna)
	if err != nil {
		t.Fatal(err)
	}
	ap, err := e.svc.Approval(ctx, sub)
	if err != nil || ap.HasApproval {
		t.Errorf("approval after resubmitting = %+v, %v; want none", ap, err)
	}
	if _, err := e.svc.Approve(ctx, sub.ID, sub.Rev, "", bram); code(err) != "own_statement" {
		t.Errorf("an editor approves = %v, want own_statement", err)
	}
	if _, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", TemplateID: "nope"}, anna); code(err) != "unknown_template" {
		t.Errorf("unknown template = %v", err)
	}
	if _, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "de", Core: "Hallo"}, anna); code(err) != "bad_lang" {
		t.Errorf("unknown language = %v", err)
	}
	if _, _, err := e.svc.Create(ctx, inc.ID+10, statement.Draft{Lang: "en", Core: "Hello"}, anna); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown incident = %v", err)
	}
	if _, err := e.svc.Publish(ctx, sub.ID, channels{}, []string{"manual:x"}, anna); code(err) != "not_approved" {
		t.Errorf("publish in review = %v", err)
	}
	if _, err := e.svc.Approve(ctx, sub.ID, sub.Rev, "", mark); err != nil {
		t.Errorf("a third person approves = %v", err)
	}
}

// TestPublishOnce: a failed channel is retried under the same key; a pending one is never repeated; a
// long variant goes out as a thread.
func TestPublishOnce(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, statement.Config{})
	inc := e.declare(t, incident.SeverityMedium)
	st, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en",
		Core: strings.Repeat("We know online banking is down and we are sorry for the trouble it causes. ", 9) +
			"Next update at 11:00 on https://status.example.org."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	st, _ = e.svc.Submit(ctx, st.ID, st.Rev, anna)
	if st, err = e.svc.Approve(ctx, st.ID, st.Rev, "", bram); err != nil {
		t.Fatal(err)
	}
	m := statementtest.NewMastodon("publish-token")
	t.Cleanup(m.Close)
	ch := mastodonChannel(t, m)
	chs := channels{ch}

	m.FailNext(503)
	res, err := e.svc.Publish(ctx, st.ID, chs, []string{ch.ID}, anna)
	if err != nil || len(res) != 1 || res[0].Err == nil || res[0].Publication.Status != store.PublicationFailed {
		t.Fatalf("Publish against a 503 = %+v, %v", res, err)
	}
	if got, _ := e.svc.Statement(ctx, st.ID); got.State != statement.StateApproved {
		t.Errorf("state after a failure %s, want approved", got.State)
	}
	res, err = e.svc.Publish(ctx, st.ID, chs, []string{ch.ID}, anna)
	if err != nil || res[0].Err != nil || res[0].Publication.Status != store.PublicationPublished {
		t.Fatalf("retry = %+v, %v", res, err)
	}
	made := m.Made()
	if len(made) != 2 || len(res[0].Publication.Links) != 2 || made[1]["in_reply_to_id"] == "" {
		t.Fatalf("thread: %d statuses %+v, links %v; want 2, the second replying", len(made), made, res[0].Publication.Links)
	}
	for _, b := range made {
		if n := respond.Count(respond.Mastodon, b["status"]); n.Over() {
			t.Errorf("thread part over the limit: %+v", n)
		}
	}

	// An attempt whose outcome is unknown (written, never finished) is left alone.
	other := statement.Channel{ID: "src-other", Name: "other", Platform: respond.Mastodon, Publisher: ch.Publisher}
	if _, _, err := e.st.BeginPublication(ctx, store.Publication{StatementID: st.ID, Version: st.Version, Channel: other.ID, Platform: "mastodon"}); err != nil {
		t.Fatal(err)
	}
	res, err = e.svc.Publish(ctx, st.ID, channels{ch, other}, []string{other.ID}, anna)
	if err != nil || !res[0].Repeated || res[0].Publication.Status != store.PublicationPending || len(m.Made()) != 2 {
		t.Errorf("publish over a pending attempt = %+v, %v; %d statuses", res, err, len(m.Made()))
	}
	// A person who finds the post on the platform records it; a source channel without a pending
	// attempt cannot be marked by hand.
	if p, err := e.svc.MarkPublished(ctx, st.ID, other.ID, "https://social.example/@gemeente/9", anna); err != nil ||
		p.Status != store.PublicationPublished || p.Links[0] != "https://social.example/@gemeente/9" {
		t.Errorf("marking the pending attempt = %+v, %v", p, err)
	}
	if _, err := e.svc.MarkPublished(ctx, st.ID, "src-never", "https://social.example/@gemeente/10", anna); code(err) != "unknown_channel" {
		t.Errorf("marking a channel never tried = %v, want unknown_channel", err)
	}
	if _, err := e.svc.Publish(ctx, st.ID, chs, []string{"src-gone"}, anna); code(err) != "unknown_channel" {
		t.Errorf("unknown channel = %v", err)
	}
	if _, err := e.svc.Publish(ctx, st.ID, chs, nil, anna); code(err) != "no_channels" {
		t.Errorf("no channels = %v", err)
	}
	if _, err := e.svc.MarkPublished(ctx, st.ID, "manual:x", " ", anna); code(err) != "empty_link" {
		t.Errorf("manual without link = %v", err)
	}
}

// TestCheck: the plan's conduct rules, the incident's SCCT cluster and the consistency across variants.
func TestCheck(t *testing.T) {
	ctx := t.Context()
	rules := respond.Rules{Forbidden: []respond.Term{{Word: "incidentje", Instead: "storing"}}, Jargon: []respond.Term{{Word: "P1"}}}
	e := newEnv(t, statement.Config{Rules: rules})
	inc := e.declare(t, incident.SeverityMedium)
	core := "We know online banking is down since 09:00. That is annoying for everyone who needs it. Next update at 11:00 on https://status.example.org."
	st, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", Core: core}, anna)
	if err != nil {
		t.Fatal(err)
	}
	st.Edits = map[string]string{"x": "Online banking is down since 10:00, a P1 incidentje. Next update at 11:00 on https://status.example.org."}
	c := e.svc.Check(st, inc)
	rulesOf := func(rs []respond.Result) map[string]bool {
		out := map[string]bool{}
		for _, r := range rs {
			for _, f := range r.Findings {
				out[f.Rule] = true
			}
		}
		return out
	}
	got := rulesOf(c.Results)
	for _, r := range []string{respond.RuleForbiddenWord, respond.RuleJargon} {
		if !got[r] {
			t.Errorf("no %s finding in the variants: %+v", r, c.Results)
		}
	}
	if c.Preventable || rulesOf([]respond.Result{c.Core})[respond.RuleNoEmpathy] {
		t.Errorf("an unclassified incident asks for an apology: %+v", c.Core.Findings)
	}
	if !slices.ContainsFunc(c.Inconsistencies, func(i respond.Inconsistency) bool {
		return i.Platform == respond.X && i.Issue == respond.Contradiction
	}) {
		t.Errorf("X says 10:00 where the core says 09:00, but no contradiction: %+v", c.Inconsistencies)
	}
	if c.Errors() == 0 {
		t.Error("Errors() = 0")
	}
	if _, err := e.inc.Classify(ctx, inc.ID, incident.TypeOrganisationalMisdeed, nil, anna.Email); err != nil {
		t.Fatal(err)
	}
	inc, _ = e.st.IncidentByID(ctx, inc.ID)
	c = e.svc.Check(st, inc)
	if !c.Preventable || !rulesOf([]respond.Result{c.Core})[respond.RuleNoEmpathy] {
		t.Errorf("a preventable incident without an apology: preventable %v, findings %+v", c.Preventable, c.Core.Findings)
	}
	// The advice's template kinds come first.
	ts, err := e.svc.Templates(ctx, inc, "en", "", false)
	if err != nil || len(ts) < 2 || ts[0].Kind != respond.KindHolding || ts[1].Kind != respond.KindApology {
		t.Errorf("templates for a preventable incident start %v", ts[:2])
	}
}

func TestIsLegal(t *testing.T) {
	withLegal := plan.Plan{People: []plan.Person{{ID: "mark", Roles: []string{plan.RoleLegal}, Email: "Mark@example.org"},
		{ID: "bram", Roles: []string{plan.RoleCommunications}, Email: "bram@example.org"}}}
	unnamed := plan.Plan{People: []plan.Person{{ID: "mark", Roles: []string{plan.RoleLegal}}}}
	tests := []struct {
		name  string
		p     plan.Plan
		email string
		admin bool
		want  bool
	}{
		{"legal person", withLegal, "mark@example.org", false, true},
		{"other person", withLegal, "bram@example.org", false, false},
		{"admin when legal is named", withLegal, "root@example.org", true, false},
		{"admin when no legal e-mail", unnamed, "root@example.org", true, true},
		{"non-admin when no legal e-mail", unnamed, "bram@example.org", false, false},
	}
	for _, tt := range tests {
		if got := statement.IsLegal(tt.p, tt.email, tt.admin); got != tt.want {
			t.Errorf("%s: IsLegal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMessages(t *testing.T) {
	for _, c := range statement.Codes() {
		// A message takes no argument or one; whichever it takes must format cleanly.
		e := &statement.Error{Code: c}
		if strings.Contains(e.Message("en"), "%!") {
			e.Args = []any{"x"}
		}
		nl, en := e.Message("nl"), e.Message("en")
		if nl == c || en == c || nl == en || strings.Contains(nl+en, "%!") {
			t.Errorf("%s: nl %q, en %q", c, nl, en)
		}
	}
}
