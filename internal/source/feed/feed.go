// Package feed listens to one RSS, Atom or JSON Feed document by polling it with conditional GET, and
// turns each new item into a post on the news platform with the publication as its author. Items already
// emitted are recognised by id across polls and restarts, so a feed that keeps its last fifty items does
// not emit them again every few minutes.
package feed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/mmcdole/gofeed"
)

// Defaults for Config.
const (
	DefaultInterval  = 5 * time.Minute
	DefaultMaxBytes  = 10 << 20
	DefaultUserAgent = "crisisdesk-feed/1 (+self-hosted crisis monitoring)"
	// maxSeen bounds the remembered item ids; a feed document rarely holds more than a few hundred items.
	maxSeen = 10000
)

// Config configures one feed source. URL is required; everything else has a default.
type Config struct {
	ID        string        // stable source id; default "rss:" + URL
	URL       string        // the feed document
	Interval  time.Duration // time between polls; default 5m
	Client    *http.Client  // default: a client with a 30s timeout
	UserAgent string
	MaxBytes  int64              // largest accepted document; default 10 MiB
	Cursors   source.CursorStore // nil keeps the cursor in memory only
	Clock     clock.Clock        // nil means the real clock
	Metrics   *source.Metrics    // nil records no metrics
	Logger    *slog.Logger       // nil discards
	Backoff   source.Backoff     // waits after failed polls
	Sleep     source.SleepFunc   // nil means source.Sleep; tests inject one
}

var _ source.Source = (*Source)(nil)

// Source polls one feed. It implements source.Source.
type Source struct {
	cfg     Config
	parser  *gofeed.Parser
	tracker *source.Tracker
	log     *slog.Logger

	// mu guards state: Run owns it, but a test or the UI may read the cursor while Run is running.
	mu    sync.Mutex
	state cursor
}

// cursor is what survives a restart: the validators for conditional GET and the ids of the items in the
// last document. A seen-set rather than "newest item time" is the dedupe key because feeds reorder items,
// update old ones, and publish items with a back-dated time; an id never changes.
type cursor struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"last_modified,omitempty"`
	Seen         []string `json:"seen,omitempty"`
	seen         map[string]bool
}

// New checks cfg and returns a source for it.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("feed: URL %q is not an http(s) URL", publicURL(cfg.URL))
	}
	if cfg.ID == "" {
		cfg.ID = "rss:" + publicURL(cfg.URL)
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = source.Sleep
	}
	if cfg.Backoff.Max <= 0 {
		// A failing feed is retried within its own interval, not hammered.
		cfg.Backoff.Max = cfg.Interval
	}
	return &Source{
		cfg:     cfg,
		parser:  gofeed.NewParser(),
		tracker: source.NewTracker(cfg.ID, cfg.Clock, cfg.Metrics),
		log:     cfg.Logger.With("component", "source", "source", cfg.ID),
		state:   cursor{seen: map[string]bool{}},
	}, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.cfg.ID }

// Status returns the source's health.
func (s *Source) Status() source.Status { return s.tracker.Status() }

// Run polls the feed every interval until ctx is cancelled. Failed polls are retried with backoff.
func (s *Source) Run(ctx context.Context, emit source.Emit) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	r := &source.Reconnector{Backoff: s.cfg.Backoff, Sleep: s.cfg.Sleep, Tracker: s.tracker, Logger: s.log}
	return r.Run(ctx, func(ctx context.Context, up func()) error {
		for {
			if err := s.poll(ctx, emit); err != nil {
				return err
			}
			up()
			if err := s.cfg.Sleep(ctx, s.cfg.Interval); err != nil {
				return nil
			}
		}
	})
}

func (s *Source) load(ctx context.Context) error {
	if s.cfg.Cursors == nil {
		return nil
	}
	raw, err := s.cfg.Cursors.Cursor(ctx, s.cfg.ID)
	if err != nil {
		return fmt.Errorf("feed %s: load cursor: %w", s.cfg.ID, err)
	}
	if raw == "" {
		return nil
	}
	var c cursor
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		// A cursor we cannot read is not worth stopping for: the worst outcome is one feed's worth of
		// items emitted again, which ingest deduplicates.
		s.log.Warn("ignoring unreadable feed cursor", "err", err)
		return nil
	}
	c.seen = make(map[string]bool, len(c.Seen))
	for _, id := range c.Seen {
		c.seen[id] = true
	}
	s.mu.Lock()
	s.state = c
	s.mu.Unlock()
	return nil
}

// save persists the cursor. It runs after every accepted item, so a crash between items loses nothing.
func (s *Source) save(ctx context.Context) error {
	if s.cfg.Cursors == nil {
		return nil
	}
	s.mu.Lock()
	c := s.state
	c.Seen = make([]string, 0, len(c.seen))
	for id := range c.seen {
		c.Seen = append(c.Seen, id)
	}
	s.mu.Unlock()
	slices.Sort(c.Seen) // a stable encoding keeps the stored value diff-able
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("feed %s: encode cursor: %w", s.cfg.ID, err)
	}
	if err := s.cfg.Cursors.SetCursor(ctx, s.cfg.ID, string(b)); err != nil {
		return fmt.Errorf("feed %s: save cursor: %w", s.cfg.ID, err)
	}
	return nil
}

// poll fetches the feed once and emits its new items, oldest first.
func (s *Source) poll(ctx context.Context, emit source.Emit) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.URL, nil)
	if err != nil {
		return source.Permanent(fmt.Errorf("feed %s: %w", s.cfg.ID, err))
	}
	s.mu.Lock()
	etag, lastMod := s.state.ETag, s.state.LastModified
	s.mu.Unlock()
	req.Header.Set("User-Agent", s.cfg.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastMod != "" {
		req.Header.Set("If-Modified-Since", lastMod)
	}
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("feed %s: GET: %w", s.cfg.ID, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return nil
	case resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusUnauthorized ||
		resp.StatusCode == http.StatusForbidden:
		// The publisher removed the feed or shut us out; polling again will not change that.
		return source.Permanent(fmt.Errorf("feed %s: GET: %s", s.cfg.ID, resp.Status))
	case resp.StatusCode != http.StatusOK:
		err := fmt.Errorf("feed %s: GET: %s", s.cfg.ID, resp.Status)
		return source.RetryAfter(err, source.ParseRetryAfter(resp.Header.Get("Retry-After"), s.cfg.Clock.Now()))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.cfg.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("feed %s: read body: %w", s.cfg.ID, err)
	}
	if int64(len(body)) > s.cfg.MaxBytes {
		return fmt.Errorf("feed %s: document larger than %d bytes", s.cfg.ID, s.cfg.MaxBytes)
	}
	f, err := s.parser.Parse(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("feed %s: parse: %w", s.cfg.ID, err)
	}
	posts, dropped := mapItems(publicURL(s.cfg.URL), f, s.cfg.Clock.Now())
	for _, err := range dropped {
		s.tracker.Malformed(s.log, fmt.Errorf("feed %s: %w", s.cfg.ID, err))
	}
	for _, p := range posts {
		if ctx.Err() != nil {
			return nil // stopped between items: the rest come with the next run
		}
		s.mu.Lock()
		dup := s.state.seen[p.ID]
		s.mu.Unlock()
		if dup {
			continue
		}
		if err := emit(ctx, p); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return source.EmitError(err)
		}
		s.tracker.Accepted(p.CreatedAt)
		s.mu.Lock()
		s.state.seen[p.ID] = true
		s.mu.Unlock()
		if err := s.save(ctx); err != nil {
			return err
		}
	}
	// Every item is out, so the validators may now move: a 304 from here on is safe to trust. The seen-set
	// shrinks to what the document still holds, which keeps it bounded.
	s.mu.Lock()
	s.state.ETag = resp.Header.Get("ETag")
	s.state.LastModified = resp.Header.Get("Last-Modified")
	next := make(map[string]bool, len(posts))
	for _, p := range posts {
		if len(next) < maxSeen {
			next[p.ID] = true
		}
	}
	s.state.seen = next
	s.mu.Unlock()
	return s.save(ctx)
}

// Posts maps a parsed feed to posts, oldest first, dropping items that cannot make a valid post and
// repeated ids within the document. feedURL anchors item ids that are not URLs; now is the "first seen"
// time used for items without a date.
func Posts(feedURL string, f *gofeed.Feed, now time.Time) []post.Post {
	posts, _ := mapItems(feedURL, f, now)
	return posts
}

// mapItems is Posts that also says why each dropped item was dropped, so the source can count and log
// malformed items. A repeated id is not malformed: feeds list an item twice in good faith.
func mapItems(feedURL string, f *gofeed.Feed, now time.Time) ([]post.Post, []error) {
	if f == nil {
		return nil, nil
	}
	var dropped []error
	author := post.Author{Name: source.Truncate(strings.TrimSpace(source.HTMLText(f.Title)), 512), Kind: "press"}
	home := f.Link
	if home == "" {
		home = feedURL
	}
	author.ID = source.Truncate(home, post.MaxIDBytes)
	if u, err := url.Parse(home); err == nil && u.Host != "" {
		author.Handle = strings.TrimPrefix(u.Hostname(), "www.")
	}
	lang := source.Language(f.Language)
	type dated struct {
		p     post.Post
		dated bool
		n     int
	}
	var out []dated
	ids := make(map[string]bool)
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		p := post.Post{
			Platform: "news",
			ID:       itemID(feedURL, it),
			URL:      it.Link,
			Lang:     lang,
			Author:   author,
		}
		if p.ID == "" {
			dropped = append(dropped, fmt.Errorf("item %d has no guid, link, title or text", i))
			continue
		}
		if ids[p.ID] {
			continue
		}
		title := strings.TrimSpace(source.HTMLText(it.Title))
		summary := it.Description
		if strings.TrimSpace(summary) == "" {
			summary = it.Content
		}
		body := strings.TrimSpace(source.HTMLText(summary))
		switch {
		case title == "":
			p.Text = body
		case body == "":
			p.Text = title
		case strings.HasPrefix(body, title):
			p.Text = body // many feeds repeat the headline as the summary's first words
		default:
			p.Text = title + "\n\n" + body
		}
		if p.Text == "" {
			dropped = append(dropped, fmt.Errorf("item %q has no text to analyse or match", p.ID))
			continue
		}
		p.Text = source.Truncate(p.Text, post.MaxTextBytes)
		if len(p.URL) > post.MaxURLBytes {
			p.URL = ""
		}
		d := dated{p: p, n: i}
		switch {
		case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
			d.p.CreatedAt, d.dated = it.PublishedParsed.UTC(), true
		case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
			d.p.CreatedAt, d.dated = it.UpdatedParsed.UTC(), true
		default:
			d.p.CreatedAt = now.UTC()
		}
		if err := d.p.Validate(); err != nil {
			dropped = append(dropped, fmt.Errorf("item %q: %w", p.ID, err))
			continue
		}
		ids[p.ID] = true
		out = append(out, d)
	}
	// Oldest first, so the cursor and downstream time windows move forward; undated items keep document
	// order after the dated ones, since "first seen" is now.
	slices.SortStableFunc(out, func(a, b dated) int {
		switch {
		case a.dated != b.dated:
			if a.dated {
				return -1
			}
			return 1
		case a.dated:
			return a.p.CreatedAt.Compare(b.p.CreatedAt)
		}
		return a.n - b.n
	})
	posts := make([]post.Post, len(out))
	for i, d := range out {
		posts[i] = d.p
	}
	return posts, dropped
}

// itemID is the item's GUID, else its link, else a hash of its title and text. A GUID that is not an
// absolute URI ("12345") is only unique within its feed, so it is anchored to the feed URL to keep ids of
// different publications apart.
func itemID(feedURL string, it *gofeed.Item) string {
	id := strings.TrimSpace(it.GUID)
	if id == "" {
		id = strings.TrimSpace(it.Link)
	}
	if id == "" {
		if it.Title == "" && it.Description == "" && it.Content == "" {
			return ""
		}
		h := sha256.Sum256([]byte(it.Title + "\x00" + it.Description + "\x00" + it.Content))
		return feedURL + "#sha256:" + hex.EncodeToString(h[:12])
	}
	if u, err := url.Parse(id); err != nil || u.Scheme == "" {
		id = feedURL + "#" + id
	}
	if len(id) > post.MaxIDBytes {
		h := sha256.Sum256([]byte(id))
		id = feedURL + "#sha256:" + hex.EncodeToString(h[:12])
	}
	if len(id) > post.MaxIDBytes {
		return ""
	}
	return id
}

// publicURL is the feed URL without the user and password some private feeds carry, fit for ids, logs
// and metric labels, which must never hold credentials.
func publicURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	return u.String()
}
