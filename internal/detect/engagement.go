package detect

import (
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// ObserveEngagement feeds a metrics update of a post already observed: its engagement grew from before
// to in.Post.Metrics. The growth counts as references to that post for the viral-post detector, each
// new spreader assumed to bring a tenth of the author's reach, as for a later copy of the post. Unlike
// Observe it adds nothing to volumes, sentiment or categories: no new post was written. It appends the
// signals it raises to dst.
func (d *Detector) ObserveEngagement(in Input, before post.Metrics, dst []Signal) []Signal {
	if len(in.Monitors) == 0 || in.Post == nil {
		return dst
	}
	now := d.clock.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	start := len(dst)
	for _, id := range in.Monitors {
		m, ok := d.monitors[id]
		if !ok {
			m = newMonitor(id, &d.cfg)
			d.monitors[id] = m
		}
		// Move the monitor's clock as observe does, so windows and hourly baselines stay in step.
		prevHour := m.base.hour
		m.base.advance(now, m.cfg)
		if m.base.hour != prevHour && m.begun {
			m.hourly()
		}
		m.advance(now.Unix() / 60)
		dst = m.testEngagement(now, &in, engagement(before), dst)
	}
	for _, s := range dst[start:] {
		d.signals.WithLabelValues(s.Kind).Inc()
	}
	return dst
}

// engagement is what the viral-post detector counts of a post's metrics: the ways it spreads. Likes
// show approval, not spread.
func engagement(m post.Metrics) float64 { return float64(m.Reposts + m.Quotes + m.Replies) }

func (m *monitor) testEngagement(now time.Time, in *Input, before float64, dst []Signal) []Signal {
	p := in.Post
	eng := engagement(p.Metrics)
	// The detector's own last snapshot may be newer than the store's before (a copy of the post passed
	// through Observe since), and counting from the older one would count that growth twice.
	if sn, ok := m.seen[p.ID]; ok {
		before = max(before, sn.eng)
	}
	if _, ok := m.seen[p.ID]; ok || len(m.seen) < seenCap {
		m.seen[p.ID] = snapshot{eng: max(eng, before), min: m.cur}
	}
	grow := eng - before
	if grow <= 0 {
		return dst
	}
	v := m.track(p.ID)
	m.addRefs(v, grow, int64(grow)*max(p.Author.Followers/10, 1), in.Sentiment != "positive")
	return m.viralSignal(now, p.ID, v, dst)
}
