package detect

import (
	"io"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

func TestPoissonTail(t *testing.T) {
	tests := []struct {
		k, mu, want float64
	}{
		{0, 3, 1},
		{2, 1, 1 - math.Exp(-1)*2},
		{3, 0.5, 1 - math.Exp(-0.5)*(1+0.5+0.125)},
		{10, 2, 4.6498e-05},
		{2, 5, 1}, // at or below the mean the tail is reported as 1
		{5, 0, 0},
	}
	for _, tt := range tests {
		got := poissonTail(tt.k, tt.mu)
		if math.Abs(got-tt.want) > 1e-4*math.Max(tt.want, 1e-3) {
			t.Errorf("poissonTail(%v, %v) = %.6g, want %.6g", tt.k, tt.mu, got, tt.want)
		}
	}
}

func TestWeekSlot(t *testing.T) {
	tests := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC), 0},    // Monday 00:30
		{time.Date(2026, 3, 3, 1, 0, 0, 0, time.UTC), 25},    // Tuesday 01:00
		{time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC), 167}, // Sunday 23:59
	}
	for _, tt := range tests {
		if got := weekSlot(hourOf(tt.at)); got != tt.want {
			t.Errorf("weekSlot(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

// feed is one post for a detector test: when, in minutes after the start, and what it is.
type feed struct {
	min       float64
	sentiment string
	author    string
	followers int64
	kind      string
	verified  bool
	cats      []string
	repostOf  string
	id        string
	text      string
	reposts   int64
}

func newTestDetector(t *testing.T, start time.Time) (*Detector, *clock.Sim) {
	t.Helper()
	sim := clock.NewSim(start)
	d, err := New(DefaultConfig(), sim, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return d, sim
}

func run(d *Detector, sim *clock.Sim, start time.Time, feeds []feed) []Signal {
	var out []Signal
	for i, f := range feeds {
		at := start.Add(time.Duration(f.min * float64(time.Minute)))
		sim.Set(at)
		id := f.id
		if id == "" {
			id = "p" + strconv.Itoa(i)
		}
		author := f.author
		if author == "" {
			author = "a" + strconv.Itoa(i)
		}
		text := f.text
		if text == "" {
			text = "post number " + strconv.Itoa(i) + " about the brand and something else entirely " + strconv.Itoa(i*7919)
		}
		p := &post.Post{ID: id, Platform: "x", Text: text, CreatedAt: at, RepostOf: f.repostOf,
			Author:  post.Author{ID: author, Handle: author, Followers: f.followers, Kind: f.kind, Verified: f.verified},
			Metrics: post.Metrics{Reposts: f.reposts}}
		sent := f.sentiment
		if sent == "" {
			sent = "neutral"
		}
		out = d.Observe(Input{Post: p, Sentiment: sent, Lang: "nl", Categories: f.cats, Monitors: []string{"m1"}}, out)
	}
	return out
}

// background is a warm monitor: steady neutral traffic, one post every interval, for days.
func background(days int, every time.Duration, sentiment string) []feed {
	var fs []feed
	for m := 0.0; m < float64(days)*24*60; m += every.Minutes() {
		fs = append(fs, feed{min: m, sentiment: sentiment})
	}
	return fs
}

func burst(at float64, n int, over time.Duration, sentiment string, cats ...string) []feed {
	var fs []feed
	for i := range n {
		fs = append(fs, feed{min: at + over.Minutes()*float64(i)/float64(n), sentiment: sentiment, cats: cats})
	}
	return fs
}

func kinds(sigs []Signal) map[string]int {
	out := map[string]int{}
	for _, s := range sigs {
		out[s.Kind]++
	}
	return out
}

func TestDetectors(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	const day = 24 * 60.0
	warm := background(3, 5*time.Minute, "neutral") // 3 days at 12 posts an hour
	tests := []struct {
		name  string
		feeds []feed
		want  []string // kinds that must fire after the background
		never []string // kinds that must not fire at all
	}{
		{
			name:  "two posts where none are expected is not a crisis",
			feeds: []feed{{min: 0}, {min: 0.5}},
			never: []string{VolumeSpike, NegativeSpike},
		},
		{
			name:  "steady traffic raises nothing",
			feeds: warm,
			never: []string{VolumeSpike, NegativeSpike, ViralPost, InfluentialAuthor, CoordinatedCampaign},
		},
		{
			name:  "a burst of neutral posts is a volume spike",
			feeds: slices.Concat(warm, burst(3*day, 60, 10*time.Minute, "neutral")),
			want:  []string{VolumeSpike},
			never: []string{NegativeSpike},
		},
		{
			name:  "a burst of praise is neither a volume nor a negative spike",
			feeds: slices.Concat(warm, burst(3*day, 80, 10*time.Minute, "positive")),
			never: []string{VolumeSpike, NegativeSpike},
		},
		{
			name:  "a burst of negative posts is a negative spike",
			feeds: slices.Concat(warm, burst(3*day, 40, 10*time.Minute, "negative")),
			want:  []string{NegativeSpike, VolumeSpike},
		},
		{
			name:  "two data breach posts within the hour",
			feeds: slices.Concat(warm, burst(3*day, 2, 20*time.Minute, "negative", "data_breach")),
			want:  []string{"category:data_breach"},
		},
		{
			name:  "a negative post by the press",
			feeds: slices.Concat(warm, []feed{{min: 3 * day, sentiment: "negative", kind: "press", followers: 1000}}),
			want:  []string{InfluentialAuthor},
		},
		{
			name:  "a positive post by a verified account is not a threat",
			feeds: slices.Concat(warm, []feed{{min: 3 * day, sentiment: "positive", verified: true, followers: 900_000}}),
			never: []string{InfluentialAuthor},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, sim := newTestDetector(t, start)
			got := kinds(run(d, sim, start, tt.feeds))
			for _, k := range tt.want {
				if got[k] == 0 {
					t.Errorf("no %s signal; got %v", k, got)
				}
			}
			for _, k := range tt.never {
				if got[k] > 0 {
					t.Errorf("%d %s signals, want none; got %v", got[k], k, got)
				}
			}
		})
	}
}

func TestViral(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		sentiment string
		want      bool
	}{
		{"an angry post reposted fast", "negative", true},
		{"praise reposted fast", "positive", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, sim := newTestDetector(t, start)
			feeds := background(2, 5*time.Minute, "neutral")
			at := 2 * 24 * 60.0
			feeds = append(feeds, feed{min: at, id: "root", sentiment: tt.sentiment})
			for i := range 30 {
				feeds = append(feeds, feed{min: at + 1 + float64(i)/3, repostOf: "root", sentiment: tt.sentiment, followers: 500})
			}
			sigs := run(d, sim, start, feeds)
			var viral *Signal
			for i := range sigs {
				if sigs[i].Kind == ViralPost {
					viral = &sigs[i]
					break
				}
			}
			if (viral != nil) != tt.want {
				t.Fatalf("viral signal: %v, want %v", viral != nil, tt.want)
			}
			if viral != nil && (viral.Subject != "root" || viral.Velocity < 1) {
				t.Errorf("viral signal about %q at %.1f/min, want root at 1/min or more", viral.Subject, viral.Velocity)
			}
		})
	}
}

func TestViralFromMetricsUpdates(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	d, sim := newTestDetector(t, start)
	feeds := background(2, 5*time.Minute, "neutral")
	at := 2 * 24 * 60.0
	// The same post seen again every minute by a polling source, its reposts climbing by 15 a minute.
	for i := range 10 {
		feeds = append(feeds, feed{min: at + float64(i), id: "hot", author: "anna", sentiment: "negative", reposts: int64(15 * i), followers: 2000})
	}
	got := kinds(run(d, sim, start, feeds))
	if got[ViralPost] == 0 {
		t.Fatalf("no viral signal from metrics updates; got %v", got)
	}
}

func TestWarmupIsSaid(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, sim := newTestDetector(t, start)
	sigs := run(d, sim, start, burst(1, 80, 10*time.Minute, "negative"))
	if len(sigs) == 0 {
		t.Fatal("a new monitor hit by 80 negative posts in 10 minutes raised nothing")
	}
	for _, s := range sigs {
		if (s.Kind == VolumeSpike || s.Kind == NegativeSpike) && !s.Warmup {
			t.Errorf("%s signal of a monitor one hour old does not say it is warming up", s.Kind)
		}
	}
}

func TestCampaignSignal(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, sim := newTestDetector(t, start)
	young := start.Add(-72 * time.Hour)
	var out []Signal
	for i := range 6 {
		at := start.Add(time.Duration(i) * time.Minute)
		sim.Set(at)
		p := &post.Post{ID: "s" + strconv.Itoa(i), Platform: "x", CreatedAt: at,
			Text:   "Dit bedrijf steelt van gewone klanten en de media zwijgen erover, lees het bewijs https://bewijs.example/x?i=" + strconv.Itoa(i),
			Author: post.Author{ID: "new" + strconv.Itoa(i), CreatedAt: &young}}
		out = d.Observe(Input{Post: p, Sentiment: "negative", Monitors: []string{"m1"}}, out)
	}
	var c *Signal
	for i := range out {
		if out[i].Kind == CoordinatedCampaign {
			c = &out[i]
			break
		}
	}
	if c == nil {
		t.Fatalf("no campaign signal; got %v", kinds(out))
	}
	if c.Accounts != 4 || c.Young != 4 || c.LinkAccounts != 4 || c.Link != "bewijs.example/x" {
		t.Errorf("campaign signal %+v: want 4 young accounts sharing bewijs.example/x", c)
	}
}

func TestConfigValidate(t *testing.T) {
	cfg := DefaultConfig()
	cfg.LongWindow = 3 * time.Hour
	if _, err := New(cfg, clock.NewSim(time.Time{}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil); err == nil {
		t.Error("a three-hour window was accepted; the ring holds one hour")
	}
}

// Several ingest workers may feed one Detector; each keeps its own monitors' state consistent.
func TestConcurrentObserve(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d, _ := newTestDetector(t, start)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				p := &post.Post{ID: strconv.Itoa(g) + "-" + strconv.Itoa(i), Platform: "x", Text: "a post of worker " + strconv.Itoa(g),
					CreatedAt: start, Author: post.Author{ID: strconv.Itoa(i)}}
				d.Observe(Input{Post: p, Sentiment: "negative", Monitors: []string{"m" + strconv.Itoa(g), "shared"}}, nil)
			}
		})
	}
	wg.Wait()
	for _, id := range []string{"m0", "m3", "shared"} {
		if _, _, ok := d.Expected(id); !ok {
			t.Errorf("monitor %s has no state after its posts", id)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if got := d.monitors["shared"].short.all; got != 1200 {
		t.Errorf("the shared monitor counted %v posts in its window, want 1200", got)
	}
}
