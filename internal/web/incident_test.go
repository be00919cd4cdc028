package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

var incidentPathRE = regexp.MustCompile(`^/incidents/(\d+)$`)

// declareFromAlert stores an alert and declares an incident from it as a responder, returning the
// browser and the room's path.
func declareFromAlert(t *testing.T, h *harness) (*browser, string) {
	t.Helper()
	opened := now.Add(-10 * time.Minute)
	if err := h.st.SaveAlert(context.Background(), store.Alert{ID: "a1", Monitor: "m1", Kind: "volume_spike", Severity: "high",
		Status: store.AlertOpen, Summary: "Volume spike on Acme", OpenedAt: opened, UpdatedAt: opened}); err != nil {
		t.Fatal(err)
	}
	b := h.loggedIn(auth.Responder)
	if r := b.get("/alerts/a1"); !strings.Contains(r.body, `id="declare-incident"`) {
		t.Fatalf("the alert page offers no declare action (%d)", r.status)
	}
	r := b.submit("/incidents", url.Values{"alert": {"a1"}, "title": {"Acme data leak rumour"}})
	if r.status != http.StatusSeeOther || !incidentPathRE.MatchString(r.header.Get("Location")) {
		t.Fatalf("declare: status %d, location %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	return b, r.header.Get("Location")
}

func TestIncidentRoomFlow(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	id := incidentPathRE.FindStringSubmatch(room)[1]

	page := b.get(room)
	for _, want := range []string{"Acme data leak rumour", "Volume spike on Acme", `id="status-responding"`, `id="classify-form"`} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("room lacks %q", want)
		}
	}
	// Declared from a high alert: severity 2, detected when the alert opened, so ten minutes ago.
	if !strings.Contains(page.body, "incident-sev-2") || !strings.Contains(page.body, "0 h 10 min") {
		t.Errorf("room does not show severity 2 and ten minutes since detection")
	}
	// Only the transitions the status machine allows are offered.
	if strings.Contains(page.body, `id="status-reviewed"`) {
		t.Errorf("an investigating incident offers the move to reviewed")
	}

	steps := []struct {
		name, path string
		form       url.Values
		want       string // on the room page afterwards
	}{
		{"classify", "/classify", url.Values{"type": {"organisational_misdeed"}}, `<span id="advice-posture">Rebuild</span>`},
		{"playbook", "/playbook", url.Values{"scenario": {"data_leak"}}, `id="tasks"`},
		{"claim", "/claims", url.Values{"text": {"Customer passwords were leaked"}, "status": {"unverified"}, "owner": {"it"},
			"platform": {"bluesky"}, "post": {"at://did:plc:x/app.bsky.feed.post/1"}}, "Customer passwords were leaked"},
		{"note", "/notes", url.Values{"text": {"Called the hosting provider"}}, "Called the hosting provider"},
		{"role", "/roles", url.Values{"role": {"lead"}, "person": {"lead@example.nl"}}, `id="role-lead"`},
		{"status", "/status", url.Values{"status": {"responding"}}, `<span id="incident-status">Responding</span>`},
		{"severity", "/severity", url.Values{"severity": {"3"}}, "incident-sev-3"},
	}
	for _, st := range steps {
		r := b.submit(room+st.path, st.form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%s", st.name, r.status, r.body)
		}
		if page = b.get(room); !strings.Contains(page.body, st.want) {
			t.Fatalf("%s: room lacks %q", st.name, st.want)
		}
	}
	// Tick the first task of the playbook.
	task := regexp.MustCompile(`action="(/incidents/` + id + `/tasks/\d+)"`).FindStringSubmatch(page.body)
	if task == nil {
		t.Fatal("no task to tick")
	}
	if r := b.submit(task[1], url.Values{"done": {"true"}}); r.status != http.StatusSeeOther {
		t.Fatalf("tick: %d", r.status)
	}
	page = b.get(room)
	timeline := page.body[strings.Index(page.body, `id="timeline"`):]
	for _, want := range []string{"Called the hosting provider", "Customer passwords were leaked", "lead@example.nl", "investigating to responding"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	// Newest first: the tick comes before the note.
	if strings.Index(timeline, "Called the hosting provider") < strings.Index(timeline, "Task done") {
		t.Errorf("timeline is not newest first")
	}

	// Stakeholders from the plan get an "informed at, by whom" mark, which also goes on the timeline.
	who := regexp.MustCompile(`data-stakeholder="(person:[^"]+)"`).FindStringSubmatch(page.body)
	if who == nil {
		t.Fatal("the room lists no team members from the plan")
	}
	if r := b.submit(room+"/stakeholders", url.Values{"stakeholder": {who[1]}}); r.status != http.StatusSeeOther {
		t.Fatalf("mark informed: %d\n%s", r.status, r.body)
	}
	page = b.get(room)
	mark := page.body[strings.Index(page.body, `data-stakeholder="`+who[1]+`"`):]
	mark = mark[:strings.Index(mark, "</li>")]
	if !strings.Contains(mark, "informed") || !strings.Contains(mark, "@example.nl") {
		t.Errorf("stakeholder shows no mark: %s", mark)
	}
	if !strings.Contains(page.body, "Informed: ") {
		t.Errorf("the mark is not on the timeline")
	}
	if r := b.submit(room+"/stakeholders", url.Values{"stakeholder": {"person:nobody"}}); r.status != http.StatusNotFound {
		t.Errorf("marking someone not in the plan: %d, want 404", r.status)
	}

	// A transition the status machine refuses is explained, not applied.
	r := b.submit(room+"/status", url.Values{"status": {"reviewed"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="incident-problem"`) {
		t.Errorf("refused transition: status %d", r.status)
	}

	// The clocks warn and then mark the breach on the injected clock.
	h.clk.Advance(40 * time.Minute)
	if page = b.get(room); !strings.Contains(page.body, `class="clock-warning"`) {
		t.Errorf("no warning 50 minutes after detection")
	}
	h.clk.Advance(20 * time.Minute)
	if page = b.get(room); !strings.Contains(page.body, `id="clock-breach"`) {
		t.Errorf("no breach mark 70 minutes after detection")
	}

	for _, ex := range []struct{ path, ctype string }{{"/export.md", "text/markdown"}, {"/export.html", "text/html"}} {
		r := b.get(room + ex.path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), ex.ctype) ||
			!strings.Contains(r.body, "Called the hosting provider") {
			t.Errorf("export %s: status %d, type %q", ex.path, r.status, r.header.Get("Content-Type"))
		}
	}

	// A viewer follows the room but gets no forms.
	v := h.loggedIn(auth.Viewer)
	if r := v.get(room); r.status != http.StatusOK || strings.Contains(r.body, `id="note-form"`) || !strings.Contains(r.body, "Called the hosting provider") {
		t.Errorf("viewer: status %d, or sees the note form, or misses the timeline", r.status)
	}
	if r := v.get("/incidents"); !strings.Contains(r.body, "Acme data leak rumour") || strings.Contains(r.body, `id="declare-form"`) {
		t.Errorf("viewer's incident list is wrong")
	}
}

func TestIncidentRoomDutch(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	if r := b.submit("/lang", url.Values{"lang": {"nl"}, "next": {room}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch language: %d", r.status)
	}
	if r := b.submit(room+"/classify", url.Values{"type": {"rumour"}}); r.status != http.StatusSeeOther {
		t.Fatalf("classify: %d", r.status)
	}
	page := b.get(room)
	if !strings.Contains(page.body, `id="advice-templates"`) || !strings.Contains(page.body, "/statements/new?template=") {
		t.Errorf("the advice links to no templates")
	} else if link := regexp.MustCompile(`href="(/incidents/\d+/statements/new\?template=[^"]+)"`).FindStringSubmatch(page.body); link == nil {
		t.Errorf("no template link found")
	} else if r := b.get(link[1]); r.status != http.StatusOK {
		t.Errorf("the advice's template link %s answers %d", link[1], r.status)
	}
	for _, want := range []string{"Incidentkamer", "Ontkennen", "Tijdlijn", "Onderzoeken"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("Dutch room lacks %q", want)
		}
	}
}

// TestIncidentAcknowledgeStopsClock: acknowledging a linked alert goes on the incident's timeline and
// stops its time-to-acknowledge clock, which then no longer runs on.
func TestIncidentAcknowledgeStopsClock(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	if page := b.get(room); !strings.Contains(page.body, "not acknowledged yet") {
		t.Fatal("a new incident from an unacknowledged alert says it is acknowledged")
	}
	h.clk.Advance(7 * time.Minute)
	if r := b.submit("/alerts/a1/ack", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", r.status)
	}
	h.clk.Advance(30 * time.Minute)
	page := b.get(room)
	ack := page.body[strings.Index(page.body, `id="clock-ack"`):]
	ack = ack[:strings.Index(ack, "</dd>")]
	// Detected ten minutes before declaring, acknowledged seven minutes after.
	if !strings.Contains(ack, "0 h 17 min") || strings.Contains(ack, "not acknowledged") {
		t.Errorf("time to acknowledge: %s", ack)
	}
	timeline := page.body[strings.Index(page.body, `id="timeline"`):]
	if !strings.Contains(timeline, "entry-acknowledged") {
		t.Errorf("the acknowledgement is not on the timeline")
	}
}

// TestIncidentDeclareByHand: the form on /incidents declares with several alerts, or none.
func TestIncidentDeclareByHand(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i, id := range []string{"a1", "a2"} {
		at := now.Add(-time.Duration(20-10*i) * time.Minute)
		if err := h.st.SaveAlert(ctx, store.Alert{ID: id, Monitor: "m1", Kind: "volume_spike", Severity: "medium",
			Status: store.AlertOpen, Summary: "Spike " + id, OpenedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	b := h.loggedIn(auth.Responder)
	tests := []struct {
		name, alerts string
		status       int
		linked       []string
	}{
		{"two alerts", "a1, a2", http.StatusSeeOther, []string{"Spike a1", "Spike a2"}},
		{"by hand", "", http.StatusSeeOther, nil},
		{"unknown alert", "a1 nope", http.StatusUnprocessableEntity, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.submit("/incidents", url.Values{"title": {tc.name}, "severity": {"3"}, "lang": {"en"}, "alert": {tc.alerts}})
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tc.status, r.body)
			}
			if r.status != http.StatusSeeOther {
				return
			}
			page := b.get(r.header.Get("Location"))
			for _, want := range tc.linked {
				if !strings.Contains(page.body, want) {
					t.Errorf("room lacks linked alert %q", want)
				}
			}
			if len(tc.linked) == 0 && !strings.Contains(page.body, "No alerts linked.") {
				t.Errorf("an incident declared by hand shows linked alerts")
			}
		})
	}
	// Detected when the earliest alert opened: twenty minutes before now.
	if page := b.get("/incidents"); !strings.Contains(page.body, "0 h 20 min") {
		t.Errorf("the list does not time the two-alert incident from its earliest alert")
	}
}

// TestIncidentFromAcknowledgedAlert: declaring from an alert someone already acknowledged does not
// leave the time-to-acknowledge clock running.
func TestIncidentFromAcknowledgedAlert(t *testing.T) {
	h := newHarness(t)
	opened := now.Add(-10 * time.Minute)
	if err := h.st.SaveAlert(context.Background(), store.Alert{ID: "a1", Monitor: "m1", Kind: "volume_spike", Severity: "high",
		Status: store.AlertOpen, Summary: "Volume spike", OpenedAt: opened, UpdatedAt: opened}); err != nil {
		t.Fatal(err)
	}
	if err := h.st.AcknowledgeAlert(context.Background(), "a1", "early@example.nl", now.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	b := h.loggedIn(auth.Responder)
	r := b.submit("/incidents", url.Values{"alert": {"a1"}, "title": {"Acknowledged first"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("declare: %d", r.status)
	}
	h.clk.Advance(30 * time.Minute)
	page := b.get(r.header.Get("Location"))
	ack := page.body[strings.Index(page.body, `id="clock-ack"`):]
	ack = ack[:strings.Index(ack, "</dd>")]
	if strings.Contains(ack, "not acknowledged") || !strings.Contains(ack, "0 h 10 min") {
		t.Errorf("time to acknowledge: %s", ack)
	}
	if !strings.Contains(page.body, "early@example.nl") {
		t.Errorf("the room does not say who acknowledged")
	}
}
