package bluesky

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// The NSIDs and event kinds this connector understands, as Jetstream and the app.bsky lexicons name them.
const (
	CollectionPost       = "app.bsky.feed.post"
	embedRecord          = "app.bsky.embed.record"
	embedRecordWithMedia = "app.bsky.embed.recordWithMedia"
	facetLink            = "app.bsky.richtext.facet#link"

	kindCommit   = "commit"
	kindIdentity = "identity"
	kindAccount  = "account"
)

// Event is one Jetstream message. Only the fields crisisdesk uses are decoded.
type Event struct {
	DID      string    `json:"did"`
	TimeUS   int64     `json:"time_us"`
	Kind     string    `json:"kind"`
	Commit   *Commit   `json:"commit,omitempty"`
	Identity *Identity `json:"identity,omitempty"`
}

// Commit is a change to one record in a repository.
type Commit struct {
	Rev        string          `json:"rev"`
	Operation  string          `json:"operation"` // create, update or delete
	Collection string          `json:"collection"`
	RKey       string          `json:"rkey"`
	Record     json.RawMessage `json:"record,omitempty"`
	CID        string          `json:"cid,omitempty"`
}

// Identity says which handle a DID currently has.
type Identity struct {
	DID    string `json:"did"`
	Handle string `json:"handle"`
	Seq    int64  `json:"seq"`
	Time   string `json:"time"`
}

// PostRecord is an app.bsky.feed.post record.
type PostRecord struct {
	Type      string   `json:"$type"`
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Reply     *struct {
		Root   StrongRef `json:"root"`
		Parent StrongRef `json:"parent"`
	} `json:"reply"`
	Embed  *Embed  `json:"embed"`
	Facets []Facet `json:"facets"`
}

// StrongRef points at one version of a record (com.atproto.repo.strongRef).
type StrongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Embed is the part of an embed this connector reads: the quoted record. In app.bsky.embed.record the
// "record" field is the strong ref itself; in app.bsky.embed.recordWithMedia it wraps one more level.
type Embed struct {
	Type   string          `json:"$type"`
	Record json.RawMessage `json:"record"`
}

// Facet annotates a byte range of the text as a link, mention or tag.
type Facet struct {
	Index struct {
		ByteStart int `json:"byteStart"`
		ByteEnd   int `json:"byteEnd"`
	} `json:"index"`
	Features []struct {
		Type string `json:"$type"`
		URI  string `json:"uri"` // #link
		DID  string `json:"did"` // #mention
		Tag  string `json:"tag"` // #tag
	} `json:"features"`
}

// DecodeEvent parses one Jetstream JSON message.
func DecodeEvent(data []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return Event{}, fmt.Errorf("bluesky: decode event: %w", err)
	}
	if ev.TimeUS <= 0 {
		return Event{}, errors.New("bluesky: decode event: no time_us")
	}
	return ev, nil
}

// errSkip marks a well-formed event that does not become a post.
var errSkip = errors.New("not a new post")

// ToPost maps a commit creating an app.bsky.feed.post to a post. handle is the author's handle if known.
// It returns errSkip for every other event (likes, deletes, edits, identity and account events).
func ToPost(ev Event, handle string) (post.Post, error) {
	c := ev.Commit
	if ev.Kind != kindCommit || c == nil || c.Operation != "create" || c.Collection != CollectionPost {
		return post.Post{}, errSkip
	}
	if !validDID(ev.DID) || !validRKey(c.RKey) {
		return post.Post{}, fmt.Errorf("bluesky: commit with bad did %q or rkey %q", ev.DID, c.RKey)
	}
	var rec PostRecord
	if err := json.Unmarshal(c.Record, &rec); err != nil {
		return post.Post{}, fmt.Errorf("bluesky: decode post record %s/%s: %w", ev.DID, c.RKey, err)
	}
	seen := time.UnixMicro(ev.TimeUS).UTC()
	p := post.Post{
		ID:        "at://" + ev.DID + "/" + CollectionPost + "/" + c.RKey,
		Platform:  "bluesky",
		URL:       "https://bsky.app/profile/" + ev.DID + "/post/" + c.RKey,
		Text:      source.Truncate(expandLinks(rec.Text, rec.Facets), post.MaxTextBytes),
		CreatedAt: createdAt(rec.CreatedAt, seen),
		Author:    post.Author{ID: ev.DID, Handle: handle},
	}
	if len(rec.Langs) > 0 {
		p.Lang = source.Language(rec.Langs[0])
	}
	if rec.Reply != nil && isPostURI(rec.Reply.Parent.URI) {
		p.ReplyTo = rec.Reply.Parent.URI
	}
	if uri := quotedURI(rec.Embed); isPostURI(uri) {
		p.QuoteOf = uri
	}
	if err := p.Validate(); err != nil {
		return post.Post{}, fmt.Errorf("bluesky: post %s: %w", p.ID, err)
	}
	return p, nil
}

// createdAt trusts the record's own time, which clients set and may back-date (imports from other
// platforms do), but not when it is unreadable or lies in the future: then the time Jetstream saw the
// commit is the better answer, and a future time would poison time windows downstream.
func createdAt(s string, seen time.Time) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			if t.After(seen.Add(5*time.Minute)) || t.Year() < 2000 {
				return seen
			}
			return t
		}
	}
	return seen
}

// quotedURI returns the URI of the record a post quotes, or "".
func quotedURI(e *Embed) string {
	if e == nil || len(e.Record) == 0 {
		return ""
	}
	var r struct {
		URI    string     `json:"uri"`
		Record *StrongRef `json:"record"`
	}
	if json.Unmarshal(e.Record, &r) != nil {
		return ""
	}
	switch e.Type {
	case embedRecord:
		return r.URI
	case embedRecordWithMedia:
		if r.Record != nil {
			return r.Record.URI
		}
	}
	return ""
}

// expandLinks replaces shortened link text ("nos.nl/artikel/25…") with the full URI from its link facet,
// so monitors that name a domain or path match what the author linked, not what the app displayed.
// Facets with ranges that are out of bounds, overlapping or not on UTF-8 boundaries are ignored, as the
// lexicon tells clients to do.
func expandLinks(text string, facets []Facet) string {
	type span struct {
		start, end int
		uri        string
	}
	var spans []span
	for _, f := range facets {
		s, e := f.Index.ByteStart, f.Index.ByteEnd
		if s < 0 || e > len(text) || s >= e || !boundary(text, s) || !boundary(text, e) {
			continue
		}
		for _, ft := range f.Features {
			if ft.Type != facetLink || ft.URI == "" || !utf8.ValidString(ft.URI) {
				continue
			}
			shown := text[s:e]
			if shown == ft.URI || !strings.Contains(ft.URI, strings.TrimRight(strings.TrimSuffix(shown, "…"), ".")) {
				// Already complete, or link text that is not a shortened URL ("lees meer"): keep what the
				// author wrote.
				continue
			}
			spans = append(spans, span{s, e, ft.URI})
			break
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue // overlaps the previous facet
		}
		b.WriteString(text[pos:sp.start])
		b.WriteString(sp.uri)
		pos = sp.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

func validDID(did string) bool {
	return strings.HasPrefix(did, "did:") && len(did) <= 2048 && !strings.ContainsAny(did, "/?# \t\n")
}

// validRKey follows the record key syntax: 1 to 512 characters from a restricted set, not "." or "..".
func validRKey(k string) bool {
	if k == "" || len(k) > 512 || k == "." || k == ".." {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_:~", c) >= 0) {
			return false
		}
	}
	return true
}

func isPostURI(uri string) bool {
	return strings.HasPrefix(uri, "at://") && strings.Contains(uri, "/"+CollectionPost+"/") && len(uri) <= post.MaxIDBytes &&
		utf8.ValidString(uri)
}
