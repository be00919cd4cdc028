package bluesky

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
)

// Defaults for ProfilesConfig.
const (
	DefaultAppView     = "https://public.api.bsky.app"
	DefaultProfileTTL  = 6 * time.Hour
	DefaultMissTTL     = 10 * time.Minute
	DefaultProfiles    = 50000
	DefaultLookupLimit = 5 * time.Second
	// profilesPerCall is the most actors app.bsky.actor.getProfiles takes in one call.
	profilesPerCall = 25
	// failurePause is how long lookups stop after one failed.
	failurePause = time.Minute
)

// ProfilesConfig configures a Profiles. The zero value asks the public AppView.
type ProfilesConfig struct {
	URL        string        // AppView base URL; default DefaultAppView
	HTTPClient *http.Client  // nil means http.DefaultClient
	TTL        time.Duration // how long a profile is trusted; default 6h
	MissTTL    time.Duration // how long a DID without a profile is not asked again; default 10m
	Size       int           // profiles remembered; default 50000
	// Timeout bounds one Enrich, every call included, so a slow AppView delays ingest by at most this
	// much; posts it could not resolve go on without a handle. Default 5s.
	Timeout time.Duration
	Clock   clock.Clock
	Logger  *slog.Logger
}

// Profile is what the AppView says about an account.
type Profile struct {
	DID       string     `json:"did"`
	Handle    string     `json:"handle"`
	Name      string     `json:"displayName"`
	Followers int64      `json:"followersCount"`
	Following int64      `json:"followsCount"`
	CreatedAt *time.Time `json:"createdAt"`
}

// Profiles resolves the DIDs that Jetstream names authors by to their handles, names and follower
// counts with app.bsky.actor.getProfiles, in batches, and remembers them for a while in a bounded
// cache. Jetstream's identity events give handles only for accounts that change theirs while the
// source listens, and the detectors need follower counts to weigh reach. It is safe for concurrent use.
type Profiles struct {
	cfg      ProfilesConfig
	endpoint string
	log      *slog.Logger

	mu    sync.Mutex
	order *list.List // DIDs, least recently used at the front
	items map[string]*list.Element
	known map[string]cached
	// pausedUntil stops lookups for a while after one failed, so an AppView that is down or
	// unreachable delays one batch, not every batch.
	pausedUntil time.Time
}

type cached struct {
	p       Profile
	found   bool
	expires time.Time
}

// NewProfiles checks cfg and returns a resolver.
func NewProfiles(cfg ProfilesConfig) (*Profiles, error) {
	if cfg.URL == "" {
		cfg.URL = DefaultAppView
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bluesky: AppView URL %q is not an http(s) URL", cfg.URL)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultProfileTTL
	}
	if cfg.MissTTL <= 0 {
		cfg.MissTTL = DefaultMissTTL
	}
	if cfg.Size <= 0 {
		cfg.Size = DefaultProfiles
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultLookupLimit
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Profiles{
		cfg: cfg, endpoint: strings.TrimRight(cfg.URL, "/") + "/xrpc/app.bsky.actor.getProfiles",
		log:   cfg.Logger.With("component", "bluesky-profiles"),
		order: list.New(), items: map[string]*list.Element{}, known: map[string]cached{},
	}, nil
}

// Enrich fills in the author of each Bluesky post whose author is a DID: the handle when the post has
// none, and the name, follower and following counts and account age when the post lacks them. DIDs
// not in the cache are looked up in batches. A failed lookup is logged and the posts go on as they
// are: a missing handle must not hold up a crisis signal.
func (p *Profiles) Enrich(ctx context.Context, posts []*post.Post) {
	var want []string
	seen := map[string]bool{}
	for _, ps := range posts {
		did := ps.Author.ID
		if ps.Platform != "bluesky" || !validDID(did) || seen[did] {
			continue
		}
		seen[did] = true
		if _, ok := p.lookup(did); !ok {
			want = append(want, did)
		}
	}
	now := p.cfg.Clock.Now()
	p.mu.Lock()
	paused := now.Before(p.pausedUntil)
	p.mu.Unlock()
	if len(want) > 0 && !paused {
		ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
		defer cancel()
		if err := p.fetch(ctx, want); err != nil {
			p.mu.Lock()
			p.pausedUntil = now.Add(failurePause)
			p.mu.Unlock()
			p.log.WarnContext(ctx, "resolving Bluesky authors failed; posts go on without handles, and lookups pause",
				"dids", len(want), "pause", failurePause, "err", err)
		}
	}
	for _, ps := range posts {
		if ps.Platform != "bluesky" {
			continue
		}
		c, ok := p.lookup(ps.Author.ID)
		if !ok || !c.found {
			continue
		}
		a := &ps.Author
		if a.Handle == "" && c.p.Handle != "handle.invalid" {
			a.Handle = c.p.Handle
		}
		if a.Name == "" {
			a.Name = c.p.Name
		}
		if a.Followers == 0 && a.Following == 0 {
			a.Followers, a.Following = max(c.p.Followers, 0), max(c.p.Following, 0)
		}
		if a.CreatedAt == nil && c.p.CreatedAt != nil {
			t := c.p.CreatedAt.UTC()
			a.CreatedAt = &t
		}
	}
}

// lookup returns the cached entry of did if it has not expired.
func (p *Profiles) lookup(did string) (cached, bool) {
	now := p.cfg.Clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.known[did]
	if !ok || !now.Before(c.expires) {
		return cached{}, false
	}
	p.order.MoveToBack(p.items[did])
	return c, true
}

func (p *Profiles) remember(did string, c cached) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.items[did]; ok {
		p.order.MoveToBack(e)
	} else {
		p.items[did] = p.order.PushBack(did)
	}
	p.known[did] = c
	for p.order.Len() > p.cfg.Size {
		old := p.order.Front()
		p.order.Remove(old)
		delete(p.items, old.Value.(string))
		delete(p.known, old.Value.(string))
	}
}

// fetch asks the AppView for dids, profilesPerCall at a time, and caches what it says, including which
// DIDs have no profile (deleted or taken-down accounts), so they are not asked again at once.
func (p *Profiles) fetch(ctx context.Context, dids []string) error {
	for start := 0; start < len(dids); start += profilesPerCall {
		batch := dids[start:min(start+profilesPerCall, len(dids))]
		got, err := p.getProfiles(ctx, batch)
		if err != nil {
			return err
		}
		now := p.cfg.Clock.Now()
		for _, did := range batch {
			if pr, ok := got[did]; ok {
				p.remember(did, cached{p: pr, found: true, expires: now.Add(p.cfg.TTL)})
			} else {
				p.remember(did, cached{expires: now.Add(p.cfg.MissTTL)})
			}
		}
	}
	return nil
}

// getProfiles is one call of app.bsky.actor.getProfiles.
func (p *Profiles) getProfiles(ctx context.Context, dids []string) (map[string]Profile, error) {
	q := url.Values{"actors": dids}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "crisisdesk-bluesky/1")
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bluesky: getProfiles: %w", err)
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, 4<<20)
	if resp.StatusCode != http.StatusOK {
		var xe struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.NewDecoder(body).Decode(&xe)
		return nil, fmt.Errorf("bluesky: getProfiles: %s %s %s", resp.Status, source.Truncate(xe.Error, 100), source.Truncate(xe.Message, 200))
	}
	var out struct {
		Profiles []Profile `json:"profiles"`
	}
	if err := json.NewDecoder(body).Decode(&out); err != nil {
		return nil, fmt.Errorf("bluesky: getProfiles: decode: %w", err)
	}
	m := make(map[string]Profile, len(out.Profiles))
	for _, pr := range out.Profiles {
		if !validDID(pr.DID) {
			continue
		}
		if len(pr.Handle) > 253 {
			pr.Handle = ""
		}
		pr.Name = source.Truncate(pr.Name, 200)
		m[pr.DID] = pr
	}
	return m, nil
}
