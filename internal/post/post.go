// Package post owns the Post contract: the JSON shape every source produces and every stage consumes,
// its validation, and the JSONL reader that reports bad lines by number without losing the good ones.
package post

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on one post. They keep a hostile or broken source from filling memory or the database.
const (
	MaxLineBytes = 1 << 20 // one JSONL line, or one element of a JSON array
	MaxTextBytes = 64 << 10
	MaxIDBytes   = 1024
	MaxURLBytes  = 4096
)

// Platforms lists every accepted value of Post.Platform.
var Platforms = []string{
	"bluesky", "mastodon", "x", "rss", "news", "reddit", "facebook", "instagram",
	"linkedin", "threads", "tiktok", "youtube", "web", "other",
}

// AuthorKinds lists every accepted value of Author.Kind. An empty kind reads as unknown.
var AuthorKinds = []string{"person", "press", "organisation", "unknown"}

// Post is one social media post, news item or webhook message, normalised.
type Post struct {
	ID        string    `json:"id"`
	Platform  string    `json:"platform"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	Lang      string    `json:"lang,omitempty"`
	URL       string    `json:"url,omitempty"`
	ReplyTo   string    `json:"reply_to,omitempty"`
	RepostOf  string    `json:"repost_of,omitempty"`
	QuoteOf   string    `json:"quote_of,omitempty"`
	Author    Author    `json:"author"`
	Metrics   Metrics   `json:"metrics"`
}

// Author is who wrote a post, as far as the platform tells.
type Author struct {
	ID        string     `json:"id,omitempty"`
	Handle    string     `json:"handle,omitempty"`
	Name      string     `json:"name,omitempty"`
	Followers int64      `json:"followers"`
	Following int64      `json:"following"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	Verified  bool       `json:"verified"`
	Kind      string     `json:"kind,omitempty"`
}

// Metrics are the engagement counts at the time the post was seen.
type Metrics struct {
	Likes   int64 `json:"likes"`
	Reposts int64 `json:"reposts"`
	Replies int64 `json:"replies"`
	Quotes  int64 `json:"quotes"`
	Views   int64 `json:"views"`
}

// FieldError says which field of a post is wrong and why.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// wire mirrors Post with times as strings, so a bad time is reported with its field instead of
// as an opaque decoding error.
type wire struct {
	ID        *string `json:"id"`
	Platform  *string `json:"platform"`
	Text      *string `json:"text"`
	CreatedAt *string `json:"created_at"`
	Lang      string  `json:"lang"`
	URL       string  `json:"url"`
	ReplyTo   string  `json:"reply_to"`
	RepostOf  string  `json:"repost_of"`
	QuoteOf   string  `json:"quote_of"`
	Author    struct {
		ID        string  `json:"id"`
		Handle    string  `json:"handle"`
		Name      string  `json:"name"`
		Followers int64   `json:"followers"`
		Following int64   `json:"following"`
		CreatedAt *string `json:"created_at"`
		Verified  bool    `json:"verified"`
		Kind      string  `json:"kind"`
	} `json:"author"`
	Metrics Metrics `json:"metrics"`
}

// Decode parses and validates one post from JSON. Unknown fields are ignored.
func Decode(data []byte) (Post, error) {
	if len(data) > MaxLineBytes {
		return Post{}, fmt.Errorf("post is %d bytes, more than the limit of %d", len(data), MaxLineBytes)
	}
	if !utf8.Valid(data) {
		return Post{}, errors.New("invalid UTF-8")
	}
	var w wire
	if !decodeFast(data, &w) {
		w = wire{}
		if err := json.Unmarshal(data, &w); err != nil {
			return Post{}, jsonError(err)
		}
	}
	for _, req := range []struct {
		name string
		v    *string
	}{{"id", w.ID}, {"platform", w.Platform}, {"text", w.Text}, {"created_at", w.CreatedAt}} {
		if req.v == nil {
			return Post{}, &FieldError{req.name, "required"}
		}
	}
	p := Post{
		ID: *w.ID, Platform: *w.Platform, Text: *w.Text,
		Lang: w.Lang, URL: w.URL, ReplyTo: w.ReplyTo, RepostOf: w.RepostOf, QuoteOf: w.QuoteOf,
		Author: Author{
			ID: w.Author.ID, Handle: w.Author.Handle, Name: w.Author.Name,
			Followers: w.Author.Followers, Following: w.Author.Following,
			Verified: w.Author.Verified, Kind: w.Author.Kind,
		},
		Metrics: w.Metrics,
	}
	t, err := parseTime(*w.CreatedAt)
	if err != nil {
		return Post{}, &FieldError{"created_at", err.Error()}
	}
	p.CreatedAt = t
	if w.Author.CreatedAt != nil && *w.Author.CreatedAt != "" {
		t, err := parseTime(*w.Author.CreatedAt)
		if err != nil {
			return Post{}, &FieldError{"author.created_at", err.Error()}
		}
		p.Author.CreatedAt = &t
	}
	if err := p.Validate(); err != nil {
		return Post{}, err
	}
	return p, nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as 2026-11-20T10:00:00Z", truncate(s, 40))
	}
	return t.UTC(), nil
}

// Validate checks the required fields, the enumerations and the limits. Decode calls it; sources that
// build posts in code call it before handing a post on.
func (p *Post) Validate() error {
	switch {
	case strings.TrimSpace(p.ID) == "":
		return &FieldError{"id", "required"}
	case len(p.ID) > MaxIDBytes:
		return &FieldError{"id", fmt.Sprintf("longer than %d bytes", MaxIDBytes)}
	case p.Platform == "":
		return &FieldError{"platform", "required"}
	case !oneOf(p.Platform, Platforms):
		return &FieldError{"platform", fmt.Sprintf("%q is not one of %s", truncate(p.Platform, 40), strings.Join(Platforms, ", "))}
	case len(p.Text) > MaxTextBytes:
		return &FieldError{"text", fmt.Sprintf("%d bytes, more than the limit of %d", len(p.Text), MaxTextBytes)}
	case p.CreatedAt.IsZero():
		return &FieldError{"created_at", "required"}
	case len(p.URL) > MaxURLBytes:
		return &FieldError{"url", fmt.Sprintf("longer than %d bytes", MaxURLBytes)}
	case p.Author.Kind != "" && !oneOf(p.Author.Kind, AuthorKinds):
		return &FieldError{"author.kind", fmt.Sprintf("%q is not one of %s", truncate(p.Author.Kind, 40), strings.Join(AuthorKinds, ", "))}
	case p.Author.Followers < 0:
		return &FieldError{"author.followers", "negative"}
	case p.Author.Following < 0:
		return &FieldError{"author.following", "negative"}
	case p.Metrics.Likes < 0 || p.Metrics.Reposts < 0 || p.Metrics.Replies < 0 || p.Metrics.Quotes < 0 || p.Metrics.Views < 0:
		return &FieldError{"metrics", "negative count"}
	}
	for _, f := range []struct{ name, v string }{{"id", p.ID}, {"text", p.Text}, {"lang", p.Lang}, {"url", p.URL},
		{"author.handle", p.Author.Handle}, {"author.name", p.Author.Name}} {
		if !utf8.ValidString(f.v) {
			return &FieldError{f.name, "invalid UTF-8"}
		}
	}
	return nil
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// jsonError turns encoding/json's errors into a short reason with the field or offset.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fmt.Errorf("expected a JSON object, got %s", typ.Value)
		}
		return &FieldError{field, fmt.Sprintf("expected %s, got %s", typ.Type, typ.Value)}
	default:
		return fmt.Errorf("invalid JSON: %w", err)
	}
}
