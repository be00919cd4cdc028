package webhook_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
)

var (
	secret = []byte("0123456789abcdef-test-secret")
	t0     = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
)

func message() notify.Message {
	return notify.Message{
		AlertID: "al-1", Monitor: "bank", Kind: "category:data_breach", Severity: "critical", Status: "firing",
		Summary: "Mogelijk datalek", Link: "https://crisis.example.org/alerts/al-1", AckLink: "https://crisis.example.org/ack/x.y",
		Lang: "nl", Recipient: "Anna", To: "anna", Step: 0, At: t0, IdempotencyKey: "k1",
	}
}

func TestPayloadSignatureAndIdempotencyKey(t *testing.T) {
	rc := notifytest.NewReceiver(t, nil)
	c := clock.NewSim(t0)
	w, err := webhook.New(webhook.Config{URL: rc.URL + "/hooks/crisis?token=secret-in-url", Secret: secret}, nil, c)
	if err != nil {
		t.Fatal(err)
	}
	if retryable, err := w.Notify(t.Context(), message()); err != nil {
		t.Fatalf("Notify: %v %v", retryable, err)
	}
	reqs := rc.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if got := r.Header.Get("Idempotency-Key"); got != "k1" {
		t.Errorf("Idempotency-Key = %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	sig := r.Header.Get(webhook.SignatureHeader)
	if want := fmt.Sprintf("t=%d,v1=", t0.Unix()); !strings.HasPrefix(sig, want) {
		t.Errorf("signature header %q does not start with %q", sig, want)
	}
	if err := webhook.Verify(secret, sig, r.Body, t0.Add(time.Minute), webhook.DefaultTolerance); err != nil {
		t.Errorf("Verify of the sent request: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"version": "1", "idempotency_key": "k1", "alert_id": "al-1", "status": "firing", "monitor": "bank",
		"kind": "category:data_breach", "severity": "critical", "summary": "Mogelijk datalek", "lang": "nl",
		"link": "https://crisis.example.org/alerts/al-1", "ack_link": "https://crisis.example.org/ack/x.y",
		"recipient": "Anna", "to": "anna", "step": float64(0), "at": "2026-11-20T10:00:00Z", "title": "crisisdesk-melding: KRITIEK",
		"event": "page",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("payload\n got %v\nwant %v", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"alert_id":"al-1"}`)
	good := webhook.Sign(secret, t0, body)
	rotated := good + ",v1=" + strings.Repeat("ab", 32)
	tests := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", secret, good, body, t0, nil},
		{"valid, 4 minutes later", secret, good, body, t0.Add(4 * time.Minute), nil},
		{"valid with a second v1 during rotation", secret, rotated, body, t0, nil},
		{"wrong secret", []byte("another-secret-of-16+bytes"), good, body, t0, webhook.ErrSignature},
		{"tampered body", secret, good, []byte(`{"alert_id":"al-2"}`), t0, webhook.ErrSignature},
		{"replayed after the tolerance", secret, good, body, t0.Add(6 * time.Minute), webhook.ErrTimestamp},
		{"timestamp from the future", secret, good, body, t0.Add(-6 * time.Minute), webhook.ErrTimestamp},
		{"timestamp changed to now", secret, strings.Replace(good, fmt.Sprint(t0.Unix()), fmt.Sprint(t0.Add(time.Hour).Unix()), 1), body, t0.Add(time.Hour), webhook.ErrSignature},
		{"no header", secret, "", body, t0, webhook.ErrNoSignature},
		{"no v1", secret, fmt.Sprintf("t=%d", t0.Unix()), body, t0, webhook.ErrMalformed},
		{"v1 not hex", secret, fmt.Sprintf("t=%d,v1=zz", t0.Unix()), body, t0, webhook.ErrMalformed},
		{"timestamp not a number", secret, "t=soon,v1=" + strings.Repeat("ab", 32), body, t0, webhook.ErrMalformed},
		{"two timestamps", secret, good + fmt.Sprintf(",t=%d", t0.Unix()), body, t0, webhook.ErrMalformed},
		{"unknown scheme only", secret, fmt.Sprintf("t=%d,v0=abc", t0.Unix()), body, t0, webhook.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(tt.secret, tt.header, tt.body, tt.now, webhook.DefaultTolerance)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStatusClassification(t *testing.T) {
	tests := []struct {
		status        int
		header        http.Header
		wantRetryable bool
		wantAfter     time.Duration
	}{
		{http.StatusOK, nil, false, 0},
		{http.StatusAccepted, nil, false, 0},
		{http.StatusBadRequest, nil, false, 0},
		{http.StatusUnauthorized, nil, false, 0},
		{http.StatusNotFound, nil, false, 0},
		{http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}}, true, 30 * time.Second},
		{http.StatusServiceUnavailable, http.Header{"Retry-After": {"Fri, 20 Nov 2026 10:02:00 GMT"}, "Date": {"Fri, 20 Nov 2026 10:00:00 GMT"}}, true, 2 * time.Minute},
		{http.StatusInternalServerError, nil, true, 0},
		{http.StatusBadGateway, http.Header{"Retry-After": {"999999"}}, true, time.Hour},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			rc := notifytest.NewReceiver(t, func(int, *http.Request, []byte) (int, http.Header) { return tt.status, tt.header })
			w, err := webhook.New(webhook.Config{URL: rc.URL + "/secret-path", Secret: secret}, nil, clock.NewSim(t0))
			if err != nil {
				t.Fatal(err)
			}
			retryable, err := w.Notify(t.Context(), message())
			if tt.status < 300 {
				if err != nil {
					t.Fatalf("Notify: %v", err)
				}
				return
			}
			var he *notify.HTTPError
			if !errors.As(err, &he) || he.Status != tt.status {
				t.Fatalf("err = %v, want an HTTPError %d", err, tt.status)
			}
			if retryable != tt.wantRetryable || he.RetryAfter() != tt.wantAfter {
				t.Errorf("retryable=%v after=%v, want %v %v", retryable, he.RetryAfter(), tt.wantRetryable, tt.wantAfter)
			}
			if strings.Contains(err.Error(), "secret-path") {
				t.Errorf("error shows the URL path: %v", err)
			}
		})
	}
}

func TestTransportErrorHidesURL(t *testing.T) {
	w, err := webhook.New(webhook.Config{URL: "http://127.0.0.1:1/hook/very-secret", Secret: secret}, nil, clock.NewSim(t0))
	if err != nil {
		t.Fatal(err)
	}
	retryable, err := w.Notify(t.Context(), message())
	if err == nil || !retryable {
		t.Fatalf("Notify = %v, %v; want a retryable error", retryable, err)
	}
	if strings.Contains(err.Error(), "very-secret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error = %q: want the host and not the path", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []webhook.Config{{URL: "ftp://x", Secret: secret}, {URL: "https://x", Secret: []byte("short")}} {
		if _, err := webhook.New(cfg, nil, clock.NewSim(t0)); err == nil {
			t.Errorf("New(%s) succeeded", notify.Host(cfg.URL))
		}
	}
}

func FuzzVerify(f *testing.F) {
	body := []byte(`{"a":1}`)
	f.Add(webhook.Sign(secret, t0, body), body)
	f.Add("t=1,v1=00", []byte{})
	f.Add("t=,v1=,v1=", []byte("x"))
	f.Add("", []byte(nil))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := webhook.Verify(secret, header, body, t0, webhook.DefaultTolerance)
		if err == nil && webhook.Verify([]byte("a different secret, 16+"), header, body, t0, webhook.DefaultTolerance) == nil {
			t.Fatalf("header %q verifies under two secrets", header)
		}
	})
}
