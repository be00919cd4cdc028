// Package detect owns the per-monitor signals kept over time and the detectors that read them. For each
// monitor it keeps one-minute buckets of volume, non-positive and negative volume, complaints, unique
// authors, reach and crisis categories; a baseline that learns the rate for each hour of the week; and
// the state of viral posts and near-duplicate clusters. Detectors turn these into Signals, which
// internal/alert groups, scores and explains.
//
// Time comes from the injected clock only: the real clock under serve, a simulated one set to each
// post's created_at under replay and in drills. State is per monitor, so detectors can be partitioned
// by monitor id, and everything here is deterministic for a given input.
package detect

import (
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/campaign"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Signal kinds, as the alert contract in DESIGN.md names them. A category signal is KindCategoryPrefix
// followed by the category name.
const (
	VolumeSpike         = "volume_spike"
	NegativeSpike       = "negative_spike"
	ViralPost           = "viral_post"
	InfluentialAuthor   = "influential_author"
	CoordinatedCampaign = "coordinated_campaign"
	KindCategoryPrefix  = "category:"
)

// Categories is the fixed set of crisis categories of the analysis contract.
var Categories = [...]string{
	"data_breach", "product_safety", "service_outage", "employee_conduct",
	"discrimination", "fraud_scam", "legal_regulatory", "boycott",
}

const nCat = len(Categories)

func categoryIndex(c string) int {
	for i, n := range Categories {
		if n == c {
			return i
		}
	}
	return -1
}

// Input is one analysed post and the monitors it matched. detect declares it rather than importing the
// analyzer, so detection does not depend on how analysis is done; the caller copies the results in.
type Input struct {
	Post       *post.Post
	Sentiment  string // negative, neutral or positive
	Complaint  bool
	Lang       string
	Categories []string
	Monitors   []string
}

// Config holds every threshold. DefaultConfig gives values measured on the scenarios in
// docs/DETECTION.md.
type Config struct {
	ShortWindow time.Duration // the fast sliding window (at most an hour)
	LongWindow  time.Duration // the slow sliding window, for waves that build (at most an hour)
	SignalEvery time.Duration // a window detector signals at most this often per monitor and kind

	// Baseline.
	WarmupHours         float64 // hours of history before a monitor trusts its own rates
	PriorRate           float64 // posts per minute assumed during warm-up, as a floor: conservative on purpose
	PriorNonPosShare    float64
	PriorNegShare       float64
	PriorComplaintShare float64
	MinRate             float64 // floor on any expected rate, so an empty hour does not make one post significant
	LearnCap            float64 // an hour is fed to the baseline at most at this multiple of what was expected
	Dispersion          float64 // quasi-Poisson variance factor

	// volume_spike.
	VolumeP float64 // significance level
	WarmupP float64 // stricter level during warm-up
	// WarmupJumpP is the level during warm-up for a sudden jump: a short window holding at least
	// WarmupJump times the per-minute rate of the rest of the long window. A new monitor has not yet
	// learned its daily rhythm, so a slow rise may be its first morning; a jump is not (jump.go).
	WarmupJumpP    float64
	WarmupJump     float64
	VolumeMinShort float64 // minimum non-positive posts in the short window
	VolumeMinLong  float64
	VolumeRatio    float64 // observed must also be at least this multiple of expected
	MinAuthors     int     // distinct authors in the window, so one account cannot make a spike
	// VolumePositiveMax: a window whose positive share is above this does not fire, so praise is not a
	// volume crisis.
	VolumePositiveMax float64

	// negative_spike.
	NegativeP     float64
	NegativeMin   float64 // minimum negative posts in the window
	NegativeShare float64 // minimum negative share of the window
	NegativeRise  float64 // the share must exceed the expected share by this much
	NegativeRatio float64 // and the negative count must be this multiple of its expected count

	// negative_spike, sustained: a one-sided Poisson CUSUM per minute over negative posts and over
	// complaints, for waves that build too slowly for the window tests (drift.go).
	DriftRatio      float64 // the rise the CUSUM is tuned to: this multiple of the expected rate
	DriftThreshold  float64 // the CUSUM statistic (log-likelihood ratio, after the dispersion) that fires
	DriftMinMinutes int     // the rise must have lasted this long
	DriftMinExcess  float64 // posts above the expected count in the run, at the least
	DriftShareRise  float64 // the series' share of all posts in the run must exceed its usual share by this much
	DriftP          float64 // and the run's count must be significant at this level (quasi-Poisson)
	DriftMinHours   float64 // history a monitor needs before its drift is tested
	// DriftMaxMinutes ends a run that has gone on this long without firing and starts a new one: a
	// rate a little above the baseline for hours is the baseline lagging, not a wave building.
	DriftMaxMinutes int

	// viral_post.
	ViralWindow      time.Duration // velocity is measured over this window
	ViralMinVelocity float64       // reposts, quotes and replies per minute, at the least
	ViralFactor      float64       // times the monitor's normal top velocity
	ViralReach       int64         // a post predicted to reach this many accounts fires too
	ViralHorizon     time.Duration // how far ahead reach is predicted
	ViralMinRefs     int           // references needed before reach is predicted

	// influential_author.
	InfluentialFollowers int64

	// category:<name>.
	CategoryWindow time.Duration
	CategoryMin    int
	CategoryFactor float64

	Campaign campaign.Config
}

// DefaultConfig returns the thresholds used by serve and replay unless the crisis plan overrides them.
func DefaultConfig() Config {
	return Config{
		ShortWindow: 10 * time.Minute,
		LongWindow:  60 * time.Minute,
		SignalEvery: time.Minute,

		WarmupHours:         24,
		PriorRate:           0.2,
		PriorNonPosShare:    0.8,
		PriorNegShare:       0.25,
		PriorComplaintShare: 0.25,
		MinRate:             1.0 / 30,
		LearnCap:            3,
		Dispersion:          1.5,

		VolumeP:           1e-5,
		WarmupP:           1e-7,
		WarmupJumpP:       1e-5,
		WarmupJump:        2,
		VolumeMinShort:    10,
		VolumeMinLong:     25,
		VolumeRatio:       2.5,
		MinAuthors:        5,
		VolumePositiveMax: 0.5,

		NegativeP:     1e-5,
		NegativeMin:   6,
		NegativeShare: 0.35,
		NegativeRise:  0.15,
		NegativeRatio: 2,

		DriftRatio:      2,
		DriftThreshold:  5,
		DriftMinMinutes: 15,
		DriftMinExcess:  8,
		DriftShareRise:  0.1,
		DriftP:          1e-5,
		DriftMinHours:   168,
		DriftMaxMinutes: 180,

		ViralWindow:      10 * time.Minute,
		ViralMinVelocity: 1,
		ViralFactor:      3,
		ViralReach:       500_000,
		ViralHorizon:     time.Hour,
		ViralMinRefs:     8,

		InfluentialFollowers: 50_000,

		CategoryWindow: time.Hour,
		CategoryMin:    2,
		CategoryFactor: 4,

		Campaign: campaign.DefaultConfig(),
	}
}

func (c *Config) validate() error {
	for _, w := range []struct {
		name string
		d    time.Duration
	}{{"short window", c.ShortWindow}, {"long window", c.LongWindow}, {"category window", c.CategoryWindow}} {
		if w.d < time.Minute || w.d > ringLen*time.Minute {
			return fmt.Errorf("detect: %s %v: want between 1m and %dm", w.name, w.d, ringLen)
		}
	}
	if c.ViralWindow < time.Minute || c.ViralWindow > viralLen*time.Minute {
		return fmt.Errorf("detect: viral window %v: want between 1m and %dm", c.ViralWindow, viralLen)
	}
	if c.DriftRatio <= 1 || c.DriftThreshold <= 0 {
		return fmt.Errorf("detect: drift ratio %v and threshold %v: want a ratio above 1 and a positive threshold", c.DriftRatio, c.DriftThreshold)
	}
	if c.Campaign.Window <= 0 || c.Campaign.MinAccounts < 2 {
		return fmt.Errorf("detect: campaign window %v and minimum accounts %d: want a positive window and at least 2 accounts", c.Campaign.Window, c.Campaign.MinAccounts)
	}
	return nil
}

// PostRef is one post named in a signal, with what the explanation shows of it.
type PostRef struct {
	ID       string
	Platform string // with ID, the post's key in the store, so an explanation can show its text
	Reach    int64
	Author   string
	Lang     string
}

// Count is a name with how often it occurred.
type Count struct {
	Name string
	N    int
}

// Signal is one detector firing for one monitor. Fields that do not apply to a kind are zero.
type Signal struct {
	Monitor string
	Kind    string
	At      time.Time
	Subject string // what the signal is about when not the whole monitor: a post id or a cluster id

	Window   time.Duration
	Observed float64 // posts (or negative posts, or category posts) in the window
	Expected float64
	PValue   float64 // of the upper-tail test; 0 for detectors that do not test
	Warmup   bool    // the expected figure came from the warm-up prior, not from the monitor's history

	Posts       int     // posts in the window
	Authors     int     // distinct authors in the window
	Reach       int64   // sum of author followers in the window, or of the post's spreaders
	NegShare    float64 // negative share in the window
	ExpectedNeg float64 // the expected negative share
	Velocity    float64 // per minute: references to a viral post
	NormalVel   float64 // the monitor's normal top velocity
	Predicted   int64   // predicted reach of a viral post after ViralHorizon
	AuthorKind  string
	Verified    bool
	Followers   int64
	Category    string
	// Sustained marks a negative_spike from the drift detector: a rise of Series ("negative" or
	// "complaints") that built over Window rather than a burst inside it.
	Sustained    bool
	Series       string
	Accounts     int // coordinated_campaign: distinct accounts
	Young        int
	Link         string
	LinkAccounts int

	Top        []PostRef // top posts by reach
	Langs      []Count
	Categories []Count
}

// Detector runs every detector for every monitor. It is safe for concurrent use; one lock guards all
// monitors, so callers that need more throughput run one Detector per partition of monitor ids.
type Detector struct {
	cfg    Config
	clock  clock.Clock
	logger *slog.Logger

	mu       sync.Mutex
	monitors map[string]*monitor
	signer   *campaign.Signer

	posts   prometheus.Counter
	signals *prometheus.CounterVec
}

// New returns a Detector. reg may be nil when metrics are not wanted.
func New(cfg Config, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*Detector, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	d := &Detector{
		cfg: cfg, clock: clk, logger: logger.With("component", "detect"),
		monitors: map[string]*monitor{}, signer: campaign.NewSigner(),
		posts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisdesk_detect_posts_total", Help: "Matched posts seen by the detectors, once per monitor.",
		}),
		signals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_detect_signals_total", Help: "Signals raised by the detectors, by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{d.posts, d.signals} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("detect: register metrics: %w", err)
			}
		}
	}
	return d, nil
}

// Observe feeds one analysed post to the state of each monitor it matched, at the clock's current time,
// and appends the signals it raises to dst.
func (d *Detector) Observe(in Input, dst []Signal) []Signal {
	if len(in.Monitors) == 0 || in.Post == nil {
		return dst
	}
	now := d.clock.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	var sig *campaign.Signature
	if in.Post.RepostOf == "" {
		s := d.signer.Sign(in.Post.Text)
		sig = &s
	}
	start := len(dst)
	for _, id := range in.Monitors {
		m, ok := d.monitors[id]
		if !ok {
			m = newMonitor(id, &d.cfg)
			d.monitors[id] = m
		}
		d.posts.Inc()
		dst = m.observe(now, &in, sig, dst)
	}
	for _, s := range dst[start:] {
		d.signals.WithLabelValues(s.Kind).Inc()
	}
	return dst
}

// Expected returns the expected number of posts per minute for a monitor at the clock's time and
// whether the monitor is still warming up; ok is false for a monitor never seen.
func (d *Detector) Expected(monitor string) (perMinute float64, warmup, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m, ok := d.monitors[monitor]
	if !ok {
		return 0, false, false
	}
	r := m.base.expected(hourOf(d.clock.Now()), &d.cfg)
	return r.all, !m.base.warm(&d.cfg), true
}

// topRefs returns the n posts with the largest reach, largest first, ties by id so output is stable.
func topRefs(refs []PostRef, n int) []PostRef {
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].Reach != refs[j].Reach {
			return refs[i].Reach > refs[j].Reach
		}
		return refs[i].ID < refs[j].ID
	})
	if len(refs) > n {
		refs = refs[:n]
	}
	return slices.Clone(refs)
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Name < out[j].Name
	})
	return out
}
