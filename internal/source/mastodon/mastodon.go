// Package mastodon listens to a Mastodon instance through its streaming API over server-sent events
// (public, hashtag or user streams) and maps statuses to posts. The stream itself cannot resume, so after
// every (re)connect the source pages the matching timeline from the last status it emitted, which closes
// the gap a dropped connection or a restart leaves. A status comes again, with its current counts, when
// it is edited or when its counts are fetched again and have grown (engagement.go).
package mastodon

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// Defaults for Config.
const (
	// Mastodon sends a heartbeat comment every 15 s or so; three missed ones mean the connection is dead.
	DefaultIdleTimeout   = 45 * time.Second
	DefaultMaxEvent      = 1 << 20
	DefaultSaveEvery     = time.Second
	DefaultBackfillPages = 10
	backfillPageSize     = 40 // the most a timeline page returns
	rememberedIDs        = 10000
)

// Config configures one streaming source. URL is required.
type Config struct {
	ID string // stable source id; default "mastodon:" + host + path + query
	// URL is the streaming endpoint, such as https://mastodon.example/api/v1/streaming/public,
	// …/streaming/public/local, …/streaming/hashtag?tag=storing or …/streaming/user.
	URL string
	// Token is an optional access token, sent as a bearer token. Public streams on many instances need
	// one; the user stream always does. It is never logged.
	Token         string
	Client        *http.Client // must not set a total Timeout, which would cut the stream; default a new one
	IdleTimeout   time.Duration
	MaxEvent      int           // largest accepted event; default 1 MiB
	BackfillPages int           // timeline pages fetched after a reconnect; default 10, negative disables
	SaveEvery     time.Duration // least time between cursor saves; default 1s
	// RefreshEvery is how often the counts of recent statuses are fetched again, since Mastodon
	// streams a status once and its boosts and favourites do not come back on the stream; default
	// 2m, negative turns it off. Each round fetches at most RefreshMax statuses (default 20) first
	// seen within RefreshFor (default 1h), the most engaged first (engagement.go).
	RefreshEvery time.Duration
	RefreshFor   time.Duration
	RefreshMax   int
	Cursors      source.CursorStore
	Clock        clock.Clock
	Metrics      *source.Metrics
	Logger       *slog.Logger
	Backoff      source.Backoff
	Sleep        source.SleepFunc

	// RefreshTimeout bounds fetching one status for its counts; default 15s.
	RefreshTimeout time.Duration
}

var _ source.Source = (*Source)(nil)

// Source is a Mastodon streaming consumer. It implements source.Source.
type Source struct {
	cfg      Config
	stream   *url.URL
	timeline *url.URL // where to backfill from; nil when the stream has no timeline counterpart
	host     string
	tracker  *source.Tracker
	log      *slog.Logger
	saves    source.Checkpoint

	// Run owns the fields below; mu lets Cursor read them while Run is running.
	mu     sync.Mutex
	cursor string // the highest status id emitted
	seen   map[string]*list.Element
	order  *list.List // status ids in the order they were remembered, oldest at the front
	counts counts     // the engagement counts last emitted per status (engagement.go)
}

// New checks cfg and returns a source for it.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mastodon: URL %q is not an http(s) URL", cfg.URL)
	}
	if !strings.Contains(u.Path, "/api/v1/streaming") {
		return nil, fmt.Errorf("mastodon: URL %q is not a streaming endpoint (/api/v1/streaming/…)", cfg.URL)
	}
	if u.User != nil || u.Query().Has("access_token") {
		// A URL ends up in logs, metric labels and the source id; a token must not.
		return nil, errors.New("mastodon: put the access token in the token setting, not in the URL")
	}
	if cfg.ID == "" {
		cfg.ID = "mastodon:" + u.Host + strings.TrimPrefix(u.Path, "/api/v1/streaming")
		if u.RawQuery != "" {
			cfg.ID += "?" + u.RawQuery
		}
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxEvent <= 0 {
		cfg.MaxEvent = DefaultMaxEvent
	}
	if cfg.BackfillPages == 0 {
		cfg.BackfillPages = DefaultBackfillPages
	}
	if cfg.SaveEvery <= 0 {
		cfg.SaveEvery = DefaultSaveEvery
	}
	if cfg.RefreshEvery == 0 {
		cfg.RefreshEvery = DefaultRefreshEvery
	}
	if cfg.RefreshFor <= 0 {
		cfg.RefreshFor = DefaultRefreshFor
	}
	if cfg.RefreshMax <= 0 {
		cfg.RefreshMax = DefaultRefreshMax
	}
	if cfg.RefreshTimeout <= 0 {
		cfg.RefreshTimeout = DefaultRefreshTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Source{
		cfg:      cfg,
		stream:   u,
		timeline: timelineFor(u),
		host:     u.Host,
		tracker:  source.NewTracker(cfg.ID, cfg.Clock, cfg.Metrics),
		log:      cfg.Logger.With("component", "source", "source", cfg.ID),
		saves:    source.Checkpoint{Store: cfg.Cursors, ID: cfg.ID, Every: cfg.SaveEvery},
		seen:     make(map[string]*list.Element),
		counts:   newCounts(rememberedIDs, cfg.Clock),
		order:    list.New(),
	}, nil
}

// timelineFor maps a streaming endpoint to the REST timeline that holds the same statuses.
func timelineFor(stream *url.URL) *url.URL {
	prefix, rest, ok := strings.Cut(stream.Path, "/api/v1/streaming")
	if !ok {
		return nil
	}
	in := stream.Query()
	out := url.Values{}
	var path string
	switch strings.Trim(rest, "/") {
	case "public":
		path = "/api/v1/timelines/public"
	case "public/local":
		path = "/api/v1/timelines/public"
		out.Set("local", "true")
	case "public/remote":
		path = "/api/v1/timelines/public"
		out.Set("remote", "true")
	case "hashtag", "hashtag/local":
		tag := in.Get("tag")
		if tag == "" || strings.Contains(tag, "/") {
			return nil
		}
		path = "/api/v1/timelines/tag/" + tag // String() escapes it
		if strings.HasSuffix(rest, "local") {
			out.Set("local", "true")
		}
	case "user":
		path = "/api/v1/timelines/home"
	case "list":
		list := in.Get("list")
		if list == "" || strings.Contains(list, "/") {
			return nil
		}
		path = "/api/v1/timelines/list/" + list
	default:
		return nil
	}
	if in.Get("only_media") == "true" {
		out.Set("only_media", "true")
	}
	t := *stream
	t.Path = prefix + path
	t.RawPath = ""
	t.RawQuery = out.Encode()
	return &t
}

// ID returns the source id.
func (s *Source) ID() string { return s.cfg.ID }

// Status returns the source's health.
func (s *Source) Status() source.Status { return s.tracker.Status() }

// Cursor returns the highest status id emitted so far, or "".
func (s *Source) Cursor() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor
}

// Run streams until ctx is cancelled.
func (s *Source) Run(ctx context.Context, emit source.Emit) error {
	c, err := s.saves.Resume(ctx, nil, s.log)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cursor = c
	s.mu.Unlock()
	// The refresh emits from its own goroutine, so emits take turns.
	emit = serialised(emit)
	stopRefresh := s.startRefresh(ctx, emit)
	defer stopRefresh()
	r := &source.Reconnector{Backoff: s.cfg.Backoff, Sleep: s.cfg.Sleep, Tracker: s.tracker, Logger: s.log}
	return r.RunThenFinish(ctx, func(ctx context.Context, up func()) error { return s.connect(ctx, up, emit) },
		func(ctx context.Context) error { return s.save(ctx, true) })
}

func (s *Source) save(ctx context.Context, force bool) error {
	if err := s.saves.Save(ctx, s.Cursor(), s.cfg.Clock.Now(), force); err != nil {
		return fmt.Errorf("mastodon %s: save cursor: %w", s.cfg.ID, err)
	}
	return nil
}

func (s *Source) newRequest(ctx context.Context, u string, accept string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, source.Permanent(fmt.Errorf("mastodon %s: %w", s.cfg.ID, err))
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "crisisdesk-mastodon/1")
	if s.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	}
	return req, nil
}

// statusError turns a failed response into an error; client errors other than rate limiting are
// permanent, since a missing token or a wrong path does not fix itself.
func (s *Source) statusError(what string, resp *http.Response) error {
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body)
	err := fmt.Errorf("mastodon %s: %s: %s", s.cfg.ID, what, resp.Status)
	if body.Error != "" {
		err = fmt.Errorf("mastodon %s: %s: %s: %s", s.cfg.ID, what, resp.Status, source.Truncate(body.Error, 200))
	}
	if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests &&
		resp.StatusCode != http.StatusRequestTimeout {
		return source.Permanent(err)
	}
	return source.RetryAfter(err, source.ParseRetryAfter(resp.Header.Get("Retry-After"), s.cfg.Clock.Now()))
}

// connect opens the stream, backfills what was missed while disconnected, then reads the stream until it
// fails or ctx is done. The stream is opened first so nothing falls between the backfill and the stream;
// the overlap is dropped by id.
func (s *Source) connect(parent context.Context, up func(), emit source.Emit) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	req, err := s.newRequest(ctx, s.stream.String(), "text/event-stream")
	if err != nil {
		return err
	}
	req.Header.Set("Cache-Control", "no-cache")
	// A read that waits longer than IdleTimeout means heartbeats stopped, or the server never answered:
	// cancel the request, which ends the blocked call, and let the reconnect loop take over.
	idle := time.AfterFunc(s.cfg.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		if errors.Is(context.Cause(ctx), errIdle) {
			return fmt.Errorf("mastodon %s: connect: no response for %s", s.cfg.ID, s.cfg.IdleTimeout)
		}
		return fmt.Errorf("mastodon %s: connect: %w", s.cfg.ID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s.statusError("connect", resp)
	}
	s.log.Info("connected", "cursor", s.Cursor())
	up()

	// The backfill may take a while on a slow instance; it must not count as a silent stream.
	idle.Stop()
	if err := s.backfill(ctx, emit); err != nil {
		if parent.Err() != nil {
			return nil
		}
		if errors.Is(err, errEmit) {
			return err
		}
		// The timeline may be closed to anonymous readers while the stream is open; a gap is then
		// unavoidable, but the stream itself is still worth reading.
		s.tracker.Error(err)
		s.log.Warn("backfill failed; continuing with the stream", "err", err)
	}

	idle.Reset(s.cfg.IdleTimeout)
	sse := newSSEReader(resp.Body, s.cfg.MaxEvent, func() { idle.Reset(s.cfg.IdleTimeout) })
	for {
		ev, err := sse.Next()
		switch {
		case parent.Err() != nil:
			return nil
		case errors.Is(context.Cause(ctx), errIdle):
			return fmt.Errorf("mastodon %s: %w for %s", s.cfg.ID, errIdle, s.cfg.IdleTimeout)
		case errors.Is(err, io.EOF):
			return nil // the server closed the stream; the loop reconnects
		case err != nil:
			return fmt.Errorf("mastodon %s: read stream: %w", s.cfg.ID, err)
		}
		switch ev.Name {
		case "update":
			st, err := DecodeStatus(ev.Data)
			if err != nil {
				s.tracker.Malformed(s.log, err)
				continue
			}
			if err := s.emitStatus(ctx, st, emit); err != nil {
				return err
			}
		case "status.update":
			if err := s.emitEdited(ctx, ev.Data, emit); err != nil {
				return err
			}
		case "delete":
			// The post contract has no retraction; a deleted status stays in the record of what was said,
			// which is what an after-action review needs.
			s.log.Debug("status deleted", "id", string(ev.Data))
		}
	}
}

var errIdle = errors.New("no data or heartbeat")

var errEmit = errors.New("emit failed")

// emitStatus hands one status on unless it was emitted already, and moves the cursor after it.
func (s *Source) emitStatus(ctx context.Context, st Status, emit source.Emit) error {
	if ctx.Err() != nil {
		return nil // stopped: a cancelled source emits nothing more
	}
	s.mu.Lock()
	_, dup := s.seen[st.ID]
	s.mu.Unlock()
	if st.ID == "" {
		// Without an id the status can be neither deduplicated nor used as a cursor.
		s.tracker.Malformed(s.log, errors.New("mastodon: status without id"))
		return nil
	}
	if dup {
		return nil
	}
	p, err := ToPost(s.host, st)
	if err != nil {
		s.tracker.Malformed(s.log, err)
		return nil
	}
	if err := emit(ctx, p); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return source.EmitError(fmt.Errorf("%w: %w", errEmit, err))
	}
	s.tracker.Accepted(p.CreatedAt)
	s.counts.grew(st.ID, p.Metrics)
	s.mu.Lock()
	s.seen[st.ID] = s.order.PushBack(st.ID)
	for s.order.Len() > rememberedIDs {
		old := s.order.Front()
		s.order.Remove(old)
		delete(s.seen, old.Value.(string))
	}
	if idLess(s.cursor, st.ID) {
		s.cursor = st.ID
	}
	s.mu.Unlock()
	return s.save(ctx, false)
}

// idLess orders status ids. Mastodon's are decimal numbers that grow with time, so a longer id is newer;
// other servers use fixed-width sortable strings, which compare as text.
func idLess(a, b string) bool {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return len(a) < len(b)
	}
	return a < b
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// backfill pages the timeline forward from the cursor with min_id, oldest first, so statuses posted while
// the stream was down are emitted in order. It stops at an empty page or after BackfillPages pages, which
// bounds the catch-up after a long outage.
func (s *Source) backfill(ctx context.Context, emit source.Emit) error {
	since := s.Cursor()
	if since == "" || s.timeline == nil || s.cfg.BackfillPages < 0 {
		return nil // a first start listens live, like the stream does
	}
	for page := 0; page < s.cfg.BackfillPages; page++ {
		u := *s.timeline
		q := u.Query()
		q.Set("min_id", since)
		q.Set("limit", fmt.Sprint(backfillPageSize))
		u.RawQuery = q.Encode()
		req, err := s.newRequest(ctx, u.String(), "application/json")
		if err != nil {
			return err
		}
		resp, err := s.cfg.Client.Do(req)
		if err != nil {
			return fmt.Errorf("mastodon %s: backfill: %w", s.cfg.ID, err)
		}
		var statuses []json.RawMessage
		if resp.StatusCode != http.StatusOK {
			err = s.statusError("backfill", resp)
		} else if derr := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&statuses); derr != nil {
			err = fmt.Errorf("mastodon %s: backfill: decode timeline: %w", s.cfg.ID, derr)
		}
		resp.Body.Close()
		if err != nil {
			return err
		}
		if len(statuses) == 0 {
			return nil
		}
		// A min_id page holds the statuses right after min_id, newest first; emit them oldest first.
		next := since
		for i := len(statuses) - 1; i >= 0; i-- {
			st, err := DecodeStatus(statuses[i])
			if err != nil {
				s.tracker.Malformed(s.log, err)
				continue
			}
			if err := s.emitStatus(ctx, st, emit); err != nil {
				return err
			}
			if idLess(next, st.ID) {
				next = st.ID
			}
		}
		if next == since {
			return nil // a server that ignores min_id would otherwise loop
		}
		since = next
	}
	return nil
}
