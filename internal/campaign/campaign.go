// Package campaign owns coordination detection: near-duplicate clusters of posts by different accounts
// within a time window, scored higher when the accounts are young or share one link. It is the start of
// smear-campaign detection; internal/detect turns a cluster that crosses the threshold into a
// coordinated_campaign signal.
//
// Texts are compared by MinHash over word 2-shingles of the shared tokenizer's normalised tokens, with
// locality-sensitive hashing in bands, so adding a post costs a fixed number of map look-ups however
// many clusters are open. Reposts are not coordination and are left out by the caller.
package campaign

import (
	"math/bits"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// MinHash layout: numHash values in numBands bands of numRows. With 4 rows a pair with Jaccard
// similarity 0.6 shares at least one band with probability 1-(1-0.6^4)^4 ≈ 0.42 per band set, and 0.8
// with ≈ 0.92; the estimated similarity then decides.
const (
	numBands = 6
	numRows  = 4
	numHash  = numBands * numRows
	// minShingles keeps very short posts ("lol", "+1") out: any two of them look identical.
	minShingles = 4
)

// Config sets what counts as a campaign.
type Config struct {
	Window      time.Duration // a cluster closes when no post joined it for this long
	MinAccounts int           // distinct accounts needed before a cluster can fire
	Threshold   float64       // score needed to fire: AccountWeight·accounts + YoungWeight·young + LinkWeight·accounts sharing one link
	Similarity  float64       // estimated Jaccard similarity for a post to join a cluster
	YoungAge    time.Duration // an account younger than this at posting time counts as young
	// An ordinary account counts for AccountWeight, and a young one or one sharing the cluster's most
	// shared link counts more: people do post the same short line ("Goal!") on their own, while
	// fresh accounts pushing one link is the mark of a campaign.
	AccountWeight float64
	YoungWeight   float64
	LinkWeight    float64
	MaxClusters   int // bound on open clusters; the oldest are dropped first
	// MinMarked is how many of the accounts must be young or share the cluster's link (an account that
	// is both counts twice). Near-identical text from established accounts alone is not coordination:
	// people post the same short line about a goal or an advert on their own.
	MinMarked int
}

// DefaultConfig returns defaults: four young accounts posting near-identical text within 15 minutes
// fire, as do five established ones sharing one link; established accounts without a shared link never
// do.
func DefaultConfig() Config {
	return Config{
		Window:        15 * time.Minute,
		MinAccounts:   4,
		Threshold:     5,
		AccountWeight: 0.5,
		Similarity:    0.6,
		YoungAge:      30 * 24 * time.Hour,
		YoungWeight:   1,
		LinkWeight:    0.5,
		MaxClusters:   50000,
		MinMarked:     3,
	}
}

// Signature is the MinHash of one text plus the links it contains. A zero Signature (Valid false) is
// too short to compare.
type Signature struct {
	mins  [numHash]uint64
	Links []string
	Valid bool
}

// Signer computes signatures. It is not safe for concurrent use; keep one per goroutine. The hashes
// are fixed, not seeded per process, so a replay gives the same clusters every time.
type Signer struct {
	tz   text.Tokenizer
	toks []text.Token
}

// NewSigner returns a Signer.
func NewSigner() *Signer { return &Signer{} }

// Sign returns the signature of s.
func (sg *Signer) Sign(s string) Signature {
	var sig Signature
	sg.toks = sg.tz.Tokenize(sg.toks[:0], s)
	for i := range sig.mins {
		sig.mins[i] = ^uint64(0)
	}
	var prev string
	n := 0
	for _, tk := range sg.toks {
		switch tk.Kind {
		case text.URL:
			sig.Links = append(sig.Links, normLink(tk.Norm))
			continue
		case text.Punct:
			continue
		}
		if tk.Flags&text.Part != 0 {
			continue
		}
		if prev != "" {
			h := fnv(fnv(fnvOffset, prev)^0xff, tk.Norm)
			for i := range sig.mins {
				if v := mix(h, uint64(i)); v < sig.mins[i] {
					sig.mins[i] = v
				}
			}
			n++
		}
		prev = tk.Norm
	}
	sig.Valid = n >= minShingles
	return sig
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv is FNV-1a over s, continuing from h.
func fnv(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix derives the i-th hash from one shingle hash (a splitmix64 step), which is as good as numHash
// independent hash functions for MinHash and much cheaper.
func mix(h, i uint64) uint64 {
	z := h + (i+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// normLink lowercases a URL and drops its scheme, query and trailing slash, so tracking parameters do
// not hide that accounts share one link.
func normLink(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, "/")
}

// similarity estimates the Jaccard similarity of two signatures.
func similarity(a, b *[numHash]uint64) float64 {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / numHash
}

func bandKey(m *[numHash]uint64, band int) uint64 {
	h := uint64(band+1) * 0x9e3779b97f4a7c15
	for r := range numRows {
		h = bits.RotateLeft64(h^m[band*numRows+r], 23) * 0xff51afd7ed558ccd
	}
	return h
}

// Cluster is a group of near-identical posts, as reported when it fires.
type Cluster struct {
	ID           uint64
	First, Last  time.Time
	Accounts     int // distinct accounts
	Young        int // of which young
	Link         string
	LinkAccounts int // accounts that shared Link, the most shared link
	Score        float64
	PostIDs      []string // the first posts, in arrival order, at most maxPostIDs
}

const maxPostIDs = 20

type cluster struct {
	id       uint64
	sig      [numHash]uint64
	first    time.Time
	last     time.Time
	accounts map[string]struct{}
	young    int
	links    map[string]int
	postIDs  []string
	keys     [numBands]uint64
}

// Tracker holds the open clusters of one monitor. It is not safe for concurrent use; detect keeps one
// per monitor and owns its locking.
type Tracker struct {
	cfg      Config
	bands    map[uint64]*cluster
	clusters map[uint64]*cluster
	order    []uint64 // cluster ids by creation, for the MaxClusters bound
	nextID   uint64
	swept    time.Time
}

// NewTracker returns an empty tracker.
func NewTracker(cfg Config) *Tracker {
	return &Tracker{cfg: cfg, bands: map[uint64]*cluster{}, clusters: map[uint64]*cluster{}}
}

// Post is what the tracker needs of one post.
type Post struct {
	ID            string
	Author        string
	AuthorCreated *time.Time
	At            time.Time
	Sig           *Signature
}

// Add puts a post into its cluster, opening one when none is similar enough. It returns the cluster and
// true when the cluster meets the configured threshold after this post.
func (t *Tracker) Add(p Post) (Cluster, bool) {
	if p.Sig == nil || !p.Sig.Valid {
		return Cluster{}, false
	}
	t.sweep(p.At)
	var c *cluster
	for b := range numBands {
		if cand, ok := t.bands[bandKey(&p.Sig.mins, b)]; ok && similarity(&cand.sig, &p.Sig.mins) >= t.cfg.Similarity {
			c = cand
			break
		}
	}
	if c == nil {
		c = t.open(p)
	}
	c.last = p.At
	if _, seen := c.accounts[p.Author]; !seen {
		c.accounts[p.Author] = struct{}{}
		if p.AuthorCreated != nil && p.At.Sub(*p.AuthorCreated) < t.cfg.YoungAge {
			c.young++
		}
		seenLink := map[string]bool{}
		for _, l := range p.Sig.Links {
			if !seenLink[l] {
				seenLink[l] = true
				c.links[l]++
			}
		}
	}
	if len(c.postIDs) < maxPostIDs {
		c.postIDs = append(c.postIDs, p.ID)
	}
	if len(c.accounts) < t.cfg.MinAccounts {
		return Cluster{}, false
	}
	out := t.report(c)
	return out, out.Score >= t.cfg.Threshold && out.Young+out.LinkAccounts >= t.cfg.MinMarked
}

func (t *Tracker) open(p Post) *cluster {
	t.nextID++
	c := &cluster{id: t.nextID, sig: p.Sig.mins, first: p.At, accounts: map[string]struct{}{}, links: map[string]int{}}
	for b := range numBands {
		c.keys[b] = bandKey(&c.sig, b)
		if _, taken := t.bands[c.keys[b]]; !taken {
			t.bands[c.keys[b]] = c
		}
	}
	t.clusters[c.id] = c
	t.order = append(t.order, c.id)
	for len(t.clusters) > t.cfg.MaxClusters && len(t.order) > 0 {
		if old, ok := t.clusters[t.order[0]]; ok {
			t.drop(old)
		}
		t.order = t.order[1:]
	}
	return c
}

func (t *Tracker) drop(c *cluster) {
	for _, k := range c.keys {
		if t.bands[k] == c {
			delete(t.bands, k)
		}
	}
	delete(t.clusters, c.id)
}

// sweep closes clusters that saw no post for a window. It runs at most every tenth of a window, so its
// cost is spread thin.
func (t *Tracker) sweep(now time.Time) {
	if now.Sub(t.swept) < t.cfg.Window/10 {
		return
	}
	t.swept = now
	for _, c := range t.clusters {
		if now.Sub(c.last) > t.cfg.Window {
			t.drop(c)
		}
	}
	if len(t.order) > 2*len(t.clusters)+64 {
		kept := t.order[:0]
		for _, id := range t.order {
			if _, ok := t.clusters[id]; ok {
				kept = append(kept, id)
			}
		}
		t.order = kept
	}
}

// Open reports how many clusters are open, for tests and metrics.
func (t *Tracker) Open() int { return len(t.clusters) }

func (t *Tracker) report(c *cluster) Cluster {
	out := Cluster{ID: c.id, First: c.first, Last: c.last, Accounts: len(c.accounts), Young: c.young,
		PostIDs: append([]string(nil), c.postIDs...)}
	for l, n := range c.links {
		if n > out.LinkAccounts || (n == out.LinkAccounts && l < out.Link) {
			out.Link, out.LinkAccounts = l, n
		}
	}
	linkShare := 0
	if out.LinkAccounts >= 2 {
		linkShare = out.LinkAccounts
	}
	out.Score = t.cfg.AccountWeight*float64(out.Accounts) + t.cfg.YoungWeight*float64(out.Young) + t.cfg.LinkWeight*float64(linkShare)
	return out
}
