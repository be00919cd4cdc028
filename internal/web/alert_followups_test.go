package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

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
