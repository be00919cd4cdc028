package slack_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/slack"
)

func message(lang, to string) notify.Message {
	return notify.Message{
		AlertID: "al-1", Monitor: "bank", Kind: "volume_spike", Severity: "high", Status: "firing",
		Summary: "120 posts <@channel> & more", Link: "https://c.example.org/alerts/al-1", AckLink: "https://c.example.org/ack/t",
		Lang: lang, Recipient: "Anna", To: to, Step: 0, At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), IdempotencyKey: "k",
	}
}

// decode round-trips v through JSON, as the receiver sees it.
func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

func TestPayloads(t *testing.T) {
	tests := []struct {
		name    string
		flavour string
		msg     notify.Message
		want    string
	}{
		{"slack blocks with a mention, escaped", slack.Slack, message("en", "U012AB3CD"), `{
			"text": "<@U012AB3CD> [high] crisisdesk: 120 posts &lt;@channel&gt; &amp; more",
			"blocks": [
				{"type": "header", "text": {"type": "plain_text", "text": "crisisdesk alert: high"}},
				{"type": "section", "text": {"type": "mrkdwn", "text": "<@U012AB3CD> 120 posts &lt;@channel&gt; &amp; more"}},
				{"type": "context", "elements": [{"type": "mrkdwn", "text": "Severity: high · Monitor: bank · Kind: volume_spike · Escalation step: 1"}]},
				{"type": "actions", "elements": [
					{"type": "button", "style": "primary", "url": "https://c.example.org/ack/t", "text": {"type": "plain_text", "text": "Acknowledge"}},
					{"type": "button", "url": "https://c.example.org/alerts/al-1", "text": {"type": "plain_text", "text": "Open the alert"}}
				]}
			]}`},
		{"mattermost in Dutch", slack.Mattermost, message("nl", "anna"), `{
			"text": "@anna [hoog] crisisdesk: 120 posts <@channel> & more",
			"attachments": [{
				"fallback": "[hoog] crisisdesk: 120 posts <@channel> & more", "color": "#e8590c",
				"title": "crisisdesk-melding: hoog", "title_link": "https://c.example.org/alerts/al-1",
				"text": "120 posts <@channel> & more\nErnst: hoog · Monitor: bank · Soort: volume_spike · Escalatiestap: 1\n[Bevestigen](https://c.example.org/ack/t) · [Melding openen](https://c.example.org/alerts/al-1)"
			}]}`},
		{"rocket.chat to a room", slack.RocketChat, message("en", ""), `{
			"text": "[high] crisisdesk: 120 posts <@channel> & more",
			"attachments": [{
				"fallback": "[high] crisisdesk: 120 posts <@channel> & more", "color": "#e8590c",
				"title": "crisisdesk alert: high", "title_link": "https://c.example.org/alerts/al-1",
				"text": "120 posts <@channel> & more\nSeverity: high · Monitor: bank · Kind: volume_spike · Escalation step: 1\n[Acknowledge](https://c.example.org/ack/t) · [Open the alert](https://c.example.org/alerts/al-1)"
			}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := notifytest.NewReceiver(t, nil)
			w, err := slack.New(slack.Config{URL: rc.URL + "/services/T000/B000/XXXX", Flavour: tt.flavour}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Notify(t.Context(), tt.msg); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			reqs := rc.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if got, want := decode(t, reqs[0].Body), decode(t, []byte(tt.want)); !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("payload:\n%s", g)
			}
		})
	}
}

func TestSlackErrors(t *testing.T) {
	tests := []struct {
		status        int
		body          string // what Slack says with it, to name the case
		wantRetryable bool
	}{
		{http.StatusBadRequest, "invalid_payload", false},
		{http.StatusNotFound, "no_service", false},
		{http.StatusGone, "channel_is_archived", false},
		{http.StatusTooManyRequests, "rate_limited", true},
		{http.StatusInternalServerError, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			srv := notifytest.NewReceiver(t, func(int, *http.Request, []byte) (int, http.Header) { return tt.status, nil })
			w, err := slack.New(slack.Config{URL: srv.URL + "/services/T/B/secret"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			retryable, err := w.Notify(t.Context(), message("en", ""))
			if err == nil || retryable != tt.wantRetryable {
				t.Errorf("Notify = %v, %v; want retryable %v", retryable, err, tt.wantRetryable)
			}
		})
	}
	if _, err := slack.New(slack.Config{URL: "https://hooks.example.org/x", Flavour: "irc"}, nil); err == nil {
		t.Error("an unknown flavour was accepted")
	}
}
