package detect

import (
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// TestObserveEngagementViral: a post seen once, whose reposts then grow through metrics updates alone,
// becomes a viral post; the updates add nothing to the monitor's volume.
func TestObserveEngagementViral(t *testing.T) {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		sentiment string
		perMinute int64 // reposts added per minute
		wantViral bool
	}{
		{"fast negative spread", "negative", 4, true},
		{"slow spread", "negative", 0, false},
		{"praise spreading", "positive", 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, sim := newTestDetector(t, start)
			p := post.Post{ID: "p1", Platform: "mastodon", Text: "Alweer storing", CreatedAt: start,
				Author: post.Author{ID: "a1", Handle: "anna", Followers: 3000}}
			in := Input{Post: &p, Sentiment: tt.sentiment, Lang: "nl", Monitors: []string{"m1"}}
			if sigs := d.Observe(in, nil); len(sigs) != 0 {
				t.Fatalf("first sight signalled %v", sigs)
			}
			var viral []Signal
			for i := 1; i <= 6; i++ {
				sim.Advance(time.Minute)
				before := p.Metrics
				p.Metrics.Reposts += tt.perMinute
				p.Metrics.Likes += 10 // likes alone are approval, not spread
				for _, s := range d.ObserveEngagement(in, before, nil) {
					if s.Kind != ViralPost {
						t.Errorf("metrics update raised %s, want only viral_post", s.Kind)
					}
					viral = append(viral, s)
				}
			}
			if got := len(viral) > 0; got != tt.wantViral {
				t.Fatalf("viral = %v (%v), want %v", got, viral, tt.wantViral)
			}
			if tt.wantViral && (viral[0].Subject != "p1" || viral[0].Posts < 8) {
				t.Errorf("signal = %+v, want subject p1 with at least 8 references", viral[0])
			}
		})
	}
}

// TestObserveEngagementNoDoubleCount: growth that reached the detector through a later copy of the
// post (Observe) is not counted again when the store reports the same growth.
func TestObserveEngagementNoDoubleCount(t *testing.T) {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	d, sim := newTestDetector(t, start)
	p := post.Post{ID: "p1", Platform: "x", Text: "Datalek?", CreatedAt: start, Author: post.Author{ID: "a1", Followers: 100}}
	in := Input{Post: &p, Sentiment: "negative", Monitors: []string{"m1"}}
	d.Observe(in, nil)
	sim.Advance(time.Minute)
	p.Metrics.Reposts = 5
	d.Observe(in, nil) // a later copy with five reposts
	d.mu.Lock()
	refs := d.monitors["m1"].viral["p1"].total
	d.mu.Unlock()
	if refs != 5 {
		t.Fatalf("references after the copy = %d, want 5", refs)
	}
	d.ObserveEngagement(in, post.Metrics{}, nil) // the store saw 0 → 5
	d.mu.Lock()
	refs = d.monitors["m1"].viral["p1"].total
	d.mu.Unlock()
	if refs != 5 {
		t.Errorf("references after the same growth reported again = %d, want 5", refs)
	}
	p.Metrics.Reposts = 7
	d.ObserveEngagement(in, post.Metrics{Reposts: 5}, nil)
	d.mu.Lock()
	refs = d.monitors["m1"].viral["p1"].total
	d.mu.Unlock()
	if refs != 7 {
		t.Errorf("references after growing to 7 = %d, want 7", refs)
	}
}
