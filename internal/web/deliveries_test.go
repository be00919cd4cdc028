package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestDeadLetterRetry follows a notification that the receiver refuses for good into the dead-letter
// list, and, once retried by an admin, to exactly one delivery at a loopback receiver.
func TestDeadLetterRetry(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	var refuse atomic.Bool
	var requests, delivered atomic.Int32
	refuse.Store(true)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if refuse.Load() {
			http.Error(w, "gone", http.StatusGone)
			return
		}
		delivered.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	const secretPath = "/hooks/T0001/B0001/s3cr3t-t0k3n"
	hook, err := webhook.New(webhook.Config{URL: recv.URL + secretPath, Secret: []byte("signing key of the test receiver")}, recv.Client(), h.clk)
	if err != nil {
		t.Fatal(err)
	}
	retry, err := notify.NewRetry(notify.DefaultBackoff(), h.clk, func() float64 { return 0.5 })
	if err != nil {
		t.Fatal(err)
	}
	worker, err := notify.NewWorker(notify.DefaultWorkerConfig("test"), h.st, map[string]notify.Integration{"hook": hook},
		retry, h.clk, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}

	msg := notify.Message{AlertID: "alert-1", Monitor: "m1", Kind: "volume", Severity: "high", Status: "firing",
		Summary: "Volume spike", Link: "http://crisis.example/alerts/alert-1", Lang: "en", Recipient: "Anna", At: now}
	payload, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	n := &store.Notification{AlertID: "alert-1", Step: 0, Recipient: "anna", Channel: "hook", Payload: payload, NextAt: now, CreatedAt: now}
	if _, err := h.st.EnqueueNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := requests.Load(); got != 1 {
		t.Fatalf("requests before the retry = %d, want 1", got)
	}

	// A responder sees the dead letter, without the webhook's address and without a retry button.
	page := h.loggedIn(auth.Responder).get("/admin/deliveries")
	if page.status != http.StatusOK {
		t.Fatalf("GET /admin/deliveries: %d", page.status)
	}
	for _, w := range []string{"alert-1", "anna", "hook"} {
		if !strings.Contains(page.body, w) {
			t.Errorf("the dead-letter list lacks %q", w)
		}
	}
	for _, nw := range []string{"s3cr3t", "signing key of", "/retry"} {
		if strings.Contains(page.body, nw) {
			t.Errorf("the responder's dead-letter list shows %q", nw)
		}
	}

	// The admin retries it once the receiver works again.
	refuse.Store(false)
	admin := h.loggedIn(auth.Admin)
	if !strings.Contains(admin.get("/admin/deliveries").body, "/admin/deliveries/") {
		t.Fatal("the admin's dead-letter list has no retry button")
	}
	path := "/admin/deliveries/" + itoa(n.ID) + "/retry"
	r := admin.submit(path, url.Values{})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/deliveries?done=retried" {
		t.Fatalf("retry: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := admin.submit(path, url.Values{}); r.header.Get("Location") != "/admin/deliveries?done=gone" {
		t.Fatalf("second retry: sent to %q, want the list saying it is gone", r.header.Get("Location"))
	}
	for range 3 {
		if _, err := worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := delivered.Load(); got != 1 {
		t.Fatalf("deliveries after the retry = %d, want exactly 1", got)
	}
	ns, err := h.st.NotificationsByAlert(ctx, "alert-1")
	if err != nil || len(ns) != 1 || ns[0].State != store.NotificationDelivered {
		t.Fatalf("notification after the retry: %+v, %v", ns, err)
	}
	if body := admin.get("/admin/deliveries?done=retried").body; !strings.Contains(body, "Every notification was delivered") {
		t.Error("the dead-letter list still lists the delivered notification")
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestRedactURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"connection refused", "connection refused"},
		{`Post "https://hooks.slack.com/services/T0/B0/XYZ": dial tcp: timeout`, `Post "https://hooks.slack.com/…": dial tcp: timeout`},
		{"smtp://user:pa55@mail.example.nl:587/ refused", "smtp://mail.example.nl:587/… refused"},
		{"https://prod.westeurope.logic.azure.com:443/workflows/abc?sig=secret then http://x.nl?k=v", "https://prod.westeurope.logic.azure.com:443/… then http://x.nl/…"},
	}
	for _, tt := range tests {
		if got := redactURLs(tt.in); got != tt.want {
			t.Errorf("redactURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRedactURLs(f *testing.F) {
	f.Add(`Post "https://hooks.slack.com/services/T0/B0/XYZ": EOF`)
	f.Add("smtp://user:pa55@mail.example.nl:587/x")
	f.Add("no address at all")
	f.Fuzz(func(t *testing.T, s string) {
		out := redactURLs(s)
		// Whatever comes back, no address in it keeps a path, query or credentials.
		for _, m := range urlRE.FindAllStringSubmatch(out, -1) {
			if m[2] != "" || !strings.HasSuffix(m[0], "/…") && !strings.HasSuffix(m[0], m[3]) {
				t.Fatalf("redactURLs(%q) = %q keeps %q", s, out, m[0])
			}
		}
		if redactURLs(out) != out {
			t.Fatalf("redactURLs is not stable on %q: %q then %q", s, out, redactURLs(out))
		}
	})
}
