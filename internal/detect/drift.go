package detect

import (
	"math"
	"time"
)

// Drift series: what a cusum counts. Both are reported as negative_spike, marked Sustained.
const (
	seriesNegative   = "negative"
	seriesComplaints = "complaints"
)

// cusum is a one-sided Poisson CUSUM over the per-minute count of one series against the baseline's
// expected rate for that minute. Each closed minute with x posts where μ were expected adds the
// log-likelihood ratio of "the rate is DriftRatio times higher" to "the rate is as expected",
// x·ln r − (r−1)·μ, divided by the dispersion as the quasi-Poisson tests do; the statistic never drops
// below zero. A wave that adds a few posts a minute more every minute is too weak for any one window
// early on, but it keeps the statistic rising minute after minute, while ordinary ups and downs pull it
// back to zero. The run is the stretch since the statistic last left zero.
type cusum struct {
	s      float64
	start  int64   // first minute of the run
	n, mu  float64 // the series' posts in the run's closed minutes, and their expected count
	all    float64 // all posts in the run's closed minutes
	muAll  float64 // and their expected count
	series string
}

func (c *cusum) reset() { c.s, c.n, c.mu, c.all, c.muAll = 0, 0, 0, 0, 0 }

// drift holds the cusums of a monitor and the last minute folded into them.
type drift struct {
	begun bool
	last  int64
	neg   cusum
	compl cusum
}

func (d *drift) series() [2]*cusum { return [2]*cusum{&d.neg, &d.compl} }

// pick returns the count of c's series in a bucket and in an expected rate.
func (c *cusum) pick(a *agg, r rates) (x, mu float64) {
	if c.series == seriesComplaints {
		return a.complaints, r.compl
	}
	return a.neg, r.neg
}

// llr is the CUSUM increment for x posts where mu were expected, over a minute or the part of one gone.
func (m *monitor) llr(x, mu float64) float64 {
	r := m.cfg.DriftRatio
	return (x*math.Log(r) - (r-1)*mu) / max(m.cfg.Dispersion, 1)
}

// foldDrift folds every closed minute before now into the cusums. It runs before the ring moves to now,
// so the closed minutes still in the ring are read from it; minutes after the last post were empty.
func (m *monitor) foldDrift(now int64) {
	d := &m.drift
	if !d.begun {
		d.begun, d.last = true, now-1
		d.neg.series, d.compl.series = seriesNegative, seriesComplaints
		return
	}
	if now-1 <= d.last {
		return
	}
	if !m.driftReady() {
		// The drift detector compares with learned rates only: against the warm-up prior, or before
		// each day of the week has been seen, a slow rise says little.
		d.last = now - 1
		return
	}
	var zero agg
	for t := d.last + 1; t < now; t++ {
		b := &zero
		if t <= m.cur && t > m.cur-ringLen {
			b = &m.ring[mod(t)]
		}
		exp := m.base.expected(t/60, m.cfg)
		idle := true
		for _, c := range d.series() {
			if b.all == 0 && c.s == 0 {
				continue
			}
			idle = false
			x, mu := c.pick(b, exp)
			if c.s > 0 && t-c.start >= int64(m.cfg.DriftMaxMinutes) {
				c.reset()
			}
			if c.s == 0 {
				c.start = t
			}
			c.s += m.llr(x, mu)
			if c.s <= 0 {
				c.reset()
				continue
			}
			c.n += x
			c.mu += mu
			c.all += b.all
			c.muAll += exp.all
		}
		if idle && b.all == 0 && t > m.cur {
			// Every statistic is at zero and the rest of the gap is empty: nothing more can change.
			break
		}
	}
	d.last = now - 1
}

func (m *monitor) driftReady() bool {
	return m.base.warm(m.cfg) && m.base.hours >= m.cfg.DriftMinHours
}

// testDrift checks each cusum with the current minute counted so far. A rise fires when the
// statistic passes DriftThreshold after at least DriftMinMinutes, with at least DriftMinExcess posts
// above the expected count, from at least MinAuthors distinct authors in the last hour, and when the
// series' share of all posts in the run rose by DriftShareRise over its usual share: a burst of
// ordinary traffic (a match, an advert) raises negative posts and complaints too, but not their share.
// After it fires, a cusum starts over, so a wave that keeps rising signals again only once it has
// built up anew.
func (m *monitor) testDrift(now time.Time, dst []Signal) []Signal {
	if !m.driftReady() || m.silent(NegativeSpike+"/drift") {
		return dst
	}
	b := &m.ring[mod(m.cur)]
	exp := m.base.expected(hourOf(now), m.cfg)
	frac := float64(now.Unix()%60)/60 + 1.0/60
	for _, c := range m.drift.series() {
		x, mu := c.pick(b, exp)
		if c.s == 0 && x == 0 {
			continue
		}
		start := c.start
		if c.s == 0 {
			start = m.cur
		}
		s := c.s + m.llr(x, mu*frac)
		n, muN := c.n+x, c.mu+mu*frac
		all, muAll := c.all+b.all, c.muAll+exp.all*frac
		runMin := m.cur - start + 1
		sh, usual := share(n, all), share(muN, muAll)
		if s < m.cfg.DriftThreshold || runMin < int64(m.cfg.DriftMinMinutes) || n-muN < m.cfg.DriftMinExcess ||
			sh < usual+m.cfg.DriftShareRise || m.long.uniq < m.cfg.MinAuthors {
			continue
		}
		p := quasiPoissonTail(n, muN, m.cfg.Dispersion)
		if p >= m.cfg.DriftP {
			continue
		}
		if !m.mayWindowSignal(NegativeSpike + "/drift") {
			return dst
		}
		win := time.Duration(runMin) * time.Minute
		sig := Signal{Monitor: m.id, Kind: NegativeSpike, At: now, Window: win, Observed: n, Expected: muN,
			PValue: p, Posts: int(all), Authors: m.long.uniq,
			Reach: m.long.reach, NegShare: sh, ExpectedNeg: usual, Sustained: true, Series: c.series}
		m.explain(&sig, min(runMin, ringLen), nil)
		c.reset()
		return append(dst, sig)
	}
	return dst
}
