package webhook_test

import (
	"encoding/json"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
)

// TestUpdateAndResolvedEvents: the notices that follow a page say what they are, carry the page's
// alert id and the key of the page they follow, and an update its number.
func TestUpdateAndResolvedEvents(t *testing.T) {
	rc := notifytest.NewReceiver(t, nil)
	w, err := webhook.New(webhook.Config{URL: rc.URL + "/hook", Secret: secret}, nil, clock.NewSim(t0))
	if err != nil {
		t.Fatal(err)
	}
	update := message()
	update.Status, update.Step, update.Update, update.InReplyTo, update.AckLink, update.IdempotencyKey = "updated", -2, 1, "k1", "", "k2"
	resolved := message()
	resolved.Status, resolved.Step, resolved.InReplyTo, resolved.AckLink, resolved.IdempotencyKey = "resolved", -1, "k1", "", "k3"
	if _, err := w.Notify(t.Context(), update); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Notify(t.Context(), resolved); err != nil {
		t.Fatal(err)
	}
	reqs := rc.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	tests := []struct {
		event     string
		updateSeq any // nil: absent
	}{{"update", float64(1)}, {"resolved", nil}}
	for i, tt := range tests {
		if err := webhook.Verify(secret, reqs[i].Header.Get(webhook.SignatureHeader), reqs[i].Body, t0, webhook.DefaultTolerance); err != nil {
			t.Errorf("%s: Verify: %v", tt.event, err)
		}
		var got map[string]any
		if err := json.Unmarshal(reqs[i].Body, &got); err != nil {
			t.Fatal(err)
		}
		if got["event"] != tt.event || got["alert_id"] != "al-1" || got["in_reply_to"] != "k1" || got["update_seq"] != tt.updateSeq {
			t.Errorf("%s: payload %v", tt.event, got)
		}
		if _, ok := got["ack_link"]; ok {
			t.Errorf("%s: an ack link in a follow-up: %v", tt.event, got)
		}
	}
}
