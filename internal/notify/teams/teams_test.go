package teams_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/teams"
)

func TestAdaptiveCardPayload(t *testing.T) {
	// A workflow answers 202 Accepted.
	rc := notifytest.NewReceiver(t, func(int, *http.Request, []byte) (int, http.Header) { return http.StatusAccepted, nil })
	w, err := teams.New(rc.URL+"/workflows/abc/triggers/manual/paths/invoke?sig=secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := notify.Message{
		AlertID: "al-1", Monitor: "bank", Kind: "viral_post", Severity: "critical", Status: "firing",
		Summary: "Bericht verspreidt zich snel", Link: "https://c.example.org/alerts/al-1", AckLink: "https://c.example.org/ack/t",
		AckExpires: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), Lang: "nl", Recipient: "Bram", Step: 2,
		At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), IdempotencyKey: "k",
	}
	if retryable, err := w.Notify(t.Context(), m); err != nil {
		t.Fatalf("Notify: %v %v", retryable, err)
	}
	reqs := rc.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	want := `{
		"type": "message",
		"attachments": [{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl": null,
			"content": {
				"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
				"type": "AdaptiveCard",
				"version": "1.4",
				"body": [
					{"type": "TextBlock", "text": "crisisdesk-melding: KRITIEK", "weight": "Bolder", "size": "Medium", "color": "Attention", "wrap": true},
					{"type": "TextBlock", "text": "Bericht verspreidt zich snel", "wrap": true},
					{"type": "FactSet", "facts": [
						{"title": "Ernst", "value": "KRITIEK"}, {"title": "Monitor", "value": "bank"},
						{"title": "Soort", "value": "viral_post"}, {"title": "Escalatiestap", "value": "3"}
					]},
					{"type": "TextBlock", "text": "Voor Bram", "isSubtle": true, "wrap": true},
					{"type": "TextBlock", "text": "De bevestigingslink werkt één keer, zonder in te loggen, tot 21 november 2026 09:00 UTC.", "isSubtle": true, "size": "Small", "wrap": true}
				],
				"actions": [
					{"type": "Action.OpenUrl", "title": "Bevestigen", "url": "https://c.example.org/ack/t", "style": "positive"},
					{"type": "Action.OpenUrl", "title": "Melding openen", "url": "https://c.example.org/alerts/al-1"}
				]
			}
		}]
	}`
	var got, wantV any
	if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantV) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("payload:\n%s", g)
	}
}

func TestNewRejectsNonHTTP(t *testing.T) {
	if _, err := teams.New("mailto:x@example.org", nil); err == nil {
		t.Error("a mailto URL was accepted")
	}
}
