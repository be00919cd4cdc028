package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

// TweetsPath is the endpoint that creates posts.
const TweetsPath = "/2/tweets"

// Publisher posts with POST /2/tweets. Its client's token must be a user-context OAuth 2.0 token with the
// tweet.write scope; an app-only bearer token can read but not post. X has no idempotency key, so the
// publisher keeps its own in log: a key published before returns the earlier post.
type Publisher struct {
	c   *Client
	log source.PublishLog
}

var _ source.Publisher = (*Publisher)(nil)

// NewPublisher returns a publisher that posts through c and remembers keys in log.
func NewPublisher(c *Client, log source.PublishLog) (*Publisher, error) {
	if c == nil || log == nil {
		return nil, errors.New("x: a publisher needs a client and a publish log")
	}
	return &Publisher{c: c, log: log}, nil
}

// Publish posts st, as a reply when st.ReplyTo is a tweet id. X takes no language: it detects it.
func (p *Publisher) Publish(ctx context.Context, st source.Statement) (source.Published, error) {
	if st.IdempotencyKey == "" {
		return source.Published{}, source.ErrNoIdempotencyKey
	}
	if prev, ok, err := p.log.Published(ctx, st.IdempotencyKey); err != nil {
		return source.Published{}, fmt.Errorf("x: publish: look up key: %w", err)
	} else if ok {
		return prev, nil
	}
	if strings.TrimSpace(st.Text) == "" {
		return source.Published{}, source.Permanent(errors.New("x: publish: empty text"))
	}
	body := map[string]any{"text": st.Text}
	if st.ReplyTo != "" {
		if !isTweetID(st.ReplyTo) {
			return source.Published{}, source.Permanent(fmt.Errorf("x: publish: %q is not a tweet id", st.ReplyTo))
		}
		body["reply"] = map[string]string{"in_reply_to_tweet_id": st.ReplyTo}
	}
	var out struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
		Errors []Problem `json:"errors"`
	}
	if err := p.c.doJSON(ctx, "publish", http.MethodPost, TweetsPath, nil, body, &out); err != nil {
		return source.Published{}, err
	}
	if !isTweetID(out.Data.ID) {
		return source.Published{}, fmt.Errorf("x: publish: answer without a tweet id: %s", problems(out.Errors))
	}
	pub := source.Published{ID: out.Data.ID, URL: "https://x.com/i/web/status/" + out.Data.ID}
	if err := p.log.RecordPublished(ctx, st.IdempotencyKey, pub); err != nil {
		// The post is out; failing here would make the caller retry and post it twice.
		return pub, fmt.Errorf("x: publish: posted %s but could not record key: %w", pub.ID, err)
	}
	return pub, nil
}
