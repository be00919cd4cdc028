// Package statementtest has what tests of the composer share: a loopback server that follows
// Mastodon's POST /api/v1/statuses, so publishing is tested end to end without leaving the machine.
package statementtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Mastodon follows POST /api/v1/statuses as Mastodon documents it: a bearer token, a JSON body with
// status (and optionally in_reply_to_id, language, visibility), and an Idempotency-Key that answers a
// repeat with the status the first request made. Fail holds HTTP codes to answer with first, in order.
type Mastodon struct {
	Token string

	mu    sync.Mutex
	srv   *httptest.Server
	next  int
	byKey map[string]map[string]any
	made  []map[string]string
	fail  []int
}

// NewMastodon starts a server on loopback; Close stops it.
func NewMastodon(token string) *Mastodon {
	m := &Mastodon{Token: token, byKey: map[string]map[string]any{}}
	m.srv = httptest.NewServer(m)
	return m
}

// URL is the instance's base URL.
func (m *Mastodon) URL() string { return m.srv.URL }

// Client is an HTTP client for the server.
func (m *Mastodon) Client() *http.Client { return m.srv.Client() }

// Close stops the server.
func (m *Mastodon) Close() { m.srv.Close() }

// FailNext answers the next requests with these HTTP codes.
func (m *Mastodon) FailNext(codes ...int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = append(m.fail, codes...)
}

// Made returns the request bodies of the statuses made, in order.
func (m *Mastodon) Made() []map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]map[string]string, len(m.made))
	copy(out, m.made)
	return out
}

func (m *Mastodon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
	}
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses":
		fail(http.StatusNotFound, "Record not found")
		return
	case r.Header.Get("Authorization") != "Bearer "+m.Token:
		fail(http.StatusUnauthorized, "The access token is invalid")
		return
	case r.Header.Get("Idempotency-Key") == "":
		fail(http.StatusBadRequest, "no idempotency key")
		return
	}
	if len(m.fail) > 0 {
		code := m.fail[0]
		m.fail = m.fail[1:]
		fail(code, http.StatusText(code))
		return
	}
	if st, ok := m.byKey[r.Header.Get("Idempotency-Key")]; ok {
		json.NewEncoder(w).Encode(st)
		return
	}
	var body map[string]string
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || strings.TrimSpace(body["status"]) == "" {
		fail(http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	}
	if reply := body["in_reply_to_id"]; reply != "" {
		if _, ok := m.byID(reply); !ok {
			fail(http.StatusNotFound, "Record not found")
			return
		}
	}
	m.next++
	id := fmt.Sprintf("1135300000000000%02d", m.next)
	st := map[string]any{"id": id, "uri": "https://social.example/users/gemeente/statuses/" + id,
		"url": "https://social.example/@gemeente/" + id, "content": "<p>" + body["status"] + "</p>",
		"visibility": "public", "in_reply_to_id": nil, "created_at": "2026-11-20T10:30:00.000Z",
		"account": map[string]any{"id": "1", "username": "gemeente", "acct": "gemeente"}}
	if body["in_reply_to_id"] != "" {
		st["in_reply_to_id"] = body["in_reply_to_id"]
	}
	m.byKey[r.Header.Get("Idempotency-Key")] = st
	m.made = append(m.made, body)
	json.NewEncoder(w).Encode(st)
}

func (m *Mastodon) byID(id string) (map[string]any, bool) {
	for _, st := range m.byKey {
		if st["id"] == id {
			return st, true
		}
	}
	return nil, false
}
