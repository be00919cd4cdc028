package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// crisisPosts is a burst that raises an alert on a monitor for "acme": a damning post by a verified
// newsroom with a large following, and complaints from customers.
func crisisPosts(prefix string, at time.Time) []post.Post {
	ps := []post.Post{{
		ID: prefix + "-press", Platform: "bluesky", CreatedAt: at, Lang: "en",
		Text:   "Acme data breach: customer passwords leaked, a terrible and outrageous failure",
		Author: post.Author{ID: "did:plc:newsroom", Handle: "newsroom.example", Name: "Newsroom", Followers: 850000, Kind: "press", Verified: true},
	}}
	for i := range 30 {
		ps = append(ps, post.Post{
			ID: prefix + "-c" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Platform: "mastodon", CreatedAt: at, Lang: "en",
			Text:   "Acme leaked my data, this is awful and I want answers now",
			Author: post.Author{ID: "user" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Handle: "customer", Followers: 100},
		})
	}
	return ps
}

// ingestBurst sends posts through the API as a connector would.
func (h *harness) ingestBurst(posts []post.Post) {
	h.t.Helper()
	var body bytes.Buffer
	for _, p := range posts {
		if err := json.NewEncoder(&body).Encode(p); err != nil {
			h.t.Fatal(err)
		}
	}
	if r := h.api("POST", "/api/v1/posts", h.token(h.user(auth.Responder)), "application/x-ndjson", &body); r.status != http.StatusOK {
		h.t.Fatalf("ingest: %d %s", r.status, r.body)
	}
}

func (h *harness) acmeMonitor() store.Monitor {
	h.t.Helper()
	m, err := h.web.deps.Monitors.Create(context.Background(), "Acme", "acme", true, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// onlyAlert returns the most recently updated stored alert; a burst may raise more than one.
func (h *harness) onlyAlert() store.Alert {
	h.t.Helper()
	as, err := h.st.Alerts(context.Background(), store.AlertQuery{})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(as) == 0 {
		h.t.Fatal("no alert was raised")
	}
	return as[0]
}

// sseReader reads one event stream; next returns the next event's name and data.
type sseReader struct {
	resp *http.Response
	sc   *bufio.Scanner
}

func (h *harness) openEvents(b *browser) *sseReader {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.srv.URL+"/alerts/events", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		h.t.Fatalf("event stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return &sseReader{resp: resp, sc: bufio.NewScanner(resp.Body)}
}

func (r *sseReader) next() (event, data string, ok bool) {
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case line == "" && event != "":
			return event, data, true
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
	return "", "", false
}

func TestAlertFlow(t *testing.T) {
	h := newHarness(t)
	m := h.acmeMonitor()
	viewer := h.loggedIn(auth.Viewer)
	responder := h.loggedIn(auth.Responder)
	stream := h.openEvents(viewer)
	for h.alerts.hub.Subscribers() == 0 {
		time.Sleep(time.Millisecond) // the handler subscribes just after sending its headers
	}

	h.ingestBurst(crisisPosts("a", now))
	a := h.onlyAlert()
	if a.Monitor != m.ID || a.Status != store.AlertOpen {
		t.Fatalf("alert %+v", a)
	}

	// The open stream got it without asking.
	done := make(chan struct{})
	var event, data string
	go func() {
		defer close(done)
		event, data, _ = stream.next()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no event on the stream")
	}
	var pushed alertView
	if err := json.Unmarshal([]byte(data), &pushed); err != nil || event != "alert" {
		t.Fatalf("event %q data %q: %v", event, data, err)
	}
	if pushed.MonitorName != "Acme" || pushed.Status != "open" || pushed.SevLabel == "" || pushed.Summary == "" {
		t.Fatalf("pushed %+v", pushed)
	}

	list := viewer.get("/alerts")
	detail := viewer.get("/alerts/" + a.ID)
	for _, c := range []struct {
		page, name, want string
	}{
		{list.body, "list", `href="/alerts/` + a.ID + `"`},
		{list.body, "list", "Acme"},
		{list.body, "list: protocol text from the plan", "What each severity means"},
		{detail.body, "detail", "Why it fired"},
		{detail.body, "detail", "Observed"},
		{detail.body, "detail: in-app page queued", "inapp"},
	} {
		if !strings.Contains(c.page, c.want) {
			t.Errorf("%s lacks %q", c.name, c.want)
		}
	}
	if strings.Contains(detail.body, `action="/alerts/`+a.ID+`/ack"`) {
		t.Error("a viewer is offered the acknowledge button")
	}

	for _, step := range []struct {
		path string
		form url.Values
		want func(store.Alert) bool
	}{
		{"/alerts/" + a.ID + "/ack", nil, func(a store.Alert) bool {
			return strings.HasPrefix(a.AckedBy, "responder-") && a.Status == store.AlertOpen
		}},
		{"/alerts/" + a.ID + "/silence", url.Values{"hours": {"4"}, "scope": {"kind"}, "comment": {"press conference"}}, func(store.Alert) bool { return true }},
		{"/alerts/" + a.ID + "/resolve", nil, func(a store.Alert) bool {
			return a.Status == store.AlertResolved && strings.HasPrefix(a.ResolvedBy, "responder-")
		}},
	} {
		r := responder.submit(step.path, step.form)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/alerts/"+a.ID+"?done=") {
			t.Fatalf("POST %s: %d %s", step.path, r.status, r.header.Get("Location"))
		}
		got, err := h.st.AlertByID(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !step.want(got) {
			t.Fatalf("after POST %s: %+v", step.path, got)
		}
		// Every change reaches the live pages.
		if ev, _, ok := stream.next(); !ok || ev != "alert" {
			t.Fatalf("after POST %s: no event on the stream", step.path)
		}
	}
	sil, err := h.st.Silences(context.Background(), h.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(sil) != 1 || sil[0].Monitor != m.ID || sil[0].Kind != a.Kind || sil[0].Comment != "press conference" ||
		!sil[0].End.Equal(h.clk.Now().Add(4*time.Hour)) {
		t.Fatalf("silences %+v", sil)
	}
	esc, err := h.st.EscalationByAlert(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if esc.State != store.EscalationAcked {
		t.Errorf("escalation %s after acknowledging, want acked", esc.State)
	}
	// The silence is listed, and ending it ends it in the store.
	if page := responder.get("/alerts"); !strings.Contains(page.body, `data-silence="`+sil[0].ID+`"`) || !strings.Contains(page.body, "press conference") {
		t.Error("the alerts page does not list the silence")
	}
	if r := viewer.submit("/alerts/silences/"+sil[0].ID+"/end", nil); r.status != http.StatusForbidden {
		t.Errorf("a viewer ended a silence: %d", r.status)
	}
	if r := responder.submit("/alerts/silences/"+sil[0].ID+"/end", nil); r.status != http.StatusSeeOther {
		t.Fatalf("end silence: %d", r.status)
	}
	if sil, err := h.st.Silences(context.Background(), h.clk.Now()); err != nil || len(sil) != 0 {
		t.Fatalf("silences after ending: %+v, %v", sil, err)
	}
	for _, bad := range []string{"0", "337", "many"} {
		if r := responder.submit("/alerts/"+a.ID+"/silence", url.Values{"hours": {bad}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("silence for %q hours: %d, want 422", bad, r.status)
		}
	}

	api := h.api("GET", "/api/v1/alerts?status=resolved", h.token(h.user(auth.Viewer)), "", nil)
	var out struct {
		Alerts []apiAlert `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(api.body), &out); err != nil || api.status != http.StatusOK {
		t.Fatalf("api: %d %s", api.status, api.body)
	}
	if len(out.Alerts) != 1 || out.Alerts[0].ID != a.ID || out.Alerts[0].Explanation == nil || out.Alerts[0].MonitorName != "Acme" {
		t.Fatalf("api alerts %+v", out.Alerts)
	}
	if r := h.api("GET", "/api/v1/alerts?status=maybe", h.token(h.user(auth.Viewer)), "", nil); r.status != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", r.status)
	}
}

// ackToken takes the acknowledge link's token out of the alert's first queued page.
func (h *harness) ackToken(alertID string) string {
	h.t.Helper()
	ns, err := h.st.NotificationsByAlert(context.Background(), alertID)
	if err != nil || len(ns) == 0 {
		h.t.Fatalf("no page queued for %s: %v", alertID, err)
	}
	var m notify.Message
	if err := json.Unmarshal(ns[0].Payload, &m); err != nil {
		h.t.Fatal(err)
	}
	token, ok := strings.CutPrefix(m.AckLink, "http://crisisdesk.test/ack/")
	if !ok || token == "" {
		h.t.Fatalf("ack link %q", m.AckLink)
	}
	return token
}

func TestAckLink(t *testing.T) {
	h := newHarness(t)
	h.acmeMonitor()
	h.ingestBurst(crisisPosts("k", now))
	a := h.onlyAlert()
	token := h.ackToken(a.ID)

	visitor := h.browser()
	for _, path := range []string{"/ack/" + token, "/ack?token=" + url.QueryEscape(token)} {
		r := visitor.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, `name="token" value="`+token+`"`) {
			t.Fatalf("GET %s: %d, want the confirmation form\n%.600s", path, r.status, r.body)
		}
	}
	// Fetching the link, as a mail scanner does, acknowledged nothing.
	if got, _ := h.st.AlertByID(context.Background(), a.ID); got.AckedBy != "" {
		t.Fatalf("a GET acknowledged the alert: %+v", got)
	}

	tests := []struct {
		name   string
		token  string
		status int
		want   string
	}{
		{"confirm", token, http.StatusOK, "the alert is acknowledged"},
		{"again", token, http.StatusConflict, "already used"},
		{"forged", token[:len(token)-2] + "xx", http.StatusNotFound, "not valid"},
		{"empty", "", http.StatusNotFound, "not valid"},
	}
	for _, tt := range tests {
		r := visitor.submit("/ack", url.Values{"token": {tt.token}})
		if r.status != tt.status || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%.600s", tt.name, r.status, tt.status, tt.want, r.body)
		}
	}
	got, err := h.st.AlertByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AckedBy != "anna" || !got.AckedAt.Equal(h.clk.Now()) {
		t.Fatalf("after the link: acked by %q at %v", got.AckedBy, got.AckedAt)
	}
}

// TestAlertEventsEnd: a stream ends when the hub closes at shutdown, and the handler unsubscribes when
// the browser goes away.
func TestAlertEventsEnd(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Viewer)

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+"/alerts/events", nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	for h.alerts.hub.Subscribers() != 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	resp.Body.Close()
	for h.alerts.hub.Subscribers() != 0 {
		time.Sleep(time.Millisecond)
	}

	stream := h.openEvents(b)
	for h.alerts.hub.Subscribers() != 1 {
		time.Sleep(time.Millisecond)
	}
	h.alerts.hub.Close()
	if ev, _, ok := stream.next(); ok {
		t.Fatalf("stream went on after the hub closed: %q", ev)
	}
}

func TestAlertHubDropsSlowSubscriber(t *testing.T) {
	hub := NewAlertHub()
	slow, cancelSlow := hub.Subscribe()
	defer cancelSlow()
	fast, cancelFast := hub.Subscribe()
	defer cancelFast()
	for i := range hubBuffer + 1 {
		hub.Publish(store.Alert{ID: string(rune('a' + i%26))})
		<-fast
	}
	n := 0
	for range slow {
		n++
	}
	if n != hubBuffer {
		t.Fatalf("slow subscriber got %d before being dropped, want %d", n, hubBuffer)
	}
	if hub.Subscribers() != 1 {
		t.Fatalf("%d subscribers, want the fast one only", hub.Subscribers())
	}
	hub.Close()
	if _, ok := <-fast; ok {
		t.Fatal("Close left a subscription open")
	}
	late, _ := hub.Subscribe()
	if _, ok := <-late; ok {
		t.Fatal("a subscription to a closed hub is open")
	}
}
