package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
)

// newsFeed is an RSS feed on loopback whose items a test adds.
type newsFeed struct {
	mu    sync.Mutex
	items []string
}

func (f *newsFeed) add(title string) {
	f.mu.Lock()
	f.items = append(f.items, title)
	f.mu.Unlock()
}

func (f *newsFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Omroep Oost</title><link>https://www.omroepoost.example/</link><description>Nieuws</description>`)
	for i, title := range f.items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://www.omroepoost.example/nieuws/%d</link><guid isPermaLink="false">oost-%d</guid><pubDate>%s</pubDate></item>`,
			title, i, i, time.Now().Add(-time.Duration(len(f.items)-i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	io.WriteString(w, b.String())
}

// browserPost submits a form as the signed-in browser, with the CSRF token of the page at formPath.
func browserPost(t *testing.T, in *instance, c *http.Client, formPath, action string, form url.Values) *http.Response {
	t.Helper()
	resp, err := c.Get(in.url(formPath))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on %s:\n%.500s", formPath, page)
	}
	form.Set("csrf", string(m[1]))
	req, _ := http.NewRequest("POST", in.url(action), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://"+in.addr)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { c.CheckRedirect = nil }()
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// eventually polls cond until it holds, for at most 20 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// TestServeRunsConfiguredSources runs the real binary: serve generates the credential key, an admin
// adds an RSS source in the web app and its matching items are stored; a token typed into a form never
// reaches the database file in the clear; and after a restart the source resumes where it was.
func TestServeRunsConfiguredSources(t *testing.T) {
	feed := &newsFeed{}
	feed.add("Storing bij Zebrabank: niemand kan pinnen")
	feed.add("Mooi weer aan de IJssel")
	feedSrv := httptest.NewServer(feed)
	t.Cleanup(feedSrv.Close)

	in := newInstance(t)
	// The feed and the Mastodon fake listen on loopback, which sources reach only when allowed.
	in.start("CRISISDESK_ADMIN_PASSWORD=first-admin-password", "CRISISDESK_SOURCES_ALLOW_PRIVATE=true")
	keyFile := filepath.Join(in.data, secret.GeneratedKeyFile)
	fi, err := os.Stat(keyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want one with mode 0600", err, fi)
	}
	keyText, _ := os.ReadFile(keyFile)
	if key := strings.TrimSpace(string(keyText)); !strings.Contains(in.logs.String(), "generated a key") || strings.Contains(in.logs.String(), key) {
		t.Errorf("serve's log must say it generated the key, and never show it:\n%s", in.logs)
	}
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(keyText))); err != nil || len(k) != secret.KeySize {
		t.Errorf("key file holds %d bytes (%v), want %d", len(k), err, secret.KeySize)
	}

	out, errs, code := in.cli(nil, "token", "create", "--email", "admin@localhost", "--name", "e2e")
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errs)
	}
	token := strings.TrimSpace(out)
	api := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, in.url(path), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	if status, body := api("POST", "/api/v1/monitors", `{"name":"Zebrabank","query":"zebrabank"}`); status != http.StatusCreated {
		t.Fatalf("create monitor: %d %s", status, body)
	}

	browser := login(t, in, "admin@localhost", "first-admin-password")
	resp := browserPost(t, in, browser, "/sources/new?kind=rss", "/sources",
		url.Values{"kind": {"rss"}, "name": {"Omroep Oost"}, "url": {feedSrv.URL + "/rss"}, "interval": {"1h"}, "enabled": {"on"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add source: status %d", resp.StatusCode)
	}
	const plain = "mastodon-token-that-must-stay-sealed"
	resp = browserPost(t, in, browser, "/sources/new?kind=mastodon", "/sources",
		url.Values{"kind": {"mastodon"}, "name": {"Mastodon"}, "url": {"http://127.0.0.1:1"}, "stream": {"user"}, "token": {plain}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add mastodon source: status %d", resp.StatusCode)
	}

	stored := func(want ...string) func() bool {
		return func() bool {
			_, body := api("GET", "/api/v1/posts?limit=100", "")
			for _, w := range want {
				if !strings.Contains(body, w) {
					return false
				}
			}
			return true
		}
	}
	eventually(t, "the matching feed item to be stored", stored("Storing bij Zebrabank"))
	if _, body := api("GET", "/api/v1/posts?q=IJssel", ""); strings.Contains(body, "Mooi weer") {
		t.Errorf("the item that matches no monitor was stored: %s", body)
	}
	eventually(t, "the source to report connected in /metrics", func() bool {
		_, m := api("GET", "/metrics", "")
		return regexp.MustCompile(`crisisdesk_source_connected\{source="s[a-z0-9]+"\} 1`).MatchString(m) &&
			regexp.MustCompile(`crisisdesk_source_posts_total\{source="s[a-z0-9]+"\} 2`).MatchString(m)
	})

	in.stop()
	// Nothing in the data directory but the key file holds the token in the clear.
	err = filepath.WalkDir(in.data, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(plain)) {
			t.Errorf("%s holds the Mastodon token in the clear", filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// While serve is down the feed publishes; after the restart only the new item arrives.
	feed.add("Zebrabank: storing verholpen, excuses aan klanten")
	in.start("CRISISDESK_SOURCES_ALLOW_PRIVATE=true")
	if !strings.Contains(in.logs.String(), "key for stored credentials loaded") {
		t.Errorf("after the restart serve did not load the existing key:\n%s", in.logs)
	}
	eventually(t, "the new feed item after the restart", stored("Storing bij Zebrabank", "storing verholpen"))
	_, body := api("GET", "/api/v1/posts?q=zebrabank&limit=100", "")
	if n := strings.Count(body, `"platform":"news"`); n != 2 {
		t.Errorf("stored %d news posts about Zebrabank, want 2 (each once): %s", n, body)
	}
	_, m := api("GET", "/metrics", "")
	if !regexp.MustCompile(`crisisdesk_source_posts_total\{source="s[a-z0-9]+"\} 1`).MatchString(m) {
		t.Errorf("after the restart the source should have emitted exactly the one new item; /metrics:\n%s", grepLines(m, "crisisdesk_source_posts_total"))
	}
}

func grepLines(s, substr string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
