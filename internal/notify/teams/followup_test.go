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

// TestFollowUpIsOneLine: an update is a card with one line and a link to the alert.
func TestFollowUpIsOneLine(t *testing.T) {
	rc := notifytest.NewReceiver(t, func(int, *http.Request, []byte) (int, http.Header) { return http.StatusAccepted, nil })
	w, err := teams.New(rc.URL+"/workflows/abc/triggers/manual/paths/invoke?sig=secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := notify.Message{
		AlertID: "al-1", Monitor: "bank", Kind: "viral_post", Severity: "critical", Status: "updated",
		Summary: "Bericht verspreidt zich verder", Link: "https://c.example.org/alerts/al-1", Lang: "nl", Step: -3,
		At: time.Date(2026, 11, 20, 9, 10, 0, 0, time.UTC), IdempotencyKey: "k2", InReplyTo: "k", Update: 1,
	}
	if _, err := w.Notify(t.Context(), m); err != nil {
		t.Fatalf("Notify: %v", err)
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
				"body": [{"type": "TextBlock", "text": "Update: [KRITIEK] crisisdesk: Bericht verspreidt zich verder", "wrap": true}],
				"actions": [{"type": "Action.OpenUrl", "title": "Melding openen", "url": "https://c.example.org/alerts/al-1"}]
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
