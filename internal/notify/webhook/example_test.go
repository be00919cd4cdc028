package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
)

// A receiver verifies every request and applies each idempotency key once.
func ExampleVerify() {
	secret := []byte("whsec-example-0123456789")
	var mu sync.Mutex
	seen := map[string]bool{}
	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if err := webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), webhook.DefaultTolerance); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		key := r.Header.Get(webhook.IdempotencyHeader)
		mu.Lock()
		dup := seen[key]
		seen[key] = true
		mu.Unlock()
		if dup {
			fmt.Println("repeat of", key, "dropped")
			return // 200: crisisdesk stops retrying
		}
		fmt.Println("applied", key)
	})
	srv := httptest.NewServer(receiver)
	defer srv.Close()

	send := func(signedAt time.Time, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, signedAt, []byte(body)))
		req.Header.Set(webhook.IdempotencyHeader, "k1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	fmt.Println(send(time.Now(), `{"alert_id":"al-1"}`))
	fmt.Println(send(time.Now(), `{"alert_id":"al-1"}`))                 // a redelivery after a crash
	fmt.Println(send(time.Now().Add(-time.Hour), `{"alert_id":"al-1"}`)) // a replay of an old request
	// Output:
	// applied k1
	// 200
	// repeat of k1 dropped
	// 200
	// 401
}
