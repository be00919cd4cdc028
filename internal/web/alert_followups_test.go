package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestAlertShowsFollowUpNotices: the alert's delivery table names an update notice and a resolution
// notice for what they are, and a notice said once on a shared channel as meant for everyone there.
func TestAlertShowsFollowUpNotices(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.SaveAlert(ctx, store.Alert{ID: "al-followups", Monitor: "m1", Kind: "volume_spike", Severity: "high",
		Status: store.AlertOpen, Summary: "Volume spike", OpenedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []store.Notification{
		{Step: 0, Recipient: "anna", Channel: "email"},
		{Step: -2, Recipient: "", Channel: "slack"},
		{Step: -1, Recipient: "anna", Channel: "email"},
	} {
		n.AlertID, n.Payload, n.NextAt, n.CreatedAt = "al-followups", []byte(`{}`), now, now
		if _, err := h.st.EnqueueNotification(ctx, &n); err != nil {
			t.Fatal(err)
		}
	}
	page := h.loggedIn(auth.Viewer).get("/alerts/al-followups")
	if page.status != http.StatusOK {
		t.Fatalf("GET the alert: %d", page.status)
	}
	for _, w := range []string{"Update notice", "Resolution notice", "Everyone on the channel"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("the alert page lacks %q", w)
		}
	}
}

// TestDeadRoomNoticeNamesTheChannel: a notice meant for everyone on a shared channel that could not be
// delivered shows on the dead-letter list as such, not with an empty recipient.
func TestDeadRoomNoticeNamesTheChannel(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	n := store.Notification{AlertID: "al-room", Step: -2, Channel: "slack", Payload: []byte(`{}`), NextAt: now, CreatedAt: now}
	if _, err := h.st.EnqueueNotification(ctx, &n); err != nil {
		t.Fatal(err)
	}
	claimed, err := h.st.ClaimNotifications(ctx, now, "test", time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v, %v", claimed, err)
	}
	if err := h.st.FinishNotification(ctx, claimed[0].ID, "test", store.NotificationResult{State: store.NotificationDead,
		NextAt: now, Error: "slack answered 404", At: now}); err != nil {
		t.Fatal(err)
	}
	page := h.loggedIn(auth.Responder).get("/admin/deliveries")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Everyone on the channel") {
		t.Errorf("GET /admin/deliveries: %d; the room notice is not named as one:\n%s", page.status, page.body)
	}
}

// TestAlertShowsEachPolicysEscalation: an alert two policies page shows how far each has come.
func TestAlertShowsEachPolicysEscalation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.st.SaveAlert(ctx, store.Alert{ID: "al-two", Monitor: "m1", Kind: "volume_spike", Severity: "high",
		Status: store.AlertOpen, Summary: "Volume spike", OpenedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	twoSteps := func(name string) []byte {
		return []byte(`{"policy":{"name":"` + name + `","repeat":1,"steps":[{"wait":600000000000},{"wait":600000000000}]}}`)
	}
	for _, e := range []store.Escalation{
		{AlertID: "al-two", PolicyKey: "comms", Policy: twoSteps("Communications"), State: store.EscalationActive, NextSeq: 1, NextAt: now.Add(10 * time.Minute), StartedAt: now},
		{AlertID: "al-two", PolicyKey: "legal", Policy: twoSteps("Legal"), State: store.EscalationActive, NextSeq: 1, NextAt: now.Add(30 * time.Minute), StartedAt: now},
	} {
		if _, err := h.st.StartEscalation(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.st.AdvanceEscalation(ctx, "al-two", "legal", 1, 2, now, store.EscalationExhausted, now); err != nil {
		t.Fatal(err)
	}
	page := h.loggedIn(auth.Viewer).get("/alerts/al-two")
	if page.status != http.StatusOK {
		t.Fatalf("GET the alert: %d", page.status)
	}
	for _, w := range []string{"Communications", "Running", "1 / 2", "Legal", "Ended without an acknowledgement", "2 / 2"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("the alert page lacks %q", w)
		}
	}
}
