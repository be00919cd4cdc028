package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

// PublisherConfig configures publishing to one Mastodon-compatible account. BaseURL and Token are required.
type PublisherConfig struct {
	BaseURL string // the instance, such as https://social.example
	Token   string // an OAuth access token with the write:statuses scope
	Client  *http.Client
}

// Publisher posts statuses with POST /api/v1/statuses. Mastodon keeps an Idempotency-Key for an hour and
// answers a repeat with the status it already made, so a retry within that hour posts nothing twice.
type Publisher struct {
	base   *url.URL
	token  string
	client *http.Client
}

var _ source.Publisher = (*Publisher)(nil)

// NewPublisher checks cfg and returns a publisher.
func NewPublisher(cfg PublisherConfig) (*Publisher, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("mastodon: instance URL %q is not an http(s) URL without credentials", cfg.BaseURL)
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("mastodon: publishing needs an access token")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	return &Publisher{base: u, token: strings.TrimSpace(cfg.Token), client: cfg.Client}, nil
}

// visibilities are the values POST /api/v1/statuses accepts.
var visibilities = map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}

// Publish posts st. ReplyTo may be a status id on this instance or the API URL of one, which is how
// listened posts name their parent.
func (p *Publisher) Publish(ctx context.Context, st source.Statement) (source.Published, error) {
	if st.IdempotencyKey == "" {
		return source.Published{}, source.ErrNoIdempotencyKey
	}
	if strings.TrimSpace(st.Text) == "" {
		return source.Published{}, source.Permanent(errors.New("mastodon: publish: empty text"))
	}
	body := map[string]string{"status": st.Text}
	if st.Visibility != "" {
		if !visibilities[st.Visibility] {
			return source.Published{}, source.Permanent(fmt.Errorf("mastodon: publish: visibility %q: want public, unlisted, private or direct", st.Visibility))
		}
		body["visibility"] = st.Visibility
	}
	if lang := source.Language(st.Lang); lang != "" {
		body["language"] = lang
	}
	if st.ReplyTo != "" {
		id := st.ReplyTo
		if i := strings.LastIndex(id, "/api/v1/statuses/"); i >= 0 {
			id = id[i+len("/api/v1/statuses/"):]
		}
		if id == "" || strings.ContainsAny(id, "/?#") {
			return source.Published{}, source.Permanent(fmt.Errorf("mastodon: publish: %q is not a status id", st.ReplyTo))
		}
		body["in_reply_to_id"] = id
	}
	b, err := json.Marshal(body)
	if err != nil {
		return source.Published{}, fmt.Errorf("mastodon: publish: %w", err)
	}
	u := *p.base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v1/statuses"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
	if err != nil {
		return source.Published{}, source.Permanent(fmt.Errorf("mastodon: publish: %w", err))
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", st.IdempotencyKey)
	resp, err := p.client.Do(req)
	if err != nil {
		return source.Published{}, fmt.Errorf("mastodon: publish: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return source.Published{}, fmt.Errorf("mastodon: publish: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(raw, &e)
		err := fmt.Errorf("mastodon: publish: %s: %s", resp.Status, e.Error)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return source.Published{}, err // worth retrying with the same key
		}
		return source.Published{}, source.Permanent(err)
	}
	var s Status
	if err := json.Unmarshal(raw, &s); err != nil {
		return source.Published{}, fmt.Errorf("mastodon: publish: answer is not a status: %w", err)
	}
	if s.ID == "" {
		return source.Published{}, errors.New("mastodon: publish: answer is a status without id")
	}
	pub := source.Published{ID: s.ID, URL: s.URI}
	if s.URL != nil && *s.URL != "" {
		pub.URL = *s.URL
	}
	return pub, nil
}
