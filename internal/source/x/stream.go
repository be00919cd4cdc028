package x

import (
	"bufio"
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// Paths of the endpoints the source reads.
const (
	StreamPath = "/2/tweets/search/stream"
	SearchPath = "/2/tweets/search/recent"
)

// Defaults for Config.
const (
	// X sends a keep-alive line every 20 seconds; missing one and a half of them means a dead connection.
	DefaultIdleTimeout   = 30 * time.Second
	DefaultBackfillPages = 10
	DefaultMaxLine       = 1 << 20
	DefaultSaveEvery     = time.Second
	rememberedIDs        = 10000
	searchPageSize       = 100
)

// Config configures one filtered-stream source. Client is required.
type Config struct {
	ID     string // stable source id; default "x:" + API host
	Client *Client
	// IdleTimeout ends a connection that sent neither a post nor a keep-alive for this long.
	IdleTimeout time.Duration
	// BackfillPages bounds the recent-search pages read per rule after a reconnect; negative turns the
	// backfill off.
	BackfillPages int
	MaxLine       int           // largest accepted stream line; default 1 MiB
	SaveEvery     time.Duration // least time between cursor saves; default 1s
	// Engagement, when set, takes the current counts of the tweets each streamed tweet retweets,
	// quotes or answers, which X includes with it, so a stored tweet's counts grow as it spreads.
	Engagement source.EmitCounts
	Cursors    source.CursorStore
	Clock      clock.Clock
	Metrics    *source.Metrics
	Logger     *slog.Logger
	Backoff    source.Backoff
	Sleep      source.SleepFunc
}

var _ source.Source = (*Source)(nil)

// Source listens on the filtered stream with whatever rules the stream has; SyncRules sets them. After a
// reconnect or restart it first asks recent search, rule by rule, for the tweets newer than the newest one
// it emitted (since_id), so a disconnect loses nothing, and it drops the tweets it has already emitted, so
// nothing arrives twice.
type Source struct {
	cfg     Config
	tracker *source.Tracker
	log     *slog.Logger
	saves   source.Checkpoint

	mu     sync.Mutex
	cursor string // id of the newest tweet emitted
	seen   map[string]*list.Element
	order  *list.List
}

// New checks cfg and returns a source.
func New(cfg Config) (*Source, error) {
	if cfg.Client == nil {
		return nil, errors.New("x: a client is required")
	}
	if cfg.ID == "" {
		cfg.ID = "x:" + cfg.Client.base.Host
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.BackfillPages == 0 {
		cfg.BackfillPages = DefaultBackfillPages
	}
	if cfg.MaxLine <= 0 {
		cfg.MaxLine = DefaultMaxLine
	}
	if cfg.SaveEvery <= 0 {
		cfg.SaveEvery = DefaultSaveEvery
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Source{
		cfg:     cfg,
		tracker: source.NewTracker(cfg.ID, cfg.Clock, cfg.Metrics),
		log:     cfg.Logger.With("component", "source", "source", cfg.ID),
		saves:   source.Checkpoint{Store: cfg.Cursors, ID: cfg.ID, Every: cfg.SaveEvery},
		seen:    make(map[string]*list.Element),
		order:   list.New(),
	}, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.cfg.ID }

// Status returns the source's health.
func (s *Source) Status() source.Status { return s.tracker.Status() }

// Cursor returns the id of the newest tweet emitted, or "".
func (s *Source) Cursor() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor
}

// Run listens until ctx is cancelled.
func (s *Source) Run(ctx context.Context, emit source.Emit) error {
	c, err := s.saves.Resume(ctx, isTweetID, s.log)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cursor = c
	s.mu.Unlock()
	r := &source.Reconnector{Backoff: s.cfg.Backoff, Sleep: s.cfg.Sleep, Tracker: s.tracker, Logger: s.log}
	return r.RunThenFinish(ctx, func(ctx context.Context, up func()) error { return s.connect(ctx, up, emit) },
		func(ctx context.Context) error { return s.save(ctx, true) })
}

func (s *Source) save(ctx context.Context, force bool) error {
	if err := s.saves.Save(ctx, s.Cursor(), s.cfg.Clock.Now(), force); err != nil {
		return fmt.Errorf("x %s: save cursor: %w", s.cfg.ID, err)
	}
	return nil
}

func tweetQuery() url.Values {
	return url.Values{"tweet.fields": {TweetFields}, "expansions": {Expansions}, "user.fields": {UserFields}}
}

var (
	errIdle = errors.New("no data or keep-alive")
	errEmit = errors.New("emit failed")
)

// connect opens the stream, backfills what was missed while disconnected, then reads the stream until it
// fails or ctx is done. The stream is opened before the backfill, so a tweet posted in between reaches
// one of them; the overlap is dropped by id.
func (s *Source) connect(parent context.Context, up func(), emit source.Emit) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	req, err := s.cfg.Client.newRequest(ctx, http.MethodGet, StreamPath, tweetQuery(), nil)
	if err != nil {
		return err
	}
	idle := time.AfterFunc(s.cfg.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	resp, err := s.cfg.Client.send(req, "connect stream")
	if err != nil {
		if errors.Is(context.Cause(ctx), errIdle) {
			return fmt.Errorf("x %s: connect: no answer for %s", s.cfg.ID, s.cfg.IdleTimeout)
		}
		return err
	}
	defer resp.Body.Close()
	s.log.Info("connected", "cursor", s.Cursor())
	up()

	idle.Stop()
	if err := s.backfill(ctx, emit); err != nil {
		switch {
		case parent.Err() != nil:
			return nil
		case errors.Is(err, errEmit), !source.IsPermanent(err):
			// A failed emit stops the source; a rate limit or server error retries the whole connection,
			// backfill included, so the gap is closed once X answers again.
			return err
		}
		// Recent search refused the request itself (it reaches back only seven days, or the plan lacks
		// it): a gap is then unavoidable, but the stream is still worth reading.
		s.tracker.Error(err)
		s.log.Warn("backfill failed; continuing with the stream", "err", err)
	}

	idle.Reset(s.cfg.IdleTimeout)
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	for {
		line, err := readLine(br, s.cfg.MaxLine)
		switch {
		case parent.Err() != nil:
			return nil
		case errors.Is(context.Cause(ctx), errIdle):
			return fmt.Errorf("x %s: %w for %s", s.cfg.ID, errIdle, s.cfg.IdleTimeout)
		case errors.Is(err, errLineTooLong):
			s.tracker.Malformed(s.log, fmt.Errorf("x %s: %w", s.cfg.ID, err))
			continue
		case errors.Is(err, io.EOF):
			return nil // X closed the stream; the loop reconnects
		case err != nil:
			return fmt.Errorf("x %s: read stream: %w", s.cfg.ID, err)
		}
		idle.Reset(s.cfg.IdleTimeout)
		if len(line) == 0 {
			continue // keep-alive
		}
		sl, err := DecodeStreamLine(line)
		if err != nil {
			s.tracker.Malformed(s.log, err)
			continue
		}
		if sl.Data == nil {
			// An errors-only line: X says why it is about to end the stream (operational-disconnect,
			// ConnectionException), or reports a problem that ends nothing.
			err := fmt.Errorf("x %s: stream: %s", s.cfg.ID, problems(sl.Errors))
			if isDisconnect(sl.Errors) {
				return err
			}
			s.tracker.Error(err)
			s.log.Warn("stream reported a problem", "err", err)
			continue
		}
		// The counts of the tweets it refers to first: those were streamed before it.
		if err := s.emitIncludedCounts(ctx, sl.Includes); err != nil {
			return err
		}
		if err := s.emitTweet(ctx, *sl.Data, sl.Includes, emit); err != nil {
			return err
		}
	}
}

func problems(ps []Problem) string {
	var b bytes.Buffer
	for i, p := range ps {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

func isDisconnect(ps []Problem) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool {
		return p.DisconnectType != "" || p.Title == "operational-disconnect" || p.Title == "ConnectionException"
	})
}

var errLineTooLong = errors.New("stream line too long")

// readLine reads one line without its \r\n. A line longer than max is consumed and reported with
// errLineTooLong, so one giant line cannot exhaust memory or stop the stream.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == nil:
			if tooLong {
				return nil, errLineTooLong
			}
			return bytes.TrimRight(line, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, err
		}
	}
}

// emitTweet hands one tweet on unless it was emitted already, and moves the cursor past it.
func (s *Source) emitTweet(ctx context.Context, t Tweet, inc Includes, emit source.Emit) error {
	if ctx.Err() != nil {
		return nil
	}
	s.mu.Lock()
	_, dup := s.seen[t.ID]
	s.mu.Unlock()
	if dup {
		return nil
	}
	users := make(map[string]User, len(inc.Users))
	for _, u := range inc.Users {
		users[u.ID] = u
	}
	p, err := ToPost(t, users)
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
	s.mu.Lock()
	s.seen[t.ID] = s.order.PushBack(t.ID)
	for s.order.Len() > rememberedIDs {
		old := s.order.Front()
		s.order.Remove(old)
		delete(s.seen, old.Value.(string))
	}
	if idLess(s.cursor, t.ID) {
		s.cursor = t.ID
	}
	s.mu.Unlock()
	return s.save(ctx, false)
}

// searchPage is an answer of recent search.
type searchPage struct {
	Data     []Tweet   `json:"data"`
	Includes Includes  `json:"includes"`
	Errors   []Problem `json:"errors"`
	Meta     struct {
		NewestID    string `json:"newest_id"`
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
}

type found struct {
	t   Tweet
	inc Includes
}

// backfill asks recent search, for each rule, for the tweets after the cursor, and emits them oldest
// first. Search pages run newest first and a rule's pages are read to the end (or BackfillPages) before
// anything is emitted, so the cursor never jumps past a tweet not yet emitted.
func (s *Source) backfill(ctx context.Context, emit source.Emit) error {
	since := s.Cursor()
	if since == "" || s.cfg.BackfillPages < 0 {
		return nil // a first start listens live, as the stream does
	}
	rules, err := s.cfg.Client.Rules(ctx)
	if err != nil {
		return fmt.Errorf("x %s: backfill: %w", s.cfg.ID, err)
	}
	var all []found
	var pages []Includes // each page's expansions, for the counts of the tweets its tweets refer to
	for _, r := range rules {
		next := ""
		for page := 0; page < s.cfg.BackfillPages; page++ {
			q := tweetQuery()
			q.Set("query", r.Value)
			q.Set("since_id", since)
			q.Set("max_results", strconv.Itoa(searchPageSize))
			if next != "" {
				q.Set("next_token", next)
			}
			var sp searchPage
			if err := s.cfg.Client.getJSON(ctx, "recent search", SearchPath, q, &sp); err != nil {
				return fmt.Errorf("x %s: backfill rule %q: %w", s.cfg.ID, r.Tag, err)
			}
			for _, t := range sp.Data {
				all = append(all, found{t, sp.Includes})
			}
			pages = append(pages, sp.Includes)
			if next = sp.Meta.NextToken; next == "" {
				break
			}
		}
	}
	slices.SortStableFunc(all, func(a, b found) int {
		switch {
		case idLess(a.t.ID, b.t.ID):
			return -1
		case idLess(b.t.ID, a.t.ID):
			return 1
		}
		return 0
	})
	// The counts of the tweets they refer to first, as on the stream.
	for _, inc := range pages {
		if err := s.emitIncludedCounts(ctx, inc); err != nil {
			return err
		}
	}
	for _, f := range all {
		if !isTweetID(f.t.ID) {
			s.tracker.Malformed(s.log, fmt.Errorf("x %s: search result with bad id %q", s.cfg.ID, f.t.ID))
			continue
		}
		if err := s.emitTweet(ctx, f.t, f.inc, emit); err != nil {
			return err
		}
	}
	return nil
}
