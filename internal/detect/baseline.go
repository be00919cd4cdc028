package detect

import "time"

// slot is an exponentially weighted per-minute rate of all posts and of negative ones, with the number
// of updates it has had, which sets how much it is trusted.
type slot struct {
	r rates
	n float64
}

// rates are per-minute rates: all posts, the ones that are not positive, the negative ones and the
// complaints. Volume tests use the non-positive rate so that a burst of praise (an advert, good news) is
// not a volume crisis; the drift detector follows negative posts and complaints.
type rates struct{ all, nonPos, neg, compl float64 }

func (r rates) scale(f float64) rates { return rates{r.all * f, r.nonPos * f, r.neg * f, r.compl * f} }

func (r rates) plus(o rates) rates {
	return rates{r.all + o.all, r.nonPos + o.nonPos, r.neg + o.neg, r.compl + o.compl}
}

func blend(a, b rates, w float64) rates {
	return rates{w*a.all + (1-w)*b.all, w*a.nonPos + (1-w)*b.nonPos, w*a.neg + (1-w)*b.neg, w*a.compl + (1-w)*b.compl}
}

func (s *slot) update(r rates, minAlpha float64) {
	s.n++
	a := max(1/s.n, minAlpha)
	s.r = blend(r, s.r, a)
}

// shrink blends a slot's own rate with a parent rate by how often the slot was seen: a slot seen k times
// counts for k/(k+strength). This is what lets a monitor use its daily rhythm in its first week, before
// each hour of the week has been seen more than once.
func shrink(s slot, parent rates, strength float64) rates {
	return blend(s.r, parent, s.n/(s.n+strength))
}

// baseline learns the expected per-minute rate of a monitor by hour of the week, with shrinkage to the
// hour of the day and then to the monitor's overall rate. It is updated once per completed hour with
// winsorised counts, so one crisis hour moves it only a little.
type baseline struct {
	week   [168]slot
	day    [24]slot
	all    slot
	begun  bool
	hour   int64 // the hour (Unix hours) being counted
	counts rates // posts counted so far in that hour
	hours  float64
}

func hourOf(t time.Time) int64 { return t.Unix() / 3600 }

// Unix hour 0 began on a Thursday at 00:00 UTC; shifting by 3 days puts Monday 00:00 at slot 0.
func weekSlot(h int64) int { return int((h + 72) % 168) }

// add counts one post in the current hour.
func (b *baseline) add(nonPos, neg, compl bool) {
	b.counts.all++
	if compl {
		b.counts.compl++
	}
	if nonPos {
		b.counts.nonPos++
	}
	if neg {
		b.counts.neg++
	}
}

// advance closes every hour before the one containing t. Hours with no posts are folded in as zeros,
// up to two weeks of them; a longer gap says nothing new.
func (b *baseline) advance(t time.Time, cfg *Config) {
	h := hourOf(t)
	if !b.begun {
		b.begun, b.hour = true, h
		return
	}
	if h <= b.hour {
		return
	}
	b.fold(b.hour, b.counts.scale(1.0/60), cfg)
	gap := min(h-b.hour-1, 336)
	for i := h - gap; i < h; i++ {
		b.fold(i, rates{}, cfg)
	}
	b.hour, b.counts = h, rates{}
}

func (b *baseline) fold(h int64, r rates, cfg *Config) {
	if b.hours >= 1 {
		// Winsorise: an hour far above what was expected is fed in at the cap, so a crisis does not
		// teach the baseline that crises are normal.
		exp := b.expected(h, cfg)
		r.all = min(r.all, cfg.LearnCap*exp.all+0.5)
		r.nonPos = min(r.nonPos, cfg.LearnCap*exp.nonPos+0.5)
		r.neg = min(r.neg, cfg.LearnCap*exp.neg+0.25)
		r.compl = min(r.compl, cfg.LearnCap*exp.compl+0.25)
	}
	b.week[weekSlot(h)].update(r, 0.3)
	b.day[h%24].update(r, 0.1)
	b.all.update(r, 0.01)
	b.hours++
}

// warm reports whether the monitor has seen enough hours to trust its own rates.
func (b *baseline) warm(cfg *Config) bool { return b.hours >= cfg.WarmupHours }

// expected returns the per-minute rates for hour h. During warm-up the conservative prior sets a floor.
func (b *baseline) expected(h int64, cfg *Config) rates {
	prior := rates{cfg.PriorRate, cfg.PriorRate * cfg.PriorNonPosShare, cfg.PriorRate * cfg.PriorNegShare,
		cfg.PriorRate * cfg.PriorComplaintShare}
	all := b.all.r
	if b.all.n == 0 {
		all = prior
	}
	r := shrink(b.week[weekSlot(h)], shrink(b.day[h%24], all, 2), 0.5)
	if !b.warm(cfg) {
		r = rates{max(r.all, prior.all), max(r.nonPos, prior.nonPos), max(r.neg, prior.neg), max(r.compl, prior.compl)}
	}
	return rates{max(r.all, cfg.MinRate), max(r.nonPos, cfg.MinRate), max(r.neg, cfg.MinRate*cfg.PriorNegShare),
		max(r.compl, cfg.MinRate*cfg.PriorComplaintShare)}
}
