package detect

import (
	"math"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// mixed is a post of a drift test: when (minutes after the start) and whether it is negative and a
// complaint.
type mixed struct {
	min       float64
	neg, comp bool
}

// steady is a warm monitor's traffic: one post every two minutes for days, every fourth one a
// negative complaint, so a quarter of the traffic is negative and a quarter complaints.
func steady(from, days float64, every float64) []mixed {
	var out []mixed
	i := 0
	for m := from; m < from+days*24*60; m += every {
		bad := i%4 == 0
		out = append(out, mixed{min: m, neg: bad, comp: bad})
		i++
	}
	return out
}

// wave is complaints that grow linearly from none to one a minute over three hours, as a slowly
// building complaint wave does: by minute T about T²/360 have arrived.
func wave(onset float64) []mixed {
	var out []mixed
	for k := 1; ; k++ {
		t := math.Sqrt(360 * float64(k))
		if t > 180 {
			return out
		}
		out = append(out, mixed{min: onset + t, neg: true, comp: true})
	}
}

func feedMixed(t *testing.T, start time.Time, posts []mixed) []Signal {
	t.Helper()
	sort.SliceStable(posts, func(i, j int) bool { return posts[i].min < posts[j].min })
	d, sim := newTestDetector(t, start)
	var out []Signal
	for i, m := range posts {
		at := start.Add(time.Duration(m.min * float64(time.Minute)))
		sim.Set(at)
		sent := "neutral"
		if m.neg {
			sent = "negative"
		}
		author := "a" + strconv.Itoa(i%500)
		p := &post.Post{ID: "p" + strconv.Itoa(i), Platform: "mastodon", Text: "post " + strconv.Itoa(i), CreatedAt: at,
			Author: post.Author{ID: author, Handle: author, Followers: 100}}
		out = d.Observe(Input{Post: p, Sentiment: sent, Complaint: m.comp, Lang: "nl", Monitors: []string{"m1"}}, out)
	}
	return out
}

func sustained(sigs []Signal) []Signal {
	var out []Signal
	for _, s := range sigs {
		if s.Sustained {
			out = append(out, s)
		}
	}
	return out
}

func TestDriftDetectsSlowWave(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	onset := 8*24*60 + 10*60.0 // a Tuesday at 10:00, after a week of history
	posts := append(steady(0, 9, 2), wave(onset)...)
	sigs := feedMixed(t, start, posts)
	var before []Signal
	for _, s := range sigs {
		if s.At.Before(start.Add(time.Duration(onset) * time.Minute)) {
			before = append(before, s)
		}
	}
	if len(before) > 0 {
		t.Fatalf("signals on steady traffic before the wave: %+v", before[0])
	}
	got := sustained(sigs)
	if len(got) == 0 {
		t.Fatalf("no sustained signal for a complaint wave; signals: %v", kinds(sigs))
	}
	s := got[0]
	after := s.At.Sub(start.Add(time.Duration(onset) * time.Minute))
	if s.Kind != NegativeSpike || after <= 0 || after > 2*time.Hour {
		t.Errorf("first sustained signal %s at %v after the onset, want negative_spike within two hours", s.Kind, after)
	}
	if s.Window < 15*time.Minute || s.Observed <= s.Expected || s.PValue >= DefaultConfig().DriftP || s.NegShare <= s.ExpectedNeg {
		t.Errorf("sustained signal %+v: want a run of at least 15 min, more observed than expected, a significant p and a risen share", s)
	}
	if s.Series != seriesNegative && s.Series != seriesComplaints {
		t.Errorf("series %q", s.Series)
	}
	t.Logf("first sustained: %v after onset, %s, %.0f vs %.1f, p=%.2g, window %v", after, s.Series, s.Observed, s.Expected, s.PValue, s.Window)
	if len(s.Top) == 0 || s.Top[0].Platform != "mastodon" {
		t.Errorf("top posts %+v: want the run's posts with their platform", s.Top)
	}
	// After firing a cusum starts over: a second sustained signal of the same series needs a new run.
	for i := 1; i < len(got); i++ {
		if got[i].Series == got[i-1].Series && got[i].At.Sub(got[i-1].At) < time.Duration(DefaultConfig().DriftMinMinutes)*time.Minute {
			t.Errorf("sustained signals %v apart: the cusum did not start over", got[i].At.Sub(got[i-1].At))
		}
	}
}

// Neither steady traffic for weeks nor a burst of ordinary traffic (four times the posts, the usual mix, for
// two hours) is a sustained rise of negative posts or complaints.
func TestDriftQuietOnNormalTraffic(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		posts []mixed
	}{
		{"steady", steady(0, 21, 2)},
		{"ordinary burst", append(steady(0, 10, 2), steady(9*24*60+14*60+1, 2.0/24, 2.0/3)...)},
		{"a week of history is not enough", append(steady(0, 5, 2), wave(5*24*60+10*60)...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sustained(feedMixed(t, start, tt.posts)); len(got) > 0 {
				t.Errorf("sustained signal %+v", got[0])
			}
		})
	}
}

// The cusum reads minutes it did not see a post in as empty, and a long gap leaves it at zero.
func TestDriftFoldsGaps(t *testing.T) {
	cfg := DefaultConfig()
	m := newMonitor("m1", &cfg)
	m.base.hours = cfg.DriftMinHours
	m.begun, m.cur, m.first = true, 1000, 0
	m.foldDrift(1000)
	m.drift.neg.s, m.drift.neg.start = 3, 990
	m.foldDrift(1000 + 3*24*60)
	if m.drift.neg.s != 0 || m.drift.neg.n != 0 {
		t.Errorf("after three empty days the negative cusum is %+v, want it reset", m.drift.neg)
	}
	if m.drift.last != 1000+3*24*60-1 {
		t.Errorf("last folded minute %d, want the one before now", m.drift.last)
	}
}

// A run that has lasted DriftMaxMinutes without firing starts over: hours a little above the baseline
// are the baseline lagging, not a wave building.
func TestDriftRunLimit(t *testing.T) {
	cfg := DefaultConfig()
	m := newMonitor("m1", &cfg)
	m.base.hours = cfg.DriftMinHours
	m.begun, m.cur, m.first = true, 10_000, 0
	m.foldDrift(10_000)
	m.ring[mod(10_000)] = agg{all: 3, neg: 3, complaints: 3}
	m.drift.neg.s, m.drift.neg.start, m.drift.neg.n, m.drift.neg.mu = 4, 10_000-int64(cfg.DriftMaxMinutes), 90, 40
	m.foldDrift(10_001)
	if c := m.drift.neg; c.start != 10_000 || c.n != 3 {
		t.Errorf("after %d minutes the run is %+v, want a new one from minute 10000 with its 3 posts", cfg.DriftMaxMinutes, c)
	}
}
