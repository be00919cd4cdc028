package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// DefaultPDS is the PDS most Bluesky accounts live on.
const DefaultPDS = "https://bsky.social"

// PublisherConfig configures publishing to one Bluesky account. Identifier and AppPassword are required.
type PublisherConfig struct {
	PDS         string // the account's PDS; default DefaultPDS
	Identifier  string // handle or DID
	AppPassword string // an app password, never the account password
	HTTPClient  *http.Client
	Clock       clock.Clock
	CallTimeout time.Duration // bounds each XRPC call; default DefaultCallTimeout
}

// Publisher posts app.bsky.feed.post records over AT Protocol: a session from an app password
// (com.atproto.server.createSession), then com.atproto.repo.createRecord with facets for links, mentions and
// tags and, for replies, root and parent references.
//
// Idempotency: the record key is a TID built from the statement's CreatedAt and a hash of its idempotency
// key, so a retry addresses the same record. Before creating, the publisher asks for that record with
// com.atproto.repo.getRecord and returns it when it exists. This was chosen over putRecord, which would
// overwrite the record and show followers an edit, and it keeps the key's post exactly one.
type Publisher struct {
	cfg  PublisherConfig
	base *url.URL

	mu      sync.Mutex
	session *session
}

type session struct {
	AccessJwt string `json:"accessJwt"`
	DID       string `json:"did"`
	Handle    string `json:"handle"`
}

var _ source.Publisher = (*Publisher)(nil)

// NewPublisher checks cfg and returns a publisher. It does not log in until the first Publish.
func NewPublisher(cfg PublisherConfig) (*Publisher, error) {
	if cfg.PDS == "" {
		cfg.PDS = DefaultPDS
	}
	u, err := url.Parse(cfg.PDS)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("bluesky: PDS %q is not an http(s) URL without credentials", cfg.PDS)
	}
	if cfg.Identifier == "" || cfg.AppPassword == "" {
		return nil, errors.New("bluesky: publishing needs an identifier and an app password")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	return &Publisher{cfg: cfg, base: u}, nil
}

// xrpcError is an XRPC error answer: {"error": "...", "message": "..."}.
type xrpcError struct {
	Method  string
	Status  int
	Name    string `json:"error"`
	Message string `json:"message"`
}

func (e *xrpcError) Error() string {
	return fmt.Sprintf("bluesky: %s: HTTP %d %s: %s", e.Method, e.Status, e.Name, e.Message)
}

// DefaultCallTimeout bounds one XRPC call of a Publisher, its answer read included, so that a PDS
// that stops answering cannot hold a publication for ever.
const DefaultCallTimeout = 30 * time.Second

// call performs one XRPC call: a GET with params when in is nil, else a POST of in as JSON.
func (p *Publisher) call(ctx context.Context, method, token string, params url.Values, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.CallTimeout)
	defer cancel()
	u := *p.base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/xrpc/" + method
	u.RawQuery = params.Encode()
	verb, body := http.MethodGet, io.Reader(nil)
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("bluesky: %s: %w", method, err)
		}
		verb, body = http.MethodPost, bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, verb, u.String(), body)
	if err != nil {
		return source.Permanent(fmt.Errorf("bluesky: %s: %w", method, err))
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("bluesky: %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("bluesky: %s: read answer: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &xrpcError{Method: method, Status: resp.StatusCode}
		_ = json.Unmarshal(raw, e)
		e.Method, e.Status = method, resp.StatusCode
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return e
		}
		return source.Permanent(e)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("bluesky: %s: decode answer: %w", method, err)
	}
	return nil
}

func isXRPC(err error, name string) bool {
	var e *xrpcError
	return errors.As(err, &e) && e.Name == name
}

// login returns the current session, creating one when there is none or when fresh is set.
func (p *Publisher) login(ctx context.Context, fresh bool) (*session, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.session != nil && !fresh {
		return p.session, nil
	}
	var s session
	err := p.call(ctx, "com.atproto.server.createSession", "", nil,
		map[string]string{"identifier": p.cfg.Identifier, "password": p.cfg.AppPassword}, &s)
	if err != nil {
		return nil, err
	}
	if s.AccessJwt == "" || !validDID(s.DID) {
		return nil, errors.New("bluesky: createSession answered without a token or DID")
	}
	p.session = &s
	return &s, nil
}

// authed runs f with a session, logging in again once if the access token expired.
func (p *Publisher) authed(ctx context.Context, f func(s *session) error) error {
	s, err := p.login(ctx, false)
	if err != nil {
		return err
	}
	err = f(s)
	if isXRPC(err, "ExpiredToken") || isXRPC(err, "InvalidToken") {
		if s, err = p.login(ctx, true); err != nil {
			return err
		}
		err = f(s)
	}
	return err
}

type recordRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Publish posts st; st.ReplyTo, when set, is the at:// URI of the post answered.
func (p *Publisher) Publish(ctx context.Context, st source.Statement) (source.Published, error) {
	if st.IdempotencyKey == "" {
		return source.Published{}, source.ErrNoIdempotencyKey
	}
	if strings.TrimSpace(st.Text) == "" || !utf8.ValidString(st.Text) {
		return source.Published{}, source.Permanent(errors.New("bluesky: publish: empty or invalid text"))
	}
	created := st.CreatedAt
	if created.IsZero() {
		created = p.cfg.Clock.Now()
	}
	created = created.UTC()
	rkey := TID(created, st.IdempotencyKey)
	var pub source.Published
	err := p.authed(ctx, func(s *session) error {
		if ref, ok, err := p.existing(ctx, s, rkey); err != nil {
			return err
		} else if ok {
			pub = p.published(s, ref.URI)
			return nil
		}
		record := map[string]any{
			"$type":     CollectionPost,
			"text":      st.Text,
			"createdAt": created.Format("2006-01-02T15:04:05.000Z"),
		}
		if lang := source.Language(st.Lang); lang != "" {
			record["langs"] = []string{lang}
		}
		facets, err := p.facets(ctx, s, st.Text)
		if err != nil {
			return err
		}
		if len(facets) > 0 {
			record["facets"] = facets
		}
		if st.ReplyTo != "" {
			reply, err := p.replyRef(ctx, s, st.ReplyTo)
			if err != nil {
				return err
			}
			record["reply"] = reply
		}
		var ref recordRef
		err = p.call(ctx, "com.atproto.repo.createRecord", s.AccessJwt, nil, map[string]any{
			"repo": s.DID, "collection": CollectionPost, "rkey": rkey, "record": record,
		}, &ref)
		if err != nil {
			// A concurrent retry may have won the race for the key; then its record is ours.
			if prev, ok, gerr := p.existing(ctx, s, rkey); gerr == nil && ok {
				pub = p.published(s, prev.URI)
				return nil
			}
			return err
		}
		pub = p.published(s, ref.URI)
		return nil
	})
	return pub, err
}

func (p *Publisher) published(s *session, uri string) source.Published {
	actor := s.Handle
	if actor == "" {
		actor = s.DID
	}
	return source.Published{ID: uri, URL: "https://bsky.app/profile/" + actor + "/post/" + uri[strings.LastIndex(uri, "/")+1:]}
}

// existing looks up the record with rkey in the account's own repository.
func (p *Publisher) existing(ctx context.Context, s *session, rkey string) (recordRef, bool, error) {
	var ref recordRef
	err := p.call(ctx, "com.atproto.repo.getRecord", s.AccessJwt,
		url.Values{"repo": {s.DID}, "collection": {CollectionPost}, "rkey": {rkey}}, nil, &ref)
	switch {
	case isXRPC(err, "RecordNotFound"):
		return recordRef{}, false, nil
	case err != nil:
		return recordRef{}, false, err
	}
	return ref, ref.URI != "", nil
}

// replyRef builds the reply's root and parent strong references. The parent comes from
// app.bsky.feed.getPosts, which the PDS passes to the AppView; the root is the parent's own root when the
// parent is itself a reply, else the parent.
func (p *Publisher) replyRef(ctx context.Context, s *session, parentURI string) (map[string]recordRef, error) {
	if !isPostURI(parentURI) {
		return nil, source.Permanent(fmt.Errorf("bluesky: publish: %q is not a post URI", parentURI))
	}
	var out struct {
		Posts []struct {
			URI    string     `json:"uri"`
			CID    string     `json:"cid"`
			Record PostRecord `json:"record"`
		} `json:"posts"`
	}
	if err := p.call(ctx, "app.bsky.feed.getPosts", s.AccessJwt, url.Values{"uris": {parentURI}}, nil, &out); err != nil {
		return nil, err
	}
	if len(out.Posts) == 0 || out.Posts[0].CID == "" {
		return nil, source.Permanent(fmt.Errorf("bluesky: publish: the post %s to reply to is gone", parentURI))
	}
	parent := recordRef{URI: out.Posts[0].URI, CID: out.Posts[0].CID}
	root := parent
	if r := out.Posts[0].Record.Reply; r != nil && r.Root.URI != "" && r.Root.CID != "" {
		root = recordRef{URI: r.Root.URI, CID: r.Root.CID}
	}
	return map[string]recordRef{"root": root, "parent": parent}, nil
}

// facet is an app.bsky.richtext.facet.
type facet struct {
	Index    facetIndex       `json:"index"`
	Features []map[string]any `json:"features"`
}

type facetIndex struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// facets marks links, mentions and tags in s by UTF-8 byte ranges, which is what the lexicon counts in,
// not characters. A mention whose handle does not resolve stays plain text.
func (p *Publisher) facets(ctx context.Context, s *session, body string) ([]facet, error) {
	var out []facet
	for _, tk := range text.Tokenize(body) {
		var feature map[string]any
		switch tk.Kind {
		case text.URL:
			uri := tk.Text
			if !strings.Contains(uri, "://") {
				uri = "https://" + uri
			}
			feature = map[string]any{"$type": facetLink, "uri": uri}
		case text.Hashtag:
			tag := strings.TrimPrefix(tk.Text, "#")
			if tag == "" || utf8.RuneCountInString(tag) > 64 {
				continue
			}
			feature = map[string]any{"$type": "app.bsky.richtext.facet#tag", "tag": tag}
		case text.Mention:
			handle := strings.TrimPrefix(tk.Text, "@")
			if !strings.Contains(handle, ".") {
				continue // not a Bluesky handle, which is always a domain name
			}
			var r struct {
				DID string `json:"did"`
			}
			err := p.call(ctx, "com.atproto.identity.resolveHandle", s.AccessJwt, url.Values{"handle": {handle}}, nil, &r)
			if err != nil {
				if source.IsPermanent(err) {
					continue // an unknown handle: leave it as text
				}
				return nil, err
			}
			if !validDID(r.DID) {
				continue
			}
			feature = map[string]any{"$type": "app.bsky.richtext.facet#mention", "did": r.DID}
		default:
			continue
		}
		out = append(out, facet{Index: facetIndex{ByteStart: tk.Start, ByteEnd: tk.End}, Features: []map[string]any{feature}})
	}
	return out, nil
}

// tidAlphabet is base32-sortable, the encoding of AT Protocol TIDs.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// TID returns the record key for a statement: a TID whose 53-bit timestamp is t in microseconds and whose
// 10-bit clock id comes from a hash of key, so the same statement always gets the same key and two
// statements approved in the same microsecond still differ (unless their keys collide in 10 bits).
func TID(t time.Time, key string) string {
	h := sha256.Sum256([]byte(key))
	clockID := uint64(binary.BigEndian.Uint16(h[:2])) & 0x3ff
	v := (uint64(t.UnixMicro())&(1<<53-1))<<10 | clockID
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}
