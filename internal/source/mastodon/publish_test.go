package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

// statusServer follows POST /api/v1/statuses: a bearer token, a JSON body, Idempotency-Key answered with
// the status made the first time, and in_reply_to_id that must name an existing status.
type statusServer struct {
	t     *testing.T
	mu    sync.Mutex
	next  int
	byKey map[string]map[string]any
	made  []map[string]string // the request bodies of statuses made
	fail  []int               // statuses to answer with first
}

func (s *statusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]string{"error": msg})
	}
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses":
		fail(http.StatusNotFound, "Record not found")
		return
	case r.Header.Get("Authorization") != "Bearer publish-token":
		fail(http.StatusUnauthorized, "The access token is invalid")
		return
	case r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Idempotency-Key") == "":
		fail(http.StatusBadRequest, "bad request shape")
		return
	}
	if len(s.fail) > 0 {
		code := s.fail[0]
		s.fail = s.fail[1:]
		fail(code, http.StatusText(code))
		return
	}
	if st, ok := s.byKey[r.Header.Get("Idempotency-Key")]; ok {
		json.NewEncoder(w).Encode(st)
		return
	}
	var body map[string]string
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil || body["status"] == "" {
		fail(http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	}
	for k := range body {
		switch k {
		case "status", "in_reply_to_id", "language", "visibility":
		default:
			fail(http.StatusUnprocessableEntity, "unknown parameter "+k)
			return
		}
	}
	if reply := body["in_reply_to_id"]; reply != "" && !strings.HasPrefix(reply, "1135300000000000") {
		fail(http.StatusNotFound, "Record not found")
		return
	}
	s.next++
	id := fmt.Sprintf("1135300000000000%02d", s.next)
	url := "https://social.example/@gemeente/" + id
	st := map[string]any{"id": id, "uri": "https://social.example/users/gemeente/statuses/" + id, "url": url,
		"content": "<p>" + body["status"] + "</p>", "visibility": "public", "in_reply_to_id": nil,
		"created_at": "2026-11-20T10:30:00.000Z", "account": map[string]any{"id": "1", "username": "gemeente", "acct": "gemeente"}}
	if v := body["visibility"]; v != "" {
		st["visibility"] = v
	}
	if body["in_reply_to_id"] != "" {
		st["in_reply_to_id"] = body["in_reply_to_id"]
	}
	s.byKey[r.Header.Get("Idempotency-Key")] = st
	s.made = append(s.made, body)
	json.NewEncoder(w).Encode(st)
}

func TestPublish(t *testing.T) {
	ss := &statusServer{t: t, byKey: map[string]map[string]any{}}
	srv := httptest.NewServer(ss)
	t.Cleanup(srv.Close)
	pub, err := NewPublisher(PublisherConfig{BaseURL: srv.URL, Token: "publish-token", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// A reply to a listened post, whose ReplyTo is the API URL of the parent.
	st := source.Statement{Text: "Wij werken aan de storing. Update volgt om 12:00.", Lang: "nl-NL",
		ReplyTo: "https://social.example/api/v1/statuses/113530000000000077", IdempotencyKey: "approval-7/mastodon", Visibility: "unlisted"}
	got, err := pub.Publish(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "113530000000000001" || got.URL != "https://social.example/@gemeente/113530000000000001" {
		t.Errorf("published %+v", got)
	}
	want := map[string]string{"status": st.Text, "language": "nl", "in_reply_to_id": "113530000000000077", "visibility": "unlisted"}
	if fmt.Sprint(ss.made[0]) != fmt.Sprint(want) {
		t.Errorf("request body %v, want %v", ss.made[0], want)
	}
	// A retry with the same key posts nothing new.
	again, err := pub.Publish(ctx, st)
	if err != nil || again != got || len(ss.made) != 1 {
		t.Errorf("retry gave %+v, %v with %d statuses made", again, err, len(ss.made))
	}

	// A thread of three chains its replies.
	parts := []source.Statement{{Text: "1/3 Stand van zaken"}, {Text: "2/3 Waar u water kunt halen"}, {Text: "3/3 Vragen? Stuur ons een bericht"}}
	thread, err := source.PublishThread(ctx, pub, "approval-8/mastodon", parts)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 3 || ss.made[1]["in_reply_to_id"] != "" || ss.made[2]["in_reply_to_id"] != thread[0].ID ||
		ss.made[3]["in_reply_to_id"] != thread[1].ID {
		t.Errorf("thread %+v, requests %v", thread, ss.made[1:])
	}
	// Retrying the whole thread makes nothing new.
	if again, err := source.PublishThread(ctx, pub, "approval-8/mastodon", parts); err != nil || fmt.Sprint(again) != fmt.Sprint(thread) || len(ss.made) != 4 {
		t.Errorf("thread retry %+v, %v, %d made", again, err, len(ss.made))
	}

	tests := []struct {
		name      string
		st        source.Statement
		token     string
		fail      []int
		permanent bool
		msg       string
	}{
		{name: "no key", st: source.Statement{Text: "x"}, permanent: false, msg: "idempotency key"},
		{name: "bad token", st: source.Statement{Text: "x", IdempotencyKey: "k1"}, token: "wrong", permanent: true, msg: "access token is invalid"},
		{name: "unknown parent", st: source.Statement{Text: "x", IdempotencyKey: "k2", ReplyTo: "999"}, permanent: true, msg: "Record not found"},
		{name: "bad visibility", st: source.Statement{Text: "x", IdempotencyKey: "k3", Visibility: "everyone"}, permanent: true, msg: "visibility"},
		{name: "server error is retryable", st: source.Statement{Text: "x", IdempotencyKey: "k4"}, fail: []int{503}, permanent: false, msg: "503"},
		{name: "rate limit is retryable", st: source.Statement{Text: "x", IdempotencyKey: "k5"}, fail: []int{429}, permanent: false, msg: "429"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := "publish-token"
			if tt.token != "" {
				token = tt.token
			}
			p, err := NewPublisher(PublisherConfig{BaseURL: srv.URL, Token: token, Client: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			ss.mu.Lock()
			ss.fail = tt.fail
			ss.mu.Unlock()
			_, err = p.Publish(ctx, tt.st)
			if err == nil || source.IsPermanent(err) != tt.permanent || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want permanent=%v containing %q", err, tt.permanent, tt.msg)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("error reveals the token: %v", err)
			}
		})
	}
	if !errors.Is(func() error { _, err := pub.Publish(ctx, source.Statement{Text: "x"}); return err }(), source.ErrNoIdempotencyKey) {
		t.Error("a statement without key was not refused with ErrNoIdempotencyKey")
	}
}
