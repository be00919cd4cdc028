package x

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// The fields crisisdesk asks for on every tweet request, as query parameters of the stream and of search.
const (
	TweetFields = "id,text,created_at,lang,author_id,conversation_id,public_metrics,referenced_tweets,entities,note_tweet"
	UserFields  = "id,name,username,created_at,verified,verified_type,public_metrics"
	Expansions  = "author_id,referenced_tweets.id"
)

// Tweet is a tweet object with the fields in TweetFields.
type Tweet struct {
	ID               string                 `json:"id"`
	Text             string                 `json:"text"`
	CreatedAt        string                 `json:"created_at"`
	Lang             string                 `json:"lang"`
	AuthorID         string                 `json:"author_id"`
	ConversationID   string                 `json:"conversation_id"`
	PublicMetrics    *TweetMetrics          `json:"public_metrics"`
	ReferencedTweets []ReferencedTweet      `json:"referenced_tweets"`
	NoteTweet        *struct{ Text string } `json:"note_tweet"`
}

// TweetMetrics are a tweet's public engagement counts.
type TweetMetrics struct {
	RetweetCount    int64 `json:"retweet_count"`
	ReplyCount      int64 `json:"reply_count"`
	LikeCount       int64 `json:"like_count"`
	QuoteCount      int64 `json:"quote_count"`
	ImpressionCount int64 `json:"impression_count"`
}

// ReferencedTweet links a tweet to the one it replies to, quotes or retweets.
type ReferencedTweet struct {
	Type string `json:"type"` // replied_to, quoted or retweeted
	ID   string `json:"id"`
}

// User is a user object with the fields in UserFields.
type User struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Username      string `json:"username"`
	CreatedAt     string `json:"created_at"`
	Verified      bool   `json:"verified"`
	VerifiedType  string `json:"verified_type"` // blue, business, government or none
	PublicMetrics *struct {
		FollowersCount int64 `json:"followers_count"`
		FollowingCount int64 `json:"following_count"`
	} `json:"public_metrics"`
}

// Includes holds the objects that expansions pulled in.
type Includes struct {
	Users []User `json:"users"`
	// Tweets are the tweets the main one retweets, quotes or answers, with their current counts.
	Tweets []Tweet `json:"tweets"`
}

// Problem is an entry of an "errors" array: a partial error next to data, or the reason the stream ends.
type Problem struct {
	Title          string `json:"title"`
	Detail         string `json:"detail"`
	Type           string `json:"type"`
	DisconnectType string `json:"disconnect_type"`
	// Value is the rule of a rule error, or the id a partial error is about; typed loosely, since a
	// partial error next to a tweet must never make the tweet undecodable.
	Value   any      `json:"value"`
	Details []string `json:"details"` // rule errors: why
}

func (p Problem) String() string {
	s := p.Title
	if p.Detail != "" {
		s += ": " + p.Detail
	}
	if p.Value != nil && len(p.Details) > 0 {
		s += fmt.Sprintf(" (rule %q: %s)", fmt.Sprint(p.Value), strings.Join(p.Details, "; "))
	}
	return s
}

// MatchingRule names the stream rule a tweet matched.
type MatchingRule struct {
	ID  string `json:"id"`
	Tag string `json:"tag"`
}

// StreamLine is one line of the filtered stream.
type StreamLine struct {
	Data          *Tweet         `json:"data"`
	Includes      Includes       `json:"includes"`
	MatchingRules []MatchingRule `json:"matching_rules"`
	Errors        []Problem      `json:"errors"`
}

// DecodeStreamLine parses one line of the filtered stream. Keep-alive lines (empty or only \r) must be
// skipped before calling it. A line must carry a tweet with an id, or errors.
func DecodeStreamLine(line []byte) (StreamLine, error) {
	var sl StreamLine
	if err := json.Unmarshal(line, &sl); err != nil {
		return StreamLine{}, fmt.Errorf("x: decode stream line: %w", err)
	}
	if sl.Data == nil && len(sl.Errors) == 0 {
		return StreamLine{}, errors.New("x: decode stream line: neither data nor errors")
	}
	if sl.Data != nil && !isTweetID(sl.Data.ID) {
		return StreamLine{}, fmt.Errorf("x: decode stream line: bad tweet id %q", sl.Data.ID)
	}
	return sl, nil
}

// ToPost maps a tweet to a post, taking its author from users (the expanded includes.users) when there.
func ToPost(t Tweet, users map[string]User) (post.Post, error) {
	if !isTweetID(t.ID) {
		return post.Post{}, fmt.Errorf("x: tweet with bad id %q", t.ID)
	}
	created, err := time.Parse(time.RFC3339Nano, t.CreatedAt)
	if err != nil {
		return post.Post{}, fmt.Errorf("x: tweet %s: created_at: %w", t.ID, err)
	}
	text := t.Text
	if t.NoteTweet != nil && t.NoteTweet.Text != "" {
		text = t.NoteTweet.Text // text is cut at 280 characters for long posts; the note holds all of it
	}
	p := post.Post{
		ID:        t.ID,
		Platform:  "x",
		Text:      source.Truncate(text, post.MaxTextBytes),
		CreatedAt: created.UTC(),
		Lang:      source.Language(t.Lang), // X says "und", "qme" and "zxx" for no language; they become ""
		Author:    post.Author{ID: t.AuthorID},
		URL:       "https://x.com/i/web/status/" + t.ID,
	}
	if u, ok := users[t.AuthorID]; ok {
		p.Author.Handle = u.Username
		p.Author.Name = u.Name
		p.Author.Verified = u.Verified || (u.VerifiedType != "" && u.VerifiedType != "none")
		if u.PublicMetrics != nil {
			p.Author.Followers = max(u.PublicMetrics.FollowersCount, 0)
			p.Author.Following = max(u.PublicMetrics.FollowingCount, 0)
		}
		if c, err := time.Parse(time.RFC3339Nano, u.CreatedAt); err == nil {
			c = c.UTC()
			p.Author.CreatedAt = &c
		}
		if validUsername(u.Username) {
			p.URL = "https://x.com/" + u.Username + "/status/" + t.ID
		}
	}
	for _, r := range t.ReferencedTweets {
		if !isTweetID(r.ID) {
			continue
		}
		switch r.Type {
		case "replied_to":
			p.ReplyTo = r.ID
		case "quoted":
			p.QuoteOf = r.ID
		case "retweeted":
			p.RepostOf = r.ID
		}
	}
	if m := t.PublicMetrics; m != nil {
		p.Metrics = post.Metrics{
			Likes:   max(m.LikeCount, 0),
			Reposts: max(m.RetweetCount, 0),
			Replies: max(m.ReplyCount, 0),
			Quotes:  max(m.QuoteCount, 0),
			Views:   max(m.ImpressionCount, 0),
		}
	}
	if err := p.Validate(); err != nil {
		return post.Post{}, fmt.Errorf("x: tweet %s: %w", t.ID, err)
	}
	return p, nil
}

// isTweetID reports whether s is a tweet id: a positive decimal number that fits in 64 bits.
func isTweetID(s string) bool {
	if s == "" || len(s) > 19 || s[0] == '0' {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// idLess orders tweet ids, which are snowflakes that grow with time.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
