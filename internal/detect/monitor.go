package detect

import (
	"math"
	"strconv"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/campaign"
)

const (
	ringLen  = 60  // one-minute buckets kept: the longest window
	refLen   = 256 // recent posts kept for explanations
	viralLen = 10  // one-minute buckets per tracked post: the longest viral window
	topN     = 5
	// seenCap bounds the posts remembered for metrics updates, per monitor.
	seenCap = 20000
)

// agg is the content of one minute bucket, or of a window of them.
type agg struct {
	all, nonPos, neg, complaints float64
	reach                        int64
	uniq                         int // authors whose latest post in the ring falls here
	cats                         [nCat]int
}

func (a *agg) add(b *agg) {
	a.all += b.all
	a.nonPos += b.nonPos
	a.neg += b.neg
	a.complaints += b.complaints
	a.reach += b.reach
	a.uniq += b.uniq
	for i := range a.cats {
		a.cats[i] += b.cats[i]
	}
}

func (a *agg) sub(b *agg) {
	a.all -= b.all
	a.nonPos -= b.nonPos
	a.neg -= b.neg
	a.complaints -= b.complaints
	a.reach -= b.reach
	a.uniq -= b.uniq
	for i := range a.cats {
		a.cats[i] -= b.cats[i]
	}
}

// ref is a recent post, kept for the top posts, languages and categories of an explanation.
type ref struct {
	PostRef
	min  int64
	cats uint8
}

// snapshot is a post's engagement when last seen.
type snapshot struct {
	eng float64
	min int64
}

// viral is the spread of one post: references to it (reposts, quotes, replies) per minute, the reach
// of the accounts that spread it, and the last metrics snapshot seen of it.
type viral struct {
	mins       [viralLen]int64
	refs       [viralLen]float64
	reach      [viralLen]int64
	total      int
	nonPos     float64 // references that are not positive: praise going viral is not a crisis
	totalReach int64
	lastSignal int64
	seen       int64 // the minute it was last touched, for pruning
	platform   string
}

type monitor struct {
	id   string
	cfg  *Config
	base baseline

	begun    bool
	first    int64 // first minute seen
	cur      int64 // current minute (Unix minutes)
	ring     [ringLen]agg
	short    agg
	long     agg
	catWin   agg // only cats are used: the category window
	authors  map[string]int64
	refs     [refLen]ref
	refNext  int
	catRate  [nCat]float64 // per-minute EWMA of each category, updated hourly
	catHour  [nCat]int
	lastSig  map[string]int64 // kind → minute of the last window signal
	viral    map[string]*viral
	seen     map[string]snapshot // the last metrics of recent posts, to see growth in later copies
	velMax   float64             // the highest velocity seen this hour
	velNorm  float64             // EWMA of hourly highest velocities
	velHours float64
	campaign *campaign.Tracker
	drift    drift
}

func newMonitor(id string, cfg *Config) *monitor {
	return &monitor{
		id: id, cfg: cfg,
		authors: map[string]int64{}, lastSig: map[string]int64{}, viral: map[string]*viral{}, seen: map[string]snapshot{},
		campaign: campaign.NewTracker(cfg.Campaign),
	}
}

func minutes(d time.Duration) int64 { return int64(d / time.Minute) }

// advance moves the ring to minute now, dropping buckets that leave each window.
func (m *monitor) advance(now int64) {
	if !m.begun {
		m.begun, m.first, m.cur = true, now, now
		return
	}
	if now <= m.cur {
		return
	}
	steps := min(now-m.cur, ringLen)
	sw, lw, cw := minutes(m.cfg.ShortWindow), minutes(m.cfg.LongWindow), minutes(m.cfg.CategoryWindow)
	for t := now - steps + 1; t <= now; t++ {
		// The bucket of minute t-w leaves a window of w minutes when minute t begins.
		if leaving := t - sw; leaving > m.cur-ringLen {
			m.short.sub(&m.ring[mod(leaving)])
		}
		if leaving := t - lw; leaving > m.cur-ringLen {
			m.long.sub(&m.ring[mod(leaving)])
		}
		if leaving := t - cw; leaving > m.cur-ringLen {
			b := m.ring[mod(leaving)]
			for i := range m.catWin.cats {
				m.catWin.cats[i] -= b.cats[i]
			}
		}
		m.ring[mod(t)] = agg{}
	}
	if now-m.cur >= ringLen {
		m.short, m.long, m.catWin = agg{}, agg{}, agg{}
	}
	m.cur = now
}

func mod(t int64) int { return int(((t % ringLen) + ringLen) % ringLen) }

// hourly runs when an hour closes: it folds category rates and viral velocities into their baselines
// and prunes state that has aged out.
func (m *monitor) hourly() {
	for i := range m.catRate {
		a := 0.05
		m.catRate[i] += a * (min(float64(m.catHour[i]), float64(m.cfg.CategoryMin))/60 - m.catRate[i])
		m.catHour[i] = 0
	}
	m.velHours++
	m.velNorm += max(1/m.velHours, 0.05) * (min(m.velMax, m.cfg.ViralMinVelocity) - m.velNorm)
	m.velMax = 0
	for a, last := range m.authors {
		if last <= m.cur-ringLen {
			delete(m.authors, a)
		}
	}
	for id, v := range m.viral {
		if v.seen < m.cur-6*60 {
			delete(m.viral, id)
		}
	}
	for id, sn := range m.seen {
		if sn.min < m.cur-6*60 {
			delete(m.seen, id)
		}
	}
}

func (m *monitor) observe(now time.Time, in *Input, sig *campaign.Signature, dst []Signal) []Signal {
	p := in.Post
	minute := now.Unix() / 60
	prevHour := m.base.hour
	m.base.advance(now, m.cfg)
	if m.base.hour != prevHour && m.begun {
		m.hourly()
	}
	m.foldDrift(minute)
	m.advance(minute)

	neg := in.Sentiment == "negative"
	nonPos := in.Sentiment != "positive"
	var b agg
	b.all = 1
	if nonPos {
		b.nonPos = 1
	}
	if neg {
		b.neg = 1
	}
	if in.Complaint {
		b.complaints = 1
	}
	reach := max(p.Author.Followers, 0)
	b.reach = reach
	var catMask uint8
	if p.RepostOf == "" {
		for _, c := range in.Categories {
			if i := categoryIndex(c); i >= 0 && catMask&(1<<i) == 0 {
				catMask |= 1 << i
				b.cats[i] = 1
				m.catHour[i]++
			}
		}
	}
	m.base.add(nonPos, neg, in.Complaint)

	// Unique authors: an author counts in the bucket of their latest post, so a window's sum of uniq is
	// its number of distinct authors.
	author := p.Author.ID
	if author == "" {
		author = p.Author.Handle
	}
	if author == "" {
		author = "post:" + p.ID
	}
	if last, ok := m.authors[author]; ok && last > m.cur-ringLen {
		m.ring[mod(last)].uniq--
		if last > m.cur-minutes(m.cfg.ShortWindow) {
			m.short.uniq--
		}
		if last > m.cur-minutes(m.cfg.LongWindow) {
			m.long.uniq--
		}
	}
	m.authors[author] = m.cur
	b.uniq = 1
	m.ring[mod(m.cur)].add(&b)
	m.short.add(&b)
	m.long.add(&b)
	m.catWin.add(&agg{cats: b.cats})

	m.refs[m.refNext%refLen] = ref{PostRef: PostRef{ID: p.ID, Platform: p.Platform, Reach: reach, Author: p.Author.Handle, Lang: in.Lang}, min: m.cur, cats: catMask}
	m.refNext++

	dst = m.testVolume(now, dst)
	dst = m.testNegative(now, dst)
	dst = m.testDrift(now, dst)
	dst = m.testCategories(now, dst)
	dst = m.testViral(now, in, dst)
	dst = m.testInfluential(now, in, reach, dst)
	if sig != nil {
		c, fire := m.campaign.Add(campaign.Post{ID: p.ID, Author: author, AuthorCreated: p.Author.CreatedAt, At: now, Sig: sig})
		if fire && m.mayWindowSignal(CoordinatedCampaign+strconv.FormatUint(c.ID, 10)) {
			s := Signal{Monitor: m.id, Kind: CoordinatedCampaign, At: now, Subject: "cluster-" + strconv.FormatUint(c.ID, 10),
				Window: m.cfg.Campaign.Window, Observed: c.Score, Posts: len(c.PostIDs), Accounts: c.Accounts, Authors: c.Accounts,
				Young: c.Young, Link: c.Link, LinkAccounts: c.LinkAccounts, Warmup: !m.base.warm(m.cfg)}
			m.explain(&s, 0, func(r *ref) bool { return containsID(c.PostIDs, r.ID) })
			dst = append(dst, s)
		}
	}
	return dst
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// mayWindowSignal limits a window detector to one signal per SignalEvery, so a spike of a thousand
// posts is one growing signal and not a thousand.
func (m *monitor) mayWindowSignal(key string) bool {
	if m.silent(key) {
		return false
	}
	m.lastSig[key] = m.cur
	return true
}

// silent reports whether key signalled too recently to signal again; tests skip their statistics
// then, which keeps the cost per post low during a long spike.
func (m *monitor) silent(key string) bool {
	last, ok := m.lastSig[key]
	return ok && m.cur-last < max(minutes(m.cfg.SignalEvery), 1)
}

// covered is how many minutes of a window the monitor has actually watched, counting the current
// minute by the fraction gone, so that a window is not expected to hold posts from before the monitor
// existed or from the rest of this minute.
func (m *monitor) covered(now time.Time, w time.Duration) float64 {
	frac := float64(now.Unix()%60)/60 + 1.0/60
	full := float64(minutes(w) - 1)
	if seen := float64(m.cur - m.first); seen < full {
		full = seen
	}
	return full + frac
}

// windowExpected is the expected count of a window that ends now. A window that reaches back into the
// previous hour takes that hour's rate for its part, so the end of a busy hour does not look like a
// spike against a quiet one.
func (m *monitor) windowExpected(now time.Time, w time.Duration) rates {
	cov := m.covered(now, w)
	h := hourOf(now)
	inCur := float64(now.Unix()%3600)/60 + 1.0/60
	cur := m.base.expected(h, m.cfg)
	if cov <= inCur {
		return cur.scale(cov)
	}
	return cur.scale(inCur).plus(m.base.expected(h-1, m.cfg).scale(cov - inCur))
}

func (m *monitor) testVolume(now time.Time, dst []Signal) []Signal {
	if m.silent(VolumeSpike) {
		return dst
	}
	exp := m.base.expected(hourOf(now), m.cfg)
	warm := m.base.warm(m.cfg)
	level := m.cfg.VolumeP
	if !warm {
		level = m.warmupLevel(now, m.short.nonPos, m.long.nonPos)
	}
	for _, w := range [...]struct {
		d      time.Duration
		a      *agg
		minObs float64
	}{{m.cfg.ShortWindow, &m.short, m.cfg.VolumeMinShort}, {m.cfg.LongWindow, &m.long, m.cfg.VolumeMinLong}} {
		obs := w.a.nonPos
		mu := m.windowExpected(now, w.d).nonPos
		// A burst that is mostly praise (an advert, good news) is not a volume crisis.
		if obs < w.minObs || obs < m.cfg.VolumeRatio*mu || w.a.uniq < m.cfg.MinAuthors ||
			share(w.a.all-w.a.nonPos, w.a.all) > m.cfg.VolumePositiveMax {
			continue
		}
		p := quasiPoissonTail(obs, mu, m.cfg.Dispersion)
		if p >= level {
			continue
		}
		if !m.mayWindowSignal(VolumeSpike) {
			return dst
		}
		s := Signal{Monitor: m.id, Kind: VolumeSpike, At: now, Window: w.d, Observed: obs, Expected: mu, PValue: p,
			Warmup: !warm, Posts: int(w.a.all), Authors: w.a.uniq, Reach: w.a.reach,
			NegShare: share(w.a.neg, w.a.all), ExpectedNeg: share(exp.neg, exp.all)}
		m.explain(&s, minutes(w.d), nil)
		return append(dst, s)
	}
	return dst
}

func share(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return part / whole
}

func (m *monitor) testNegative(now time.Time, dst []Signal) []Signal {
	if m.silent(NegativeSpike) {
		return dst
	}
	exp := m.windowExpected(now, m.cfg.LongWindow)
	warm := m.base.warm(m.cfg)
	level := m.cfg.NegativeP
	if !warm {
		level = m.warmupLevel(now, m.short.neg, m.long.neg)
	}
	expShare := share(exp.neg, exp.all)
	for _, w := range [...]struct {
		d time.Duration
		a *agg
	}{{m.cfg.ShortWindow, &m.short}, {m.cfg.LongWindow, &m.long}} {
		obs := w.a.neg
		mu := m.windowExpected(now, w.d).neg
		sh := share(obs, w.a.all)
		if obs < m.cfg.NegativeMin || obs < m.cfg.NegativeRatio*mu || sh < m.cfg.NegativeShare || sh < expShare+m.cfg.NegativeRise ||
			w.a.uniq < m.cfg.MinAuthors {
			continue
		}
		p := quasiPoissonTail(obs, mu, m.cfg.Dispersion)
		if p >= level {
			continue
		}
		if !m.mayWindowSignal(NegativeSpike) {
			return dst
		}
		s := Signal{Monitor: m.id, Kind: NegativeSpike, At: now, Window: w.d, Observed: obs, Expected: mu, PValue: p,
			Warmup: !warm, Posts: int(w.a.all), Authors: w.a.uniq, Reach: w.a.reach, NegShare: sh, ExpectedNeg: expShare}
		m.explain(&s, minutes(w.d), nil)
		return append(dst, s)
	}
	return dst
}

func (m *monitor) testCategories(now time.Time, dst []Signal) []Signal {
	w := m.cfg.CategoryWindow
	for i, n := range m.catWin.cats {
		if n < m.cfg.CategoryMin {
			continue
		}
		mu := m.catRate[i] * m.covered(now, w)
		if float64(n) < m.cfg.CategoryFactor*mu {
			continue
		}
		kind := KindCategoryPrefix + Categories[i]
		if !m.mayWindowSignal(kind) {
			continue
		}
		bit := uint8(1) << i
		s := Signal{Monitor: m.id, Kind: kind, At: now, Window: w, Observed: float64(n), Expected: mu,
			PValue: poissonTail(float64(n), max(mu, m.cfg.MinRate)), Category: Categories[i], Warmup: !m.base.warm(m.cfg)}
		m.explain(&s, minutes(w), func(r *ref) bool { return r.cats&bit != 0 })
		dst = append(dst, s)
	}
	return dst
}

func (m *monitor) testInfluential(now time.Time, in *Input, reach int64, dst []Signal) []Signal {
	p := in.Post
	if in.Sentiment != "negative" && !in.Complaint {
		return dst
	}
	if p.Author.Kind != "press" && !p.Author.Verified && p.Author.Followers < m.cfg.InfluentialFollowers {
		return dst
	}
	s := Signal{Monitor: m.id, Kind: InfluentialAuthor, At: now, Subject: p.ID, AuthorKind: p.Author.Kind,
		Verified: p.Author.Verified, Followers: p.Author.Followers, Reach: reach, Posts: 1, Authors: 1,
		Top: []PostRef{{ID: p.ID, Platform: p.Platform, Reach: reach, Author: p.Author.Handle, Lang: in.Lang}}, Warmup: !m.base.warm(m.cfg)}
	if in.Lang != "" {
		s.Langs = []Count{{in.Lang, 1}}
	}
	for _, c := range in.Categories {
		s.Categories = append(s.Categories, Count{c, 1})
	}
	return append(dst, s)
}

// testViral counts this post as a reference to the post it reposts, quotes or answers, and, when the
// same post id comes again with fresher metrics, takes the growth of its engagement as references too.
func (m *monitor) testViral(now time.Time, in *Input, dst []Signal) []Signal {
	p := in.Post
	var target string
	var refs float64
	var reach int64
	switch {
	case p.RepostOf != "":
		target = p.RepostOf
	case p.QuoteOf != "":
		target = p.QuoteOf
	case p.ReplyTo != "":
		target = p.ReplyTo
	}
	if target != "" {
		refs, reach = 1, max(p.Author.Followers, 0)
	}
	eng := float64(p.Metrics.Reposts + p.Metrics.Quotes + p.Metrics.Replies)
	if sn, ok := m.seen[p.ID]; ok {
		// A metrics update of a post already seen: its growth since the last snapshot counts as
		// references now, each new spreader assumed to bring a tenth of the author's reach.
		if grow := eng - sn.eng; grow > 0 {
			v := m.track(p.ID)
			m.addRefs(v, grow, int64(grow)*max(p.Author.Followers/10, 1), in.Sentiment != "positive")
			v.platform = p.Platform
			dst = m.viralSignal(now, p.ID, v, dst)
		}
		m.seen[p.ID] = snapshot{eng: max(eng, sn.eng), min: m.cur}
	} else if len(m.seen) < seenCap {
		m.seen[p.ID] = snapshot{eng: eng, min: m.cur}
	}
	if target == "" {
		return dst
	}
	v := m.track(target)
	m.addRefs(v, refs, reach, in.Sentiment != "positive")
	// A post is spread on its own platform, so the target shares the spreader's.
	v.platform = p.Platform
	return m.viralSignal(now, target, v, dst)
}

func (m *monitor) track(id string) *viral {
	v, ok := m.viral[id]
	if !ok {
		v = &viral{lastSignal: math.MinInt32}
		m.viral[id] = v
	}
	v.seen = m.cur
	return v
}

func (m *monitor) addRefs(v *viral, refs float64, reach int64, nonPos bool) {
	if nonPos {
		v.nonPos += refs
	}
	i := int(m.cur % viralLen)
	if v.mins[i] != m.cur {
		v.mins[i], v.refs[i], v.reach[i] = m.cur, 0, 0
	}
	v.refs[i] += refs
	v.reach[i] += reach
	v.total += int(refs)
	v.totalReach += reach
	v.seen = m.cur
}

func (m *monitor) viralSignal(now time.Time, id string, v *viral, dst []Signal) []Signal {
	w := minutes(m.cfg.ViralWindow)
	var refs float64
	var reach int64
	for i := range v.mins {
		if v.mins[i] > m.cur-w {
			refs += v.refs[i]
			reach += v.reach[i]
		}
	}
	span := math.Min(float64(w), float64(m.cur-m.first)+1)
	vel := refs / span
	m.velMax = max(m.velMax, vel)
	threshold := max(m.cfg.ViralMinVelocity, m.cfg.ViralFactor*m.velNorm)
	predicted := v.totalReach + int64(float64(reach)/span*m.cfg.ViralHorizon.Minutes())
	fast := vel >= threshold && refs >= float64(m.cfg.ViralMinRefs)
	far := v.total >= m.cfg.ViralMinRefs && predicted >= m.cfg.ViralReach
	if !fast && !far || 2*v.nonPos < float64(v.total) || m.cur-v.lastSignal < max(minutes(m.cfg.SignalEvery), 1) {
		return dst
	}
	v.lastSignal = m.cur
	s := Signal{Monitor: m.id, Kind: ViralPost, At: now, Subject: id, Window: m.cfg.ViralWindow, Observed: refs,
		Expected: m.velNorm * span, Velocity: vel, NormalVel: m.velNorm, Reach: v.totalReach, Predicted: predicted,
		Posts: v.total, Warmup: !m.base.warm(m.cfg), Top: []PostRef{{ID: id, Platform: m.platformOf(id, v), Reach: v.totalReach}}}
	return append(dst, s)
}

// explain fills the top posts, languages and categories of a signal from the recent posts within the
// last win minutes (0: any age) that keep says to keep.
func (m *monitor) explain(s *Signal, win int64, keep func(*ref) bool) {
	var refs []PostRef
	langs := map[string]int{}
	cats := map[string]int{}
	n := min(m.refNext, refLen)
	for i := range n {
		r := &m.refs[i]
		if win > 0 && r.min <= m.cur-win || keep != nil && !keep(r) {
			continue
		}
		refs = append(refs, r.PostRef)
		if r.Lang != "" {
			langs[r.Lang]++
		}
		for c := range nCat {
			if r.cats&(1<<c) != 0 {
				cats[Categories[c]]++
			}
		}
	}
	s.Top = topRefs(refs, topN)
	s.Langs = counts(langs)
	s.Categories = counts(cats)
}
