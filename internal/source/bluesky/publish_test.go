package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

const (
	pubDID      = "did:plc:gemeente7x2k4m6n8p0q"
	pubHandle   = "gemeente.example"
	appPassword = "abcd-efgh-ijkl-mnop"
)

// pds follows the XRPC methods a publisher uses, as the AT Protocol and app.bsky lexicons define them, and
// checks what it is sent: the session, the record's shape, the TID record key, and facet byte ranges that
// cover exactly the text they annotate.
type pds struct {
	t        *testing.T
	mu       sync.Mutex
	jwt      int
	expireAt int // answer ExpiredToken to the createRecord with this number (1-based); 0: never
	creates  int
	sessions int
	records  map[string]map[string]any // rkey -> record
	handles  map[string]string
	posts    map[string]map[string]any // uri -> {uri, cid, record}
	bad      []string                  // what the publisher got wrong
}

func newPDS(t *testing.T) *pds {
	return &pds{t: t, records: map[string]map[string]any{},
		handles: map[string]string{"anna.bsky.social": "did:plc:anna4vqz6x7qj3ylb2cnl5mh"},
		posts: map[string]map[string]any{
			"at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a": {
				"uri": "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a", "cid": "bafyreiannaparent",
				"record": map[string]any{"$type": CollectionPost, "text": "Weer geen water", "createdAt": "2026-11-20T10:00:00.812Z"}},
			"at://did:plc:bobq5b7s3rw2y4kq6x2cqf4a/app.bsky.feed.post/3mabc2mvyq22c": {
				"uri": "at://did:plc:bobq5b7s3rw2y4kq6x2cqf4a/app.bsky.feed.post/3mabc2mvyq22c", "cid": "bafyreibobreply",
				"record": map[string]any{"$type": CollectionPost, "text": "Hier ook", "createdAt": "2026-11-20T10:00:02.731Z",
					"reply": map[string]any{
						"root":   map[string]string{"uri": "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a", "cid": "bafyreiannaparent"},
						"parent": map[string]string{"uri": "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a", "cid": "bafyreiannaparent"}}}},
		}}
}

func xrpcErr(w http.ResponseWriter, code int, name, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func (p *pds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	method := strings.TrimPrefix(r.URL.Path, "/xrpc/")
	w.Header().Set("Content-Type", "application/json")
	if method == "com.atproto.server.createSession" {
		var in map[string]string
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil || in["identifier"] != pubHandle || in["password"] != appPassword {
			xrpcErr(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
			return
		}
		p.sessions++
		p.jwt++
		json.NewEncoder(w).Encode(map[string]any{"accessJwt": fmt.Sprintf("jwt-%d", p.jwt), "refreshJwt": "refresh", "handle": pubHandle, "did": pubDID, "active": true})
		return
	}
	if r.Header.Get("Authorization") != fmt.Sprintf("Bearer jwt-%d", p.jwt) {
		xrpcErr(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		return
	}
	q := r.URL.Query()
	switch method {
	case "com.atproto.identity.resolveHandle":
		if did, ok := p.handles[q.Get("handle")]; ok {
			json.NewEncoder(w).Encode(map[string]string{"did": did})
			return
		}
		xrpcErr(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
	case "app.bsky.feed.getPosts":
		var posts []any
		for _, u := range q["uris"] {
			if post, ok := p.posts[u]; ok {
				posts = append(posts, post)
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"posts": posts})
	case "com.atproto.repo.getRecord":
		rec, ok := p.records[q.Get("rkey")]
		if q.Get("repo") != pubDID || q.Get("collection") != CollectionPost || !ok {
			xrpcErr(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record")
			return
		}
		uri := "at://" + pubDID + "/" + CollectionPost + "/" + q.Get("rkey")
		json.NewEncoder(w).Encode(map[string]any{"uri": uri, "cid": "bafyrei" + q.Get("rkey"), "value": rec})
	case "com.atproto.repo.createRecord":
		p.creates++
		if p.creates == p.expireAt {
			p.jwt++ // the old token no longer works
			xrpcErr(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
			return
		}
		var in struct {
			Repo, Collection, RKey string
			Record                 map[string]any
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&in) != nil {
			xrpcErr(w, http.StatusBadRequest, "InvalidRequest", "bad body")
			return
		}
		p.check(in.Repo, in.Collection, in.RKey, in.Record)
		if _, dup := p.records[in.RKey]; dup {
			xrpcErr(w, http.StatusBadRequest, "InvalidRequest", "Record already exists")
			return
		}
		p.records[in.RKey] = in.Record
		// The AppView indexes the new post, so it can be replied to.
		uri := "at://" + pubDID + "/" + CollectionPost + "/" + in.RKey
		p.posts[uri] = map[string]any{"uri": uri, "cid": "bafyrei" + in.RKey, "record": in.Record}
		json.NewEncoder(w).Encode(map[string]any{"uri": "at://" + pubDID + "/" + CollectionPost + "/" + in.RKey, "cid": "bafyrei" + in.RKey})
	default:
		xrpcErr(w, http.StatusNotImplemented, "MethodNotImplemented", method)
	}
}

// check records every way the createRecord request departs from the lexicon.
func (p *pds) check(repo, collection, rkey string, rec map[string]any) {
	bad := func(f string, a ...any) { p.bad = append(p.bad, fmt.Sprintf(f, a...)) }
	if repo != pubDID || collection != CollectionPost || rec["$type"] != CollectionPost {
		bad("repo %q collection %q type %v", repo, collection, rec["$type"])
	}
	if len(rkey) != 13 || !strings.ContainsRune("234567abcdefghij", rune(rkey[0])) || strings.Trim(rkey, tidAlphabet) != "" {
		bad("rkey %q is not a TID", rkey)
	}
	if _, err := time.Parse(time.RFC3339, fmt.Sprint(rec["createdAt"])); err != nil {
		bad("createdAt %v", rec["createdAt"])
	}
	text, _ := rec["text"].(string)
	facets, _ := rec["facets"].([]any)
	for _, f := range facets {
		fm := f.(map[string]any)
		idx := fm["index"].(map[string]any)
		s, e := int(idx["byteStart"].(float64)), int(idx["byteEnd"].(float64))
		if s < 0 || e > len(text) || s >= e {
			bad("facet range %d-%d outside the text", s, e)
			continue
		}
		span := text[s:e]
		feat := fm["features"].([]any)[0].(map[string]any)
		switch feat["$type"] {
		case "app.bsky.richtext.facet#link":
			if !strings.HasSuffix(fmt.Sprint(feat["uri"]), span) {
				bad("link facet covers %q for %v", span, feat["uri"])
			}
		case "app.bsky.richtext.facet#tag":
			if span != "#"+fmt.Sprint(feat["tag"]) {
				bad("tag facet covers %q for %v", span, feat["tag"])
			}
		case "app.bsky.richtext.facet#mention":
			handle := strings.TrimPrefix(span, "@")
			if p.handles[handle] != feat["did"] {
				bad("mention facet covers %q for %v", span, feat["did"])
			}
		default:
			bad("unknown facet %v", feat["$type"])
		}
	}
	if reply, ok := rec["reply"].(map[string]any); ok {
		for _, k := range []string{"root", "parent"} {
			ref, _ := reply[k].(map[string]any)
			if ref["uri"] == nil || ref["cid"] == nil || ref["cid"] == "" {
				bad("reply %s %v is not a strong ref", k, ref)
			}
		}
	}
}

func TestPublish(t *testing.T) {
	p := newPDS(t)
	p.expireAt = 2 // the second post meets an expired session
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	approved := time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)
	pub, err := NewPublisher(PublisherConfig{PDS: srv.URL, Identifier: pubHandle, AppPassword: appPassword,
		HTTPClient: srv.Client(), Clock: clock.NewSim(approved)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	text := "Wij 💧 werken aan de storing in Deventer — zie https://vitens.example/storing of www.vitens.example. #storing #WaterDeventer @anna.bsky.social @onbekend.example"
	st := source.Statement{Text: text, Lang: "nl", IdempotencyKey: "approval-7/bluesky", CreatedAt: approved}
	got, err := pub.Publish(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	rkey := TID(approved, "approval-7/bluesky")
	if got.ID != "at://"+pubDID+"/app.bsky.feed.post/"+rkey || got.URL != "https://bsky.app/profile/"+pubHandle+"/post/"+rkey {
		t.Errorf("published %+v", got)
	}
	rec := p.records[rkey]
	facets, _ := rec["facets"].([]any)
	// Two links, two tags and the one mention that resolves; the unknown handle stays plain text.
	if len(facets) != 5 {
		t.Errorf("%d facets, want 5: %v", len(facets), facets)
	}
	// 💧 is four bytes and — three, so the first link starts five bytes after its character index.
	first := facets[0].(map[string]any)["index"].(map[string]any)
	byteAt := strings.Index(text, "https://")
	if first["byteStart"].(float64) != float64(byteAt) || byteAt != len([]rune(text[:byteAt]))+5 {
		t.Errorf("first facet %v, want byte %d", first, byteAt)
	}
	if langs, _ := rec["langs"].([]any); len(langs) != 1 || langs[0] != "nl" {
		t.Errorf("langs %v", rec["langs"])
	}

	// A retry finds the record by its key and creates nothing.
	if again, err := pub.Publish(ctx, st); err != nil || again != got || p.creates != 1 {
		t.Errorf("retry %+v, %v, %d creates", again, err, p.creates)
	}

	// A reply to a reply: the parent is Bob's post, the root Anna's, and the expired session is renewed.
	thread, err := source.PublishThread(ctx, pub, "approval-8/bluesky", []source.Statement{
		{Text: "@anna.bsky.social Update 1/2: de leiding is gerepareerd.", ReplyTo: "at://did:plc:bobq5b7s3rw2y4kq6x2cqf4a/app.bsky.feed.post/3mabc2mvyq22c", CreatedAt: approved.Add(time.Minute)},
		{Text: "2/2 Het water is weer veilig om te drinken.", CreatedAt: approved.Add(time.Minute + time.Microsecond)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.sessions != 2 {
		t.Errorf("%d sessions, want a second one after the token expired", p.sessions)
	}
	r1 := p.records[strings.TrimPrefix(thread[0].ID, "at://"+pubDID+"/app.bsky.feed.post/")]["reply"].(map[string]any)
	if r1["parent"].(map[string]any)["cid"] != "bafyreibobreply" || r1["root"].(map[string]any)["cid"] != "bafyreiannaparent" {
		t.Errorf("first reply refs %v", r1)
	}
	r2 := p.records[strings.TrimPrefix(thread[1].ID, "at://"+pubDID+"/app.bsky.feed.post/")]["reply"].(map[string]any)
	if r2["parent"].(map[string]any)["uri"] != thread[0].ID || r2["root"].(map[string]any)["uri"] != "at://did:plc:anna4vqz6x7qj3ylb2cnl5mh/app.bsky.feed.post/3mabc2k3jcs2a" {
		t.Errorf("second reply refs %v", r2)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.bad {
		t.Error(b)
	}
}

func TestPublishFailures(t *testing.T) {
	p := newPDS(t)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	tests := []struct {
		name     string
		password string
		st       source.Statement
		msg      string
	}{
		{"wrong app password", "wrong-pass-word-xxxx", source.Statement{Text: "x", IdempotencyKey: "k1"}, "Invalid identifier or password"},
		{"reply to a missing post", appPassword, source.Statement{Text: "x", IdempotencyKey: "k2", ReplyTo: "at://did:plc:x/app.bsky.feed.post/3zzz"}, "is gone"},
		{"reply to something else", appPassword, source.Statement{Text: "x", IdempotencyKey: "k3", ReplyTo: "https://bsky.app/x"}, "not a post URI"},
		{"no key", appPassword, source.Statement{Text: "x"}, "idempotency key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := NewPublisher(PublisherConfig{PDS: srv.URL, Identifier: pubHandle, AppPassword: tt.password, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			_, err = pub.Publish(context.Background(), tt.st)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), tt.password) {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestTID(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)
	a, b := TID(at, "k1"), TID(at, "k1")
	if a != b || len(a) != 13 {
		t.Errorf("TID not deterministic: %s %s", a, b)
	}
	if TID(at, "k2") == a {
		t.Error("different keys gave the same TID")
	}
	// TIDs sort by time.
	if later := TID(at.Add(time.Second), "k1"); later <= a {
		t.Errorf("TID %s of a later time sorts before %s", later, a)
	}
}
