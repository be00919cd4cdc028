package statementtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// PDS follows the XRPC methods a Bluesky publisher uses, as the AT Protocol lexicons define them:
// com.atproto.server.createSession with a handle and an app password, com.atproto.repo.getRecord and
// createRecord in the account's own repository (a record key can be created once), and
// app.bsky.feed.getPosts for the post a thread part replies to. Handles other than the account's do not
// resolve (com.atproto.identity.resolveHandle), so mentions stay plain text.
type PDS struct {
	Handle, DID, AppPassword string

	mu       sync.Mutex
	srv      *httptest.Server
	jwt      int
	sessions int
	records  map[string]map[string]any // rkey -> record
	order    []string
	lose     int // answer this many successful createRecords with a 502, as if the answer were lost
	down     int // answer this many getRecords with a 502
}

// NewPDS starts a PDS on loopback for one account; Close stops it.
func NewPDS(handle, did, appPassword string) *PDS {
	p := &PDS{Handle: handle, DID: did, AppPassword: appPassword, records: map[string]map[string]any{}}
	p.srv = httptest.NewServer(p)
	return p
}

// URL is the PDS's base URL.
func (p *PDS) URL() string { return p.srv.URL }

// Client is an HTTP client for the server.
func (p *PDS) Client() *http.Client { return p.srv.Client() }

// Close stops the server.
func (p *PDS) Close() { p.srv.Close() }

// LoseNextAnswers makes the next n createRecords store their record and then answer 502, as when a
// connection drops after the PDS wrote the post, and the getRecord that follows each one fail too, so
// that the attempt ends not knowing the post was made.
func (p *PDS) LoseNextAnswers(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lose += n
}

// Posts returns the texts of the posts created, in order.
func (p *PDS) Posts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.order))
	for i, k := range p.order {
		out[i], _ = p.records[k]["text"].(string)
	}
	return out
}

// Sessions counts the sessions created.
func (p *PDS) Sessions() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sessions
}

func xrpcError(w http.ResponseWriter, code int, name, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func (p *PDS) uri(rkey string) string { return "at://" + p.DID + "/app.bsky.feed.post/" + rkey }

func (p *PDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	method := strings.TrimPrefix(r.URL.Path, "/xrpc/")
	w.Header().Set("Content-Type", "application/json")
	if method == "com.atproto.server.createSession" {
		var in map[string]string
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil || in["identifier"] != p.Handle || in["password"] != p.AppPassword {
			xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
			return
		}
		p.sessions++
		p.jwt++
		json.NewEncoder(w).Encode(map[string]any{"accessJwt": fmt.Sprintf("jwt-%d", p.jwt), "refreshJwt": "refresh",
			"handle": p.Handle, "did": p.DID, "active": true})
		return
	}
	if r.Header.Get("Authorization") != fmt.Sprintf("Bearer jwt-%d", p.jwt) {
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		return
	}
	q := r.URL.Query()
	switch method {
	case "com.atproto.identity.resolveHandle":
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
	case "app.bsky.feed.getPosts":
		posts := []any{}
		for _, u := range q["uris"] {
			rkey := u[strings.LastIndex(u, "/")+1:]
			if rec, ok := p.records[rkey]; ok && u == p.uri(rkey) {
				posts = append(posts, map[string]any{"uri": u, "cid": "bafyrei" + rkey, "record": rec})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"posts": posts})
	case "com.atproto.repo.getRecord":
		if p.down > 0 {
			p.down--
			xrpcError(w, http.StatusBadGateway, "UpstreamFailure", "connection lost")
			return
		}
		rec, ok := p.records[q.Get("rkey")]
		if q.Get("repo") != p.DID || q.Get("collection") != "app.bsky.feed.post" || !ok {
			xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"uri": p.uri(q.Get("rkey")), "cid": "bafyrei" + q.Get("rkey"), "value": rec})
	case "com.atproto.repo.createRecord":
		var in struct {
			Repo       string         `json:"repo"`
			Collection string         `json:"collection"`
			RKey       string         `json:"rkey"`
			Record     map[string]any `json:"record"`
		}
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil || in.Repo != p.DID ||
			in.Collection != "app.bsky.feed.post" || in.Record["$type"] != "app.bsky.feed.post" || in.RKey == "" {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "bad createRecord body")
			return
		}
		if _, dup := p.records[in.RKey]; dup {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Record already exists")
			return
		}
		p.records[in.RKey] = in.Record
		p.order = append(p.order, in.RKey)
		if p.lose > 0 {
			p.lose--
			p.down++
			xrpcError(w, http.StatusBadGateway, "UpstreamFailure", "connection lost")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"uri": p.uri(in.RKey), "cid": "bafyrei" + in.RKey})
	default:
		xrpcError(w, http.StatusNotImplemented, "MethodNotImplemented", method)
	}
}
