package mastodon

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// Status is the part of a Mastodon Status entity that crisisdesk uses.
type Status struct {
	ID              string  `json:"id"`
	URI             string  `json:"uri"`
	URL             *string `json:"url"`
	CreatedAt       string  `json:"created_at"`
	Content         string  `json:"content"`
	SpoilerText     string  `json:"spoiler_text"`
	Language        *string `json:"language"`
	Visibility      string  `json:"visibility"`
	InReplyToID     *string `json:"in_reply_to_id"`
	Reblog          *Status `json:"reblog"`
	Quote           *Quote  `json:"quote"`
	RepliesCount    int64   `json:"replies_count"`
	ReblogsCount    int64   `json:"reblogs_count"`
	FavouritesCount int64   `json:"favourites_count"`
	QuotesCount     int64   `json:"quotes_count"`
	Account         Account `json:"account"`
}

// Quote is the quote of another status that Mastodon 4.4 and later attach to a status.
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// Account is the part of a Mastodon Account entity that crisisdesk uses.
type Account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	URI            string `json:"uri"`
	Bot            bool   `json:"bot"`
	Group          bool   `json:"group"`
	CreatedAt      string `json:"created_at"`
	FollowersCount int64  `json:"followers_count"`
	FollowingCount int64  `json:"following_count"`
}

// DecodeStatus parses the JSON payload of an update event or one element of a timeline.
func DecodeStatus(data []byte) (Status, error) {
	var s Status
	if err := json.Unmarshal(data, &s); err != nil {
		return Status{}, fmt.Errorf("mastodon: decode status: %w", err)
	}
	return s, nil
}

// ToPost maps a status seen on the instance at host ("mastodon.social") to a post.
//
// The id is the status URI, which is the same whichever instance relays the status, so two instances
// listening to one conversation agree on ids; a status without one falls back to https://host/<id>.
// Replies name their parent by the instance's API URL for it, since the stream gives only the parent's
// instance-local id. A reblog becomes a repost that carries the original text, so monitors match on what
// was amplified.
func ToPost(host string, s Status) (post.Post, error) {
	if s.ID == "" && s.URI == "" {
		return post.Post{}, errors.New("mastodon: status without id or uri")
	}
	p := post.Post{
		Platform: "mastodon",
		ID:       s.URI,
		Metrics: post.Metrics{
			Likes:   max(s.FavouritesCount, 0),
			Reposts: max(s.ReblogsCount, 0),
			Replies: max(s.RepliesCount, 0),
			Quotes:  max(s.QuotesCount, 0),
		},
		Author: author(host, s.Account),
	}
	if p.ID == "" {
		p.ID = "https://" + host + "/" + s.ID
	}
	if s.URL != nil && len(*s.URL) <= post.MaxURLBytes {
		p.URL = *s.URL
	}
	t, err := parseTime(s.CreatedAt)
	if err != nil {
		return post.Post{}, fmt.Errorf("mastodon: status %s: created_at: %w", s.ID, err)
	}
	p.CreatedAt = t
	body := s
	if s.Reblog != nil {
		p.RepostOf = s.Reblog.URI
		body = *s.Reblog
	}
	p.Text = source.Truncate(text(body), post.MaxTextBytes)
	if body.Language != nil {
		p.Lang = source.Language(*body.Language)
	}
	if s.InReplyToID != nil && *s.InReplyToID != "" {
		p.ReplyTo = "https://" + host + "/api/v1/statuses/" + url.PathEscape(*s.InReplyToID)
	}
	if q := body.Quote; q != nil && q.QuotedStatus != nil && (q.State == "" || q.State == "accepted") {
		p.QuoteOf = q.QuotedStatus.URI
	}
	if err := p.Validate(); err != nil {
		return post.Post{}, fmt.Errorf("mastodon: status %s: %w", s.ID, err)
	}
	return p, nil
}

// text is the content warning, which often carries the point of a post, followed by the content as plain
// text.
func text(s Status) string {
	content := source.HTMLText(s.Content)
	cw := strings.TrimSpace(s.SpoilerText)
	switch {
	case cw == "":
		return content
	case content == "":
		return cw
	}
	return cw + "\n\n" + content
}

func author(host string, a Account) post.Author {
	au := post.Author{
		ID:        a.URI,
		Handle:    a.Acct,
		Name:      source.Truncate(strings.TrimSpace(a.DisplayName), 512),
		Followers: max(a.FollowersCount, 0),
		Following: max(a.FollowingCount, 0),
	}
	if au.ID == "" {
		au.ID = a.URL
	}
	if au.ID == "" && a.ID != "" {
		au.ID = "https://" + host + "/api/v1/accounts/" + url.PathEscape(a.ID)
	}
	if au.Handle != "" && !strings.Contains(au.Handle, "@") {
		// Local accounts come without a domain; adding it keeps handles unique across instances.
		au.Handle += "@" + host
	}
	if t, err := parseTime(a.CreatedAt); err == nil {
		au.CreatedAt = &t
	}
	if a.Bot {
		au.Kind = "unknown" // an automated account is not a person, and Mastodon says no more than that
	}
	return au
}

// parseTime reads Mastodon's timestamps: RFC 3339 with milliseconds, or a bare date for account creation
// on recent versions.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.IsZero() {
				break
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", source.Truncate(s, 40))
}
