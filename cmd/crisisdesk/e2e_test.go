package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/postgen"
)

// binary is the crisisdesk binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "crisisdesk-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "crisisdesk")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build crisisdesk:", err)
		return 2
	}
	return m.Run()
}

// instance is one crisisdesk data directory that the tests run the binary against.
type instance struct {
	t    *testing.T
	data string
	addr string
	srv  *exec.Cmd
	logs *logBuffer
}

// logBuffer collects a running server's output. The process writes to it from exec's copying goroutine
// while the test reads it, so every access holds the lock.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newInstance(t *testing.T) *instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return &instance{t: t, data: t.TempDir(), addr: addr}
}

func (in *instance) env() []string {
	// Tests reach no network: Bluesky authors are not looked up at the public AppView.
	env := []string{"CRISISDESK_DATA=" + in.data, "CRISISDESK_ADDR=" + in.addr, "CRISISDESK_BASE_URL=http://" + in.addr, "CRISISDESK_BLUESKY_APPVIEW=off"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CRISISDESK_") {
			env = append(env, kv)
		}
	}
	return env
}

// cli runs one crisisdesk subcommand to completion.
func (in *instance) cli(stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	in.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = in.env()
	cmd.Stdin = stdin
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		in.t.Fatalf("run %v: %v", args, err)
	}
	return o.String(), e.String(), 0
}

// start runs serve in the background and waits until /readyz answers.
func (in *instance) start(extraEnv ...string) {
	in.t.Helper()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(in.env(), extraEnv...)
	in.logs = new(logBuffer)
	cmd.Stdout, cmd.Stderr = in.logs, in.logs
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	in.srv = cmd
	in.t.Cleanup(func() {
		if in.srv != nil {
			in.srv.Process.Kill()
			in.srv.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(in.url("/readyz"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	in.t.Fatalf("serve did not become ready; log:\n%s", in.logs)
}

// stop sends SIGTERM and waits for a clean exit.
func (in *instance) stop() {
	in.t.Helper()
	if err := in.srv.Process.Signal(syscall.SIGTERM); err != nil {
		in.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- in.srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			in.t.Fatalf("serve exited with %v after SIGTERM; log:\n%s", err, in.logs)
		}
	case <-time.After(30 * time.Second):
		in.t.Fatalf("serve did not stop within 30s of SIGTERM; log:\n%s", in.logs)
	}
	in.srv = nil
}

func (in *instance) url(path string) string { return "http://" + in.addr + path }

func jsonl(posts []post.Post) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i := range posts {
		enc.Encode(&posts[i])
	}
	return b.String()
}

func generate(seed uint64, n int) []post.Post {
	g := postgen.New(seed, time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC))
	out := make([]post.Post, n)
	for i := range out {
		out[i] = g.Next()
		out[i].ID = fmt.Sprintf("s%d-%d", seed, i)
	}
	return out
}

// apiPosts fetches stored posts through the API with an API token.
func apiPosts(t *testing.T, in *instance, token, query string) []post.Post {
	t.Helper()
	req, _ := http.NewRequest("GET", in.url("/api/v1/posts?"+query), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/posts?%s: %d %s", query, resp.StatusCode, body)
	}
	var out struct {
		Posts []post.Post `json:"posts"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("decode posts: %v: %s", err, body)
	}
	return out.Posts
}

// login logs in through the HTML form, as a browser would, and returns a client holding the session.
func login(t *testing.T, in *instance, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(in.url("/login"))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page:\n%s", page)
	}
	form := url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}}
	req, _ := http.NewRequest("POST", in.url("/login"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://"+in.addr)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Contains(resp.Request.URL.Path, "/login") {
		t.Fatalf("login: status %d at %s:\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	return c
}

// TestEndToEnd runs the real binary: it creates a user and a token with the CLI, logs in, ingests
// through the API and through import, restarts the server with SIGTERM, and finds every post once.
func TestEndToEnd(t *testing.T) {
	in := newInstance(t)
	in.start("CRISISDESK_ADMIN_PASSWORD=first-admin-password")

	// The CLI works on the database while serve runs.
	if _, errs, code := in.cli(strings.NewReader("responder-password\n"), "user", "add", "--email", "resp@example.nl", "--role", "responder"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errs)
	}
	out, errs, code := in.cli(nil, "token", "create", "--email", "resp@example.nl", "--name", "e2e")
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errs)
	}
	token := strings.TrimSpace(out)

	browser := login(t, in, "resp@example.nl", "responder-password")

	// A monitor, so that ingest through the API stores the one post that matches it and drops the rest
	// (keep_all_posts is off by default).
	req, _ := http.NewRequest("POST", in.url("/api/v1/monitors"), strings.NewReader(`{"name":"Zebrabank","query":"zebrabank"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var monitor struct{ ID string }
	if err := json.Unmarshal(mb, &monitor); err != nil || resp.StatusCode != http.StatusCreated || monitor.ID == "" {
		t.Fatalf("create monitor: %d %s", resp.StatusCode, mb)
	}

	apiBatch := generate(1, 300)
	apiBatch[7].Text = "Storing bij de zeldzame zebrabank, niemand kan pinnen"
	body := jsonl(apiBatch) + "{\"id\":\"broken\"}\n"
	req, _ = http.NewRequest("POST", in.url("/api/v1/posts"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var ing struct {
		Received, Inserted, Duplicates, Dropped int
		Errors                                  []struct {
			Line  int
			Error string
		}
	}
	if err := json.Unmarshal(rb, &ing); err != nil {
		t.Fatalf("ingest response %d: %s", resp.StatusCode, rb)
	}
	if ing.Inserted != 1 || ing.Dropped != 299 || len(ing.Errors) != 1 || ing.Errors[0].Line != 301 {
		t.Fatalf("ingest: %s", rb)
	}
	// The dropped posts are counted where operators look.
	req, _ = http.NewRequest("GET", in.url("/metrics"), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"crisisdesk_ingest_dropped_unmatched_total 299", "crisisdesk_ingest_stored_total 1", "crisisdesk_ingest_received_total 300"} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	// import, with an overlap of 100 posts sent through the API (one of them stored) and one bad line.
	// import stores every post, matched or not.
	importBatch := append(generate(2, 200), apiBatch[:100]...)
	importBody := jsonl(importBatch) + "not json\n"
	out, errs, code = in.cli(strings.NewReader(importBody), "import", "-")
	if code != exitFindings || !strings.Contains(errs, "line 301: invalid JSON") {
		t.Fatalf("import: exit %d, stderr:\n%s", code, errs)
	}
	var acked, dups int
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var a batchAck
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("ack line %q: %v", sc.Text(), err)
		}
		acked += a.Inserted
		dups += a.Duplicates
	}
	if acked != 299 || dups != 1 {
		t.Fatalf("import acked %d new and %d duplicates, want 299 and 1", acked, dups)
	}

	// The session from the form login sees the posts page with search.
	resp, err = browser.Get(in.url("/posts?monitor=" + monitor.ID))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("zeldzame zebrabank")) {
		t.Fatalf("posts page: %d\n%s", resp.StatusCode, page)
	}

	in.stop()
	in.start()

	want := map[string]bool{apiBatch[7].Platform + "/" + apiBatch[7].ID: true}
	for _, p := range importBatch {
		want[p.Platform+"/"+p.ID] = true
	}
	seen := map[string]int{}
	for _, platform := range []string{"bluesky", "mastodon", "x", "news", "rss", "threads"} {
		for _, p := range apiPosts(t, in, token, "limit=1000&platform="+platform) {
			seen[p.Platform+"/"+p.ID]++
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("post %s returned %d times", k, n)
		}
		if !want[k] {
			t.Errorf("unexpected post %s", k)
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("after restart %d posts are stored, want %d", len(seen), len(want))
	}
	got := apiPosts(t, in, token, "monitor="+monitor.ID)
	if len(got) != 1 || got[0].ID != apiBatch[7].ID {
		t.Fatalf("search by monitor after restart found %v", got)
	}

	// The restarted server loaded the monitor: a new matching post is stored, another is dropped.
	req, _ = http.NewRequest("POST", in.url("/api/v1/posts"), strings.NewReader(
		`{"id":"after-restart-1","platform":"bluesky","text":"Zebrabank weer plat","created_at":"2026-11-20T12:00:00Z"}`+"\n"+
			`{"id":"after-restart-2","platform":"bluesky","text":"Mooi weer vandaag","created_at":"2026-11-20T12:00:01Z"}`+"\n"))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(rb), `"inserted":1`) || !strings.Contains(string(rb), `"dropped":1`) {
		t.Fatalf("ingest after restart: %s", rb)
	}
	if got := apiPosts(t, in, token, "monitor="+monitor.ID); len(got) != 2 {
		t.Fatalf("after restart the monitor has %d posts, want 2", len(got))
	}
	in.stop()
}

// TestImportCrash kills import with SIGKILL in the middle of a large import and checks that every
// batch it acknowledged is stored, that the database is intact, and that importing again completes
// the set without duplicates.
func TestImportCrash(t *testing.T) {
	in := newInstance(t)
	const total = 60000
	file := filepath.Join(t.TempDir(), "posts.jsonl")
	if err := os.WriteFile(file, []byte(jsonl(generate(3, total))), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, "import", "--batch", "1000", file)
	cmd.Env = in.env()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a few batches are acknowledged, while it is still writing.
	acked := 0
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		var a batchAck
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("ack line %q: %v", sc.Text(), err)
		}
		acked = a.ThroughLine
		if acked >= 5000 {
			cmd.Process.Kill()
			break
		}
	}
	cmd.Wait()
	if acked < 5000 || acked >= total {
		t.Fatalf("import was not killed mid-way: acknowledged through line %d of %d", acked, total)
	}

	// Every acknowledged post is there: re-importing exactly those lines stores nothing new.
	head := jsonl(generate(3, total)[:acked])
	out, errs, code := in.cli(strings.NewReader(head), "import", "-")
	if code != 0 {
		t.Fatalf("re-import of acknowledged lines: exit %d: %s", code, errs)
	}
	if n := sumInserted(t, out); n != 0 {
		t.Fatalf("%d acknowledged posts were missing after the crash", n)
	}
	// Importing everything completes the set; a third run finds nothing new.
	_, errs, code = in.cli(nil, "import", file)
	if code != 0 {
		t.Fatalf("import after crash: exit %d: %s", code, errs)
	}
	out, errs, code = in.cli(nil, "import", file)
	if code != 0 || sumInserted(t, out) != 0 {
		t.Fatalf("third import: exit %d, inserted %d: %s", code, sumInserted(t, out), errs)
	}
	if !strings.Contains(errs, fmt.Sprintf("read=%d", total)) || !strings.Contains(errs, fmt.Sprintf("duplicates=%d", total)) {
		t.Fatalf("third import did not see all %d posts as duplicates: %s", total, errs)
	}
}

func sumInserted(t *testing.T, out string) int {
	t.Helper()
	n := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var a batchAck
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("ack line %q: %v", sc.Text(), err)
		}
		n += a.Inserted
	}
	return n
}
