package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// DefaultBaseURL is the X API's address.
const DefaultBaseURL = "https://api.x.com"

// maxResponse bounds a non-stream response body.
const maxResponse = 16 << 20

// ClientConfig configures a Client. Token is required.
type ClientConfig struct {
	BaseURL    string // default DefaultBaseURL
	Token      string // an app-only bearer token for reading, a user-context OAuth 2.0 token for posting
	HTTPClient *http.Client
	Clock      clock.Clock
}

// Client calls the X API v2 with a bearer token and remembers the rate limit the last response reported.
// It never puts the token in an error or a log line.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
	clock clock.Clock

	mu     sync.Mutex
	limits map[string]RateLimit // by endpoint path: X counts each endpoint in its own window
}

// RateLimit is what the x-rate-limit-* headers of the last response said.
type RateLimit struct {
	Limit, Remaining int
	Reset            time.Time
}

// NewClient checks cfg and returns a client.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("x: base URL %q is not an http(s) URL without credentials", cfg.BaseURL)
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("x: a bearer token is required")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	return &Client{base: u, token: strings.TrimSpace(cfg.Token), http: cfg.HTTPClient, clock: cfg.Clock,
		limits: make(map[string]RateLimit)}, nil
}

// RateLimit returns what the last response from the endpoint at path (such as SearchPath) reported about
// its rate limit; the zero value before any.
func (c *Client) RateLimit(path string) RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limits[c.endpointPath(path)]
}

func (c *Client) endpointPath(path string) string { return strings.TrimSuffix(c.base.Path, "/") + path }

// APIError is an HTTP error answer of the X API, with its problem details.
type APIError struct {
	Op       string
	Status   int
	Title    string
	Detail   string
	Problems []Problem
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("x: %s: HTTP %d", e.Op, e.Status)
	if e.Title != "" {
		s += " " + e.Title
	}
	if e.Detail != "" && e.Detail != e.Title {
		s += ": " + e.Detail
	}
	for _, p := range e.Problems {
		s += "; " + p.String()
	}
	return s
}

func (c *Client) endpoint(path string, q url.Values) string {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

// newRequest builds an authorised request; body, when not nil, is sent as JSON.
func (c *Client) newRequest(ctx context.Context, method, path string, q url.Values, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("x: encode %s %s: %w", method, path, err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint(path, q), r)
	if err != nil {
		return nil, source.Permanent(fmt.Errorf("x: %s %s: %w", method, path, err))
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", "crisisdesk")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// send performs req and records the rate-limit headers. A status other than 2xx becomes an error, marked
// for the reconnect loop: permanent for bad credentials and bad requests, with the reset time for 429.
func (c *Client) send(req *http.Request, op string) (*http.Response, error) {
	// A window that is used up stays so until its reset; asking anyway would only earn another 429.
	now := c.clock.Now()
	c.mu.Lock()
	l, ok := c.limits[req.URL.Path]
	c.mu.Unlock()
	if ok && l.Remaining <= 0 && l.Reset.After(now) {
		err := fmt.Errorf("x: %s: rate limit used up until %s", op, l.Reset.Format(time.RFC3339))
		return nil, source.RetryAfter(err, min(l.Reset.Sub(now), source.MaxRetryAfter))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("x: %s: %w", op, err)
	}
	c.noteLimit(req.URL.Path, resp.Header)
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, c.statusError(op, resp)
}

func (c *Client) noteLimit(path string, h http.Header) {
	rem, err1 := strconv.Atoi(h.Get("x-rate-limit-remaining"))
	reset, err2 := strconv.ParseInt(h.Get("x-rate-limit-reset"), 10, 64)
	if err1 != nil || err2 != nil {
		return
	}
	lim, _ := strconv.Atoi(h.Get("x-rate-limit-limit"))
	c.mu.Lock()
	c.limits[path] = RateLimit{Limit: lim, Remaining: rem, Reset: time.Unix(reset, 0).UTC()}
	c.mu.Unlock()
}

// resetWait is how long until the rate-limit window in h resets, or Retry-After, capped by
// source.MaxRetryAfter; 0 when neither header says.
func (c *Client) resetWait(h http.Header) time.Duration {
	now := c.clock.Now()
	if reset, err := strconv.ParseInt(h.Get("x-rate-limit-reset"), 10, 64); err == nil {
		if d := time.Unix(reset, 0).Sub(now); d > 0 {
			return min(d, source.MaxRetryAfter)
		}
	}
	return source.ParseRetryAfter(h.Get("Retry-After"), now)
}

func (c *Client) statusError(op string, resp *http.Response) error {
	e := &APIError{Op: op, Status: resp.StatusCode}
	var body struct {
		Title  string    `json:"title"`
		Detail string    `json:"detail"`
		Errors []Problem `json:"errors"`
	}
	if b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10)); err == nil && json.Unmarshal(b, &body) == nil {
		e.Title, e.Detail, e.Problems = body.Title, body.Detail, body.Errors
	}
	if e.Title == "" {
		e.Title = http.StatusText(resp.StatusCode)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// Too many requests, or too many stream connections: both clear when the window resets.
		wait := c.resetWait(resp.Header)
		if wait <= 0 {
			wait = time.Minute // X's windows are 15 minutes; a minute is a safe floor without a header
		}
		return source.RetryAfter(e, wait)
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout:
		return source.RetryAfter(e, source.ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()))
	}
	// 400, 401, 403, 404: a bad request, bad or insufficient credentials, a plan without this endpoint.
	return source.Permanent(e)
}

// getJSON performs a GET and decodes the JSON answer into out.
func (c *Client) getJSON(ctx context.Context, op, path string, q url.Values, out any) error {
	return c.doJSON(ctx, op, http.MethodGet, path, q, nil, out)
}

func (c *Client) doJSON(ctx context.Context, op, method, path string, q url.Values, body, out any) error {
	req, err := c.newRequest(ctx, method, path, q, body)
	if err != nil {
		return err
	}
	resp, err := c.send(req, op)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(out); err != nil {
		return fmt.Errorf("x: %s: decode answer: %w", op, err)
	}
	return nil
}

// IsStatus reports whether err is an APIError with the given HTTP status.
func IsStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == status
}
