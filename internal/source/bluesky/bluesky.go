// Package bluesky listens to Bluesky through a Jetstream websocket: it decodes commit events that create
// app.bsky.feed.post records into posts, learns handles from identity events, and resumes from the
// time_us cursor after a reconnect or restart. Jetstream cursors are times, not sequence numbers, so a
// reconnect rewinds a few seconds to close any gap and drops the events it already handled. When asked,
// it also counts likes and reposts per post (engagement.go); Profiles resolves authors' DIDs to handles
// and follower counts (profiles.go).
package bluesky

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/klauspost/compress/zstd"
)

// Defaults for Config.
const (
	DefaultRewind      = 5 * time.Second
	DefaultIdleTimeout = time.Minute
	DefaultReadLimit   = 1 << 20
	DefaultHandles     = 50000
	DefaultSaveEvery   = time.Second
)

// Config configures one Jetstream source. URL is required.
type Config struct {
	ID  string // stable source id; default "bluesky:" + host
	URL string // the subscribe endpoint, such as wss://jetstream.example/subscribe
	// Collections are sent as wantedCollections; default app.bsky.feed.post. Jetstream sends identity and
	// account events regardless.
	Collections []string
	Rewind      time.Duration // how far a reconnect goes back before the cursor; default 5s
	// IdleTimeout ends a connection that delivered nothing for this long. The post stream is never quiet
	// for a minute, so silence means a dead connection that TCP has not noticed yet.
	IdleTimeout time.Duration
	ReadLimit   int64         // largest accepted message; default 1 MiB
	Handles     int           // handles remembered from identity events; default 50000
	SaveEvery   time.Duration // least time between cursor saves; default 1s
	HTTPClient  *http.Client  // used for the websocket handshake; nil means http.DefaultClient
	// ZstdDictionary, when set, asks Jetstream for compress=true and decodes each binary message as a zstd
	// frame with this dictionary, which cuts the bandwidth about in half. Jetstream compresses with one
	// fixed dictionary that it publishes; pass the contents of that file.
	ZstdDictionary []byte
	// Engagement, when set, makes the source also ask for likes and reposts, count them per post, and
	// hand the changed counts to Engagement every EngagementEvery (default 10s), so stored posts get
	// their engagement and the viral-post detector its velocity. Counts are kept for at most
	// EngagementSubjects posts (default 100000), the least recently engaged with forgotten first.
	Engagement         source.EmitCounts
	EngagementEvery    time.Duration
	EngagementSubjects int
	Cursors            source.CursorStore
	Clock              clock.Clock
	Metrics            *source.Metrics
	Logger             *slog.Logger
	Backoff            source.Backoff
	Sleep              source.SleepFunc
}

var _ source.Source = (*Source)(nil)

// Source is a Jetstream consumer. It implements source.Source.
type Source struct {
	cfg     Config
	base    *url.URL
	tracker *source.Tracker
	log     *slog.Logger
	handles *handleCache
	saves   source.Checkpoint

	// Run owns the fields below; mu lets Cursor read them while Run is running.
	mu        sync.Mutex
	cursor    int64            // time_us of the newest handled event
	recent    map[string]int64 // keys of handled events within the rewind window -> time_us
	sweepAt   int              // size of recent at which the next sweep runs
	tally     *tally           // likes and reposts per post, when counting engagement (engagement.go)
	flushedAt time.Time        // when the counts were last handed on
}

// New checks cfg and returns a source for it.
func New(cfg Config) (*Source, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss" && u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bluesky: URL %q is not a ws(s) URL", cfg.URL)
	}
	if cfg.ID == "" {
		cfg.ID = "bluesky:" + u.Host // Host holds no credentials, unlike the whole URL might
	}
	if len(cfg.Collections) == 0 {
		cfg.Collections = []string{CollectionPost}
	}
	if cfg.Rewind <= 0 {
		cfg.Rewind = DefaultRewind
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.ReadLimit <= 0 {
		cfg.ReadLimit = DefaultReadLimit
	}
	if cfg.Handles <= 0 {
		cfg.Handles = DefaultHandles
	}
	if cfg.SaveEvery <= 0 {
		cfg.SaveEvery = DefaultSaveEvery
	}
	if cfg.Engagement != nil {
		for _, c := range []string{CollectionLike, CollectionRepost} {
			if !slices.Contains(cfg.Collections, c) {
				cfg.Collections = append(slices.Clip(cfg.Collections), c)
			}
		}
		if cfg.EngagementEvery <= 0 {
			cfg.EngagementEvery = DefaultEngagementEvery
		}
		if cfg.EngagementSubjects <= 0 {
			cfg.EngagementSubjects = DefaultEngagementSubjects
		}
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ZstdDictionary != nil {
		// Refuse a wrong file now rather than at the first message.
		d, err := newDecoder(cfg.ZstdDictionary, cfg.ReadLimit)
		if err != nil {
			return nil, err
		}
		d.Close()
	}
	return &Source{
		cfg:     cfg,
		base:    u,
		tracker: source.NewTracker(cfg.ID, cfg.Clock, cfg.Metrics),
		log:     cfg.Logger.With("component", "source", "source", cfg.ID),
		handles: newHandleCache(cfg.Handles),
		saves:   source.Checkpoint{Store: cfg.Cursors, ID: cfg.ID, Every: cfg.SaveEvery},
		recent:  make(map[string]int64),
		tally:   newTally(max(cfg.EngagementSubjects, 1)),
	}, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.cfg.ID }

// Status returns the source's health.
func (s *Source) Status() source.Status { return s.tracker.Status() }

// Cursor returns the time_us of the newest event handled, or 0 before the first.
func (s *Source) Cursor() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor
}

// Run consumes the stream until ctx is cancelled.
func (s *Source) Run(ctx context.Context, emit source.Emit) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	var dec *zstd.Decoder
	if s.cfg.ZstdDictionary != nil {
		var err error
		if dec, err = newDecoder(s.cfg.ZstdDictionary, s.cfg.ReadLimit); err != nil {
			return err
		}
		defer dec.Close()
	}
	r := &source.Reconnector{Backoff: s.cfg.Backoff, Sleep: s.cfg.Sleep, Tracker: s.tracker, Logger: s.log}
	return r.RunThenFinish(ctx, func(ctx context.Context, up func()) error { return s.connect(ctx, up, emit, dec) },
		func(ctx context.Context) error {
			// The last counts and cursor may be waiting, since both are handed on spaced out.
			return errors.Join(s.flushEngagement(ctx, true), s.save(ctx, true))
		})
}

func (s *Source) load(ctx context.Context) error {
	raw, err := s.saves.Resume(ctx, func(raw string) bool {
		c, err := strconv.ParseInt(raw, 10, 64)
		return err == nil && c >= 0
	}, s.log)
	if err != nil || raw == "" {
		return err
	}
	c, _ := strconv.ParseInt(raw, 10, 64) // Resume checked it
	s.mu.Lock()
	s.cursor = c
	s.mu.Unlock()
	return nil
}

// save writes the cursor if it moved and, unless force is set, if SaveEvery has passed since the last
// save. It only ever runs after emit accepted the posts up to the cursor.
func (s *Source) save(ctx context.Context, force bool) error {
	if s.cfg.Cursors == nil {
		return nil
	}
	if err := s.saves.Save(ctx, strconv.FormatInt(s.Cursor(), 10), s.cfg.Clock.Now(), force); err != nil {
		return fmt.Errorf("bluesky %s: save cursor: %w", s.cfg.ID, err)
	}
	return nil
}

// subscribeURL is the endpoint with wantedCollections and, when resuming, a cursor rewound by Rewind.
func (s *Source) subscribeURL() string {
	u := *s.base
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	q := u.Query()
	q.Del("wantedCollections")
	q.Del("cursor")
	for _, c := range s.cfg.Collections {
		q.Add("wantedCollections", c)
	}
	q.Del("compress")
	if s.cfg.ZstdDictionary != nil {
		q.Set("compress", "true")
	}
	if c := s.Cursor(); c > 0 {
		q.Set("cursor", strconv.FormatInt(max(c-s.cfg.Rewind.Microseconds(), 1), 10))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// connect holds one websocket connection until it fails or ctx is done.
func (s *Source) connect(ctx context.Context, up func(), emit source.Emit, dec *zstd.Decoder) error {
	target := s.subscribeURL()
	// The context bounds only the handshake, so a server that accepts TCP but never answers cannot hang the
	// source; the connection itself lives on after cancel.
	dialCtx, cancelDial := context.WithTimeout(ctx, s.cfg.IdleTimeout)
	conn, resp, err := websocket.Dial(dialCtx, target, &websocket.DialOptions{HTTPClient: s.cfg.HTTPClient})
	cancelDial()
	if err != nil {
		err = fmt.Errorf("bluesky %s: dial: %w", s.cfg.ID, err)
		if resp == nil {
			return err
		}
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests &&
			resp.StatusCode != http.StatusRequestTimeout {
			// The endpoint rejects the request itself (a wrong path, a bad parameter): retrying will not help.
			return source.Permanent(err)
		}
		return source.RetryAfter(err, source.ParseRetryAfter(resp.Header.Get("Retry-After"), s.cfg.Clock.Now()))
	}
	defer conn.CloseNow()
	conn.SetReadLimit(s.cfg.ReadLimit)
	s.log.Info("connected", "cursor", s.Cursor())
	first := true
	var buf []byte // reused for decompressed messages, which handle does not keep
	for {
		readCtx, cancel := context.WithTimeout(ctx, s.cfg.IdleTimeout)
		typ, data, err := conn.Read(readCtx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("bluesky %s: read: %w", s.cfg.ID, err)
		}
		if typ == websocket.MessageBinary {
			// Binary messages are zstd frames, sent only when asked for with compress=true.
			if dec == nil {
				s.tracker.Malformed(s.log, errors.New("bluesky: binary message without compression configured"))
				continue
			}
			if data, err = dec.DecodeAll(data, buf[:0]); err != nil {
				s.tracker.Malformed(s.log, fmt.Errorf("bluesky: decompress: %w", err))
				continue
			}
			buf = data
		}
		if first {
			up()
			first = false
		}
		if err := s.handle(ctx, data, emit); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// handle processes one message. Decoding problems are counted and skipped: one malformed record must not
// stall the stream.
func (s *Source) handle(ctx context.Context, data []byte, emit source.Emit) error {
	if ctx.Err() != nil {
		return nil // stopped: a cancelled source emits nothing more
	}
	ev, err := DecodeEvent(data)
	if err != nil {
		s.tracker.Malformed(s.log, err)
		return nil
	}
	key := eventKey(ev)
	s.mu.Lock()
	_, dup := s.recent[key]
	s.mu.Unlock()
	if dup {
		return nil // replayed by the rewind after a reconnect
	}
	switch ev.Kind {
	case kindIdentity:
		if ev.Identity != nil {
			s.handles.set(ev.DID, ev.Identity.Handle)
		}
	case kindCommit:
		if counted, err := s.countEngagement(ev); counted {
			if err != nil {
				s.tracker.Malformed(s.log, err)
			}
			break
		}
		p, err := ToPost(ev, s.handles.get(ev.DID))
		switch {
		case errors.Is(err, errSkip):
		case err != nil:
			s.tracker.Malformed(s.log, err)
		default:
			if err := emit(ctx, p); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return source.EmitError(err)
			}
			s.tracker.Accepted(time.UnixMicro(ev.TimeUS))
		}
	}
	s.mu.Lock()
	s.recent[key] = ev.TimeUS
	if ev.TimeUS > s.cursor {
		s.cursor = ev.TimeUS
	}
	// Forget keys that a rewind can no longer replay. Sweeping only when the map has doubled since the last
	// sweep keeps the cost per event constant, however busy the stream is.
	// The live keys are copied into a fresh map rather than deleted in place, because a Go map never gives
	// back the buckets it grew: after one burst (a catch-up after a stall) it would keep its peak size.
	if len(s.recent) >= max(s.sweepAt, 4096) {
		horizon := s.cursor - 2*s.cfg.Rewind.Microseconds()
		live := 0
		for _, t := range s.recent {
			if t >= horizon {
				live++
			}
		}
		next := make(map[string]int64, live)
		for k, t := range s.recent {
			if t >= horizon {
				next[k] = t
			}
		}
		s.recent = next
		s.sweepAt = 2 * len(s.recent)
	}
	s.mu.Unlock()
	if err := s.flushEngagement(ctx, false); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	return s.save(ctx, false)
}

// newDecoder returns a zstd decoder for Jetstream's messages. It decodes whole messages with DecodeAll,
// one at a time, so it needs no concurrency, and it refuses output larger than limit, which stops a
// compression bomb as ReadLimit stops an oversized message.
func newDecoder(dict []byte, limit int64) (*zstd.Decoder, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderDicts(dict), zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(uint64(limit)))
	if err != nil {
		return nil, fmt.Errorf("bluesky: zstd dictionary: %w", err)
	}
	return d, nil
}

// eventKey identifies an event independent of when it was delivered, so a replay is recognised.
func eventKey(ev Event) string {
	if ev.Commit != nil {
		return ev.DID + "|" + ev.Commit.Collection + "|" + ev.Commit.RKey + "|" + ev.Commit.Rev + "|" + ev.Commit.Operation
	}
	return ev.Kind + "|" + ev.DID + "|" + strconv.FormatInt(ev.TimeUS, 10)
}

// handleCache is a bounded least-recently-used map from DID to handle.
type handleCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front is most recent; values are DIDs
	items map[string]*list.Element
	names map[string]string
}

func newHandleCache(n int) *handleCache {
	return &handleCache{max: n, order: list.New(), items: make(map[string]*list.Element), names: make(map[string]string)}
}

func (c *handleCache) get(did string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[did]
	if !ok {
		return ""
	}
	c.order.MoveToFront(e)
	return c.names[did]
}

// set records did's handle; an empty or "handle.invalid" handle forgets it, since the DID no longer has a
// verified one.
func (c *handleCache) set(did, handle string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if handle == "" || handle == "handle.invalid" || len(handle) > 253 {
		if e, ok := c.items[did]; ok {
			c.order.Remove(e)
			delete(c.items, did)
			delete(c.names, did)
		}
		return
	}
	if e, ok := c.items[did]; ok {
		c.order.MoveToFront(e)
	} else {
		c.items[did] = c.order.PushFront(did)
	}
	c.names[did] = handle
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		d := old.Value.(string)
		delete(c.items, d)
		delete(c.names, d)
	}
}
