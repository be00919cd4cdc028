package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

const listenRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Regio Nieuws</title><link>https://regio.example/</link><language>nl</language>
<item><title>Storing bij de waterleiding</title><link>https://regio.example/1</link><guid>https://regio.example/1</guid>
<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate><description>&lt;p&gt;Honderden huizen zonder water.&lt;/p&gt;</description></item>
<item><title>Water weer veilig</title><link>https://regio.example/2</link><guid>https://regio.example/2</guid>
<pubDate>Fri, 20 Nov 2026 11:00:00 +0000</pubDate><description>Koken is niet meer nodig.</description></item>
<item><title>Markt gaat door</title><link>https://regio.example/3</link><guid>https://regio.example/3</guid>
<pubDate>Fri, 20 Nov 2026 12:00:00 +0000</pubDate><description>Zaterdag gewoon markt.</description></item>
</channel></rss>`

func jetstreamEvent(n int) string {
	return fmt.Sprintf(`{"did":"did:plc:listen%d","time_us":17951688%02d000000,"kind":"commit","commit":{"rev":"3mab%d","operation":"create","collection":"app.bsky.feed.post","rkey":"3mabc%d","record":{"$type":"app.bsky.feed.post","createdAt":"2026-11-20T10:00:0%d.000Z","langs":["nl"],"text":"bericht %d over de storing"},"cid":"bafyrei%d"}}`, n, n, n, n, n, n, n)
}

const listenStatus = `{"id":"113520000000000201","created_at":"2026-11-20T10:00:01.000Z","in_reply_to_id":null,"spoiler_text":"","visibility":"public","language":"nl","uri":"https://social.example/users/anna/statuses/113520000000000201","url":"https://social.example/@anna/113520000000000201","replies_count":0,"reblogs_count":1,"favourites_count":2,"content":"<p>Nog steeds geen water <a href=\"https://social.example/tags/storing\" class=\"mention hashtag\">#<span>storing</span></a></p>","reblog":null,"account":{"id":"1","username":"anna","acct":"anna","display_name":"Anna","bot":false,"created_at":"2022-11-06T00:00:00.000Z","url":"https://social.example/@anna","uri":"https://social.example/users/anna","followers_count":12,"following_count":3},"media_attachments":[],"mentions":[],"tags":[],"emojis":[],"card":null,"poll":null}`

const listenTweet = `{"data":{"author_id":"1403881130802225152","created_at":"2026-11-20T10:00:01.000Z","id":"1859200000000000001","lang":"nl","public_metrics":{"retweet_count":3,"reply_count":1,"like_count":12,"quote_count":0,"impression_count":2210},"text":"Al uren geen water in Deventer #storing"},"includes":{"users":[{"created_at":"2021-06-13T08:12:44.000Z","id":"1403881130802225152","name":"Anna de Vries","public_metrics":{"followers_count":1234,"following_count":200},"username":"annadevries","verified":false}]},"matching_rules":[{"id":"1859100000000000101","tag":"m-storing"}]}`

// rulePosts records the query and body of each POST to the X rules endpoint.
type rulePosts struct {
	mu     sync.Mutex
	bodies []string
}

func (rp *rulePosts) seen() []string {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return append([]string(nil), rp.bodies...)
}

// listenServer serves a feed, a Jetstream endpoint and a Mastodon public stream that insists on a token.
func listenServer(t *testing.T) (*httptest.Server, *rulePosts) {
	rulePosts := &rulePosts{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, listenRSS)
	})
	mux.HandleFunc("GET /subscribe", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for i := 1; i <= 3; i++ {
			if c.Write(r.Context(), websocket.MessageText, []byte(jetstreamEvent(i))) != nil {
				return
			}
		}
		_, _, _ = c.Read(r.Context())
	})
	mux.HandleFunc("GET /api/v1/streaming/public", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer listen-token" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"The access token is invalid"}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, ":)\nevent: update\ndata: %s\n\n", listenStatus)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	// The X filtered stream: a keep-alive, then one tweet with its expanded author.
	mux.HandleFunc("GET /2/tweets/search/stream", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer x-listen-token" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "\r\n"+listenTweet+"\r\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	// The stream's rules: one old rule, and POSTs answered with what X would say.
	mux.HandleFunc("GET /2/tweets/search/stream/rules", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"id":"1859100000000000001","value":"oude regel","tag":"m-old"}],"meta":{"sent":"2026-11-20T10:00:00.000Z","result_count":1}}`)
	})
	mux.HandleFunc("POST /2/tweets/search/stream/rules", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rulePosts.mu.Lock()
		rulePosts.bodies = append(rulePosts.bodies, r.URL.RawQuery+" "+string(b))
		rulePosts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(string(b), `"delete"`) {
			io.WriteString(w, `{"meta":{"sent":"2026-11-20T10:00:00.000Z","summary":{"deleted":1,"not_deleted":0}}}`)
			return
		}
		io.WriteString(w, `{"data":[{"value":"storing (Deventer OR water)","tag":"m-storing","id":"1859100000000000002"}],"meta":{"sent":"2026-11-20T10:00:00.000Z","summary":{"created":1,"not_created":0,"valid":1,"invalid":0}}}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, rulePosts
}

func TestListenCommand(t *testing.T) {
	srv, rules := listenServer(t)
	ws := strings.Replace(srv.URL, "http://", "ws://", 1)
	monitorsFile := filepath.Join(t.TempDir(), "monitors.jsonl")
	if err := os.WriteFile(monitorsFile, []byte(`{"id":"m-storing","query":"storing (Deventer OR water)"}`+"\n"+
		`{"id":"m-near","query":"water NEAR/3 storing"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tokenFile := filepath.Join(t.TempDir(), "x-token")
	if err := os.WriteFile(tokenFile, []byte("x-listen-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		token    string
		xToken   string
		wantCode int
		wantIDs  []string
		wantErr  string
	}{
		{name: "rss stops after --max", args: []string{"--kind", "rss", "--url", srv.URL + "/feed.xml", "--max", "2"},
			wantIDs: []string{"https://regio.example/1", "https://regio.example/2"}},
		{name: "rss stops after --duration", args: []string{"--kind", "rss", "--url", srv.URL + "/feed.xml", "--duration", "300ms"},
			wantIDs: []string{"https://regio.example/1", "https://regio.example/2", "https://regio.example/3"}},
		{name: "bluesky", args: []string{"--kind", "bluesky", "--url", ws + "/subscribe", "--max", "2"},
			wantIDs: []string{"at://did:plc:listen1/app.bsky.feed.post/3mabc1", "at://did:plc:listen2/app.bsky.feed.post/3mabc2"}},
		{name: "mastodon with a token from the environment", token: "listen-token",
			args:    []string{"--kind", "mastodon", "--url", srv.URL + "/api/v1/streaming/public", "--max", "1"},
			wantIDs: []string{"https://social.example/users/anna/statuses/113520000000000201"}},
		{name: "mastodon with a rejected token", token: "stale",
			args:     []string{"--kind", "mastodon", "--url", srv.URL + "/api/v1/streaming/public", "--max", "1"},
			wantCode: exitUsage, wantErr: "The access token is invalid"},
		{name: "x with a token from the environment", xToken: "x-listen-token",
			args:    []string{"--kind", "x", "--url", srv.URL + "/2/tweets/search/stream", "--max", "1"},
			wantIDs: []string{"1859200000000000001"}},
		{name: "x with a token file", args: []string{"--kind", "x", "--url", srv.URL, "--token-file", tokenFile, "--max", "1"},
			wantIDs: []string{"1859200000000000001"}},
		{name: "x with a rejected token", xToken: "stale",
			args:     []string{"--kind", "x", "--url", srv.URL, "--max", "1"},
			wantCode: exitUsage, wantErr: "401"},
		{name: "x rules from monitors, dry run, in Dutch", xToken: "x-listen-token",
			args:     []string{"--kind", "x", "--url", srv.URL, "--monitors", monitorsFile, "--dry-run", "--lang", "nl"},
			wantCode: exitFindings, wantErr: `monitor "m-near": X-regels kennen geen NEAR`},
		{name: "x rules from monitors, then listen", xToken: "x-listen-token",
			args:    []string{"--kind", "x", "--url", srv.URL, "--monitors", monitorsFile, "--max", "1"},
			wantErr: "X rules: 1 added, 1 deleted, 0 kept", wantIDs: []string{"1859200000000000001"}},
		{name: "monitors for another kind", args: []string{"--kind", "rss", "--url", srv.URL, "--monitors", monitorsFile},
			wantCode: exitUsage, wantErr: "--kind x only"},
		{name: "x without a token", args: []string{"--kind", "x", "--url", srv.URL},
			wantCode: exitUsage, wantErr: "CRISISDESK_X_BEARER_TOKEN"},
		{name: "unknown kind", args: []string{"--kind", "usenet", "--url", srv.URL},
			wantCode: exitUsage, wantErr: `"usenet"`},
		{name: "missing url", args: []string{"--kind", "rss"}, wantCode: exitUsage, wantErr: "--url is required"},
		{name: "bad url", args: []string{"--kind", "rss", "--url", "ftp://regio.example/feed"}, wantCode: exitUsage,
			wantErr: "not an http(s) URL"},
		{name: "negative max", args: []string{"--kind", "rss", "--url", srv.URL, "--max", "-1"}, wantCode: exitUsage,
			wantErr: "--max"},
		{name: "missing dictionary file", args: []string{"--kind", "bluesky", "--url", ws + "/subscribe",
			"--zstd-dictionary", "testdata/no-such-dictionary"}, wantCode: exitUsage, wantErr: "--zstd-dictionary"},
		{name: "stray argument", args: []string{"--kind", "rss", "--url", srv.URL, "extra"}, wantCode: exitUsage,
			wantErr: `"extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CRISISDESK_MASTODON_TOKEN", tt.token)
			t.Setenv("CRISISDESK_X_BEARER_TOKEN", tt.xToken)
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"listen"}, tt.args...), strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantErr)
			}
			if tt.xToken != "" && strings.Contains(stderr.String(), tt.xToken) {
				t.Errorf("stderr reveals the X token: %s", stderr.String())
			}
			if tt.token != "" && strings.Contains(stderr.String(), tt.token) {
				t.Errorf("stderr reveals the token: %s", stderr.String())
			}
			var ids []string
			for i, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
				if line == "" {
					continue
				}
				p, err := post.Decode([]byte(line))
				if err != nil {
					t.Fatalf("line %d is not a valid post: %v\n%s", i+1, err, line)
				}
				ids = append(ids, p.ID)
			}
			if strings.Join(ids, "\n") != strings.Join(tt.wantIDs, "\n") {
				t.Errorf("posts\n%v\nwant\n%v", ids, tt.wantIDs)
			}
		})
	}
	// The dry run asked X to check both changes; the real sync made them.
	want := []string{`dry_run=true {"delete":{"ids":["1859100000000000001"]}}`,
		`dry_run=true {"add":[{"value":"storing (Deventer OR water)","tag":"m-storing"}]}`,
		` {"delete":{"ids":["1859100000000000001"]}}`,
		` {"add":[{"value":"storing (Deventer OR water)","tag":"m-storing"}]}`}
	if got := rules.seen(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rule requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
