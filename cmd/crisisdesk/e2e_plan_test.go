package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// TestPlanImportWhileServing: `crisisdesk plan import`, run as its own process while serve runs,
// gives serve a working e-mail channel; serve picks it up without a restart, and the next alert's
// pages arrive at the SMTP server.
func TestPlanImportWhileServing(t *testing.T) {
	in := newInstance(t)
	in.start()
	if _, errs, code := in.cli(strings.NewReader("responder-password\n"), "user", "add", "--email", "resp@example.nl", "--role", "responder"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errs)
	}
	out, errs, code := in.cli(nil, "token", "create", "--email", "resp@example.nl", "--name", "e2e")
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errs)
	}
	token := strings.TrimSpace(out)

	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	src, err := plan.Encode(smtpPlan(t, srv, nil))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := in.cli(nil, "plan", "import", file); code != 0 {
		t.Fatalf("plan import: exit %d: %s", code, errs)
	}
	// serve looks for a newer plan every planPoll.
	deadline := time.Now().Add(planPoll + 20*time.Second)
	for !strings.Contains(in.logs.String(), "notification channels reloaded from a newer crisis plan") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not reload the channels; log:\n%s", in.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A monitor, and a damning post by a newsroom that it matches: an alert that pages by e-mail.
	do := func(method, path, contentType, body string, want int) {
		t.Helper()
		req, _ := http.NewRequest(method, in.url(path), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	do("POST", "/api/v1/monitors", "application/json", `{"name":"Acme","query":"acme"}`, http.StatusCreated)
	p := post.Post{ID: "press-1", Platform: "bluesky", CreatedAt: time.Now().UTC(), Lang: "en",
		Text:   "Acme data breach: customer passwords leaked, a terrible and outrageous failure",
		Author: post.Author{ID: "did:plc:newsroom", Handle: "newsroom.example", Name: "Newsroom", Followers: 850000, Kind: "press", Verified: true}}
	do("POST", "/api/v1/posts", "application/x-ndjson", jsonl([]post.Post{p}), http.StatusOK)

	deadline = time.Now().Add(30 * time.Second)
	for len(srv.Mails()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no page reached the SMTP server of the imported plan; log:\n%s", in.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
