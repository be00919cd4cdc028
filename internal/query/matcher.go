package query

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Monitor is one named query to compile into a Matcher.
type Monitor struct {
	ID    string
	Query *Query
}

// Matcher matches a post against many monitors at once. It is immutable once built and safe for
// concurrent use.
//
// Every term of every monitor is interned in one dictionary (exact terms in maps, wildcard terms in a
// prefix trie). Each monitor is indexed under a set of its terms at least one of which must occur in
// any post it matches. Matching a post looks up each of its tokens once, collects the monitors indexed
// under the terms that occur, and evaluates only those, so the cost per post follows the number of
// monitors that share a term with it rather than the number of monitors. Monitors without any
// required term (only fields and exclusions, such as lang:nl AND authorKind:press) are evaluated for
// every post; they are cheap, as fields need no text.
type Matcher struct {
	ids      []string // sorted; index = monitor number
	progs    []*cnode
	words    map[string]int32 // plain terms, by folded text → term id
	tags     map[string]int32
	mentions map[string]int32
	wild     []wildTerm
	trie     trie
	postings [][]int32 // term id → monitors indexed under it, ascending
	always   []int32   // monitors evaluated for every post
	nterms   int
	pool     sync.Pool // *scratch sized for this matcher
}

type wildTerm struct {
	id         int32
	kind       AtomKind
	pat        string
	prefixOnly bool // "abc*": reaching the trie node is the whole test
}

type opcode uint8

const (
	opTerm opcode = iota
	opPhrase
	opNear
	opOr
	opAnd
	opNot
	opField
)

// cnode is a compiled query node: terms are replaced by term ids.
type cnode struct {
	op      opcode
	term    int32
	terms   []int32 // phrase words
	slop    int32   // -1: exact phrase
	n       int32   // NEAR distance
	ordered bool
	kids    []*cnode
	field   *Field
}

// Compile builds a Matcher. Monitor ids must be unique and non-empty.
func Compile(monitors []Monitor) (*Matcher, error) {
	ms := slices.Clone(monitors)
	slices.SortFunc(ms, func(a, b Monitor) int { return strings.Compare(a.ID, b.ID) })
	for i, m := range ms {
		if m.ID == "" {
			return nil, fmt.Errorf("query: monitor without an id")
		}
		if m.Query == nil {
			return nil, fmt.Errorf("query: monitor %q has no query", m.ID)
		}
		if i > 0 && ms[i-1].ID == m.ID {
			return nil, fmt.Errorf("query: duplicate monitor id %q", m.ID)
		}
	}
	c := &compiler{
		m: &Matcher{
			ids:      make([]string, len(ms)),
			progs:    make([]*cnode, len(ms)),
			words:    map[string]int32{},
			tags:     map[string]int32{},
			mentions: map[string]int32{},
		},
		wildIDs: map[wildKey]int32{},
	}
	m := c.m
	for i, mon := range ms {
		m.ids[i] = mon.ID
		m.progs[i] = c.compile(mon.Query.Root)
		c.countMonitor(m.progs[i])
	}
	postings := make([][]int32, m.nterms)
	for i, prog := range m.progs {
		req, _, ok := c.required(prog)
		if !ok {
			m.always = append(m.always, int32(i))
			continue
		}
		slices.Sort(req)
		for _, t := range slices.Compact(req) {
			postings[t] = append(postings[t], int32(i))
		}
	}
	m.postings = postings
	m.trie.build(m.wild)
	return m, nil
}

type wildKey struct {
	kind AtomKind
	pat  string
}

type compiler struct {
	m       *Matcher
	wildIDs map[wildKey]int32
	lenCost []float64 // by term id: how likely the term is to occur, judged by its length
	df      []int32   // by term id: how many monitors use the term
	seen    []int32   // by term id: the last monitor counted in df, plus one
	counted int32
}

func (c *compiler) intern(t *Term) int32 {
	m := c.m
	if t.Wildcard {
		k := wildKey{t.Kind, t.Text}
		if id, ok := c.wildIDs[k]; ok {
			return id
		}
		id := c.newTerm(t)
		c.wildIDs[k] = id
		pre := literalPrefix(t.Text)
		m.wild = append(m.wild, wildTerm{id: id, kind: t.Kind, pat: t.Text,
			prefixOnly: t.Text == pre+"*"})
		return id
	}
	dict := m.words
	switch t.Kind {
	case AtomHashtag:
		dict = m.tags
	case AtomMention:
		dict = m.mentions
	}
	if id, ok := dict[t.Text]; ok {
		return id
	}
	id := c.newTerm(t)
	dict[t.Text] = id
	return id
}

// newTerm assigns a term id and estimates how common the term is in posts. Without word
// frequencies, length stands in for rarity: short words are common in both languages, long ones
// rarely are. Wildcards match families of words; hashtags and mentions are rarer than the same plain
// word.
func (c *compiler) newTerm(t *Term) int32 {
	id := int32(c.m.nterms)
	c.m.nterms++
	n := utf8.RuneCountInString(t.Text)
	if t.Wildcard {
		n = utf8.RuneCountInString(literalPrefix(t.Text))
	}
	cost := 16.0 / float64(n+1)
	if t.Wildcard {
		cost *= 2
	}
	if t.Kind != AtomWord {
		cost /= 2
	}
	c.lenCost = append(c.lenCost, cost)
	c.df = append(c.df, 0)
	c.seen = append(c.seen, 0)
	return id
}

// countMonitor adds one monitor's terms to the monitor frequencies.
func (c *compiler) countMonitor(n *cnode) {
	c.counted++
	var walk func(n *cnode)
	walk = func(n *cnode) {
		switch n.op {
		case opTerm:
			c.countTerm(n.term)
		case opPhrase:
			for _, t := range n.terms {
				c.countTerm(t)
			}
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
}

func (c *compiler) countTerm(t int32) {
	if c.seen[t] != c.counted {
		c.seen[t] = c.counted
		c.df[t]++
	}
}

// cost is a term's cost as an index key: how often it occurs in posts times how many monitors use it.
// The second factor is what the length misses: words that many monitors share ("storing", "outage",
// "klantenservice") are the generic words of the trade, while names belong to one brand, and a post
// with a shared word makes every monitor indexed under it a candidate.
func (c *compiler) cost(t int32) float64 { return c.lenCost[t] * float64(1+c.df[t]) }

func (c *compiler) compile(n Node) *cnode {
	switch n := n.(type) {
	case *Term:
		return &cnode{op: opTerm, term: c.intern(n)}
	case *Phrase:
		cn := &cnode{op: opPhrase, slop: int32(n.Slop)}
		for _, w := range n.Words {
			cn.terms = append(cn.terms, c.intern(w))
		}
		return cn
	case *Near:
		return &cnode{op: opNear, n: int32(n.N), ordered: n.Ordered, kids: []*cnode{c.compile(n.L), c.compile(n.R)}}
	case *Or:
		cn := &cnode{op: opOr}
		for _, k := range n.Children {
			cn.kids = append(cn.kids, c.compile(k))
		}
		return cn
	case *And:
		cn := &cnode{op: opAnd}
		for _, k := range n.Children {
			cn.kids = append(cn.kids, c.compile(k))
		}
		// Cheap tests first: fields need no positions, and a missing term ends the AND early.
		slices.SortStableFunc(cn.kids, func(a, b *cnode) int { return int(rank(a)) - int(rank(b)) })
		return cn
	case *Not:
		return &cnode{op: opNot, kids: []*cnode{c.compile(n.X)}}
	case *Field:
		return &cnode{op: opField, field: n}
	}
	panic(fmt.Sprintf("query: unknown node %T", n))
}

func rank(n *cnode) uint8 {
	switch n.op {
	case opTerm, opField:
		return 0
	case opNot:
		return 2
	}
	return 1
}

// required returns term ids at least one of which occurs in every post the node matches, with the
// set's estimated cost; ok is false when there is no such set (NOT, fields).
func (c *compiler) required(n *cnode) (set []int32, cost float64, ok bool) {
	switch n.op {
	case opTerm:
		return []int32{n.term}, c.cost(n.term), true
	case opPhrase:
		// Every word must occur, so the rarest one is enough.
		best := n.terms[0]
		for _, t := range n.terms[1:] {
			if c.cost(t) < c.cost(best) {
				best = t
			}
		}
		return []int32{best}, c.cost(best), true
	case opAnd, opNear:
		for _, k := range n.kids {
			s, kc, kok := c.required(k)
			if kok && (!ok || kc < cost) {
				set, cost, ok = s, kc, true
			}
		}
		return set, cost, ok
	case opOr:
		for _, k := range n.kids {
			s, kc, kok := c.required(k)
			if !kok {
				return nil, 0, false
			}
			set = append(set, s...)
			cost += kc
		}
		return set, cost, true
	}
	return nil, 0, false
}

// Len returns the number of monitors.
func (m *Matcher) Len() int { return len(m.ids) }

// IDs returns the monitor ids, sorted.
func (m *Matcher) IDs() []string { return slices.Clone(m.ids) }

// Match returns the ids of the monitors that match d, sorted.
func (m *Matcher) Match(d *Doc) []string { return m.AppendMatches(nil, d) }

// AppendMatches appends the ids of the monitors that match d to dst, sorted, and returns it; with a
// reused dst it does not allocate.
func (m *Matcher) AppendMatches(dst []string, d *Doc) []string {
	s := m.scratch()
	defer m.pool.Put(s)
	s.next(m)
	s.collect(m, d)
	for _, i := range m.always {
		s.addCandidate(i)
	}
	slices.Sort(s.cands)
	for _, i := range s.cands {
		s.sp = s.sp[:0]
		if s.eval(m.progs[i], d) {
			dst = append(dst, m.ids[i])
		}
	}
	return dst
}

func (m *Matcher) scratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		terms:  make([]termState, m.nterms),
		mstamp: make([]uint32, len(m.ids)),
	}
}

// scratch is the per-match working memory. Stamps with a generation number avoid clearing the
// per-term and per-monitor arrays for every post.
type scratch struct {
	gen    uint32
	terms  []termState // by term id
	hits   []hitRec    // in the order found, which is by position
	pos    []int32     // positions of each term that occurs, grouped by term, ascending
	mstamp []uint32
	cands  []int32
	hit    []int32 // term ids that occur, in order of first occurrence
	sp     []span
}

// termState is where a term occurs in the current post. The fields sit together because they are
// read together, and the array is too large for the cache with 10,000 monitors.
type termState struct {
	stamp uint32 // == scratch.gen when the term occurs in the post
	n     int32  // number of positions
	off   int32  // where they start in scratch.pos, once collect has grouped them
}

type hitRec struct{ term, pos int32 }

func (s *scratch) next(m *Matcher) {
	s.gen++
	if s.gen == 0 { // wrapped: old stamps could look current
		clear(s.terms)
		clear(s.mstamp)
		s.gen = 1
	}
	s.hits, s.cands, s.hit = s.hits[:0], s.cands[:0], s.hit[:0]
}

func (s *scratch) addHit(t, pos int32) {
	ts := &s.terms[t]
	if ts.stamp != s.gen {
		ts.stamp = s.gen
		ts.n = 0
		s.hit = append(s.hit, t)
	}
	ts.n++
	s.hits = append(s.hits, hitRec{t, pos})
}

// group lays out each term's positions contiguously and in order, so that phrases and NEAR can
// binary-search them: a long post that repeats a word must not cost the square of its length.
func (s *scratch) group() {
	off := int32(0)
	for _, t := range s.hit {
		ts := &s.terms[t]
		ts.off = off
		off += ts.n
		ts.n = 0
	}
	s.pos = slices.Grow(s.pos[:0], int(off))[:off]
	for _, h := range s.hits {
		ts := &s.terms[h.term]
		s.pos[ts.off+ts.n] = h.pos
		ts.n++
	}
}

// positions returns where term t occurs, ascending.
func (s *scratch) positions(t int32) []int32 {
	ts := s.terms[t]
	if ts.stamp != s.gen {
		return nil
	}
	return s.pos[ts.off : ts.off+ts.n]
}

func (s *scratch) addCandidate(i int32) {
	if s.mstamp[i] != s.gen {
		s.mstamp[i] = s.gen
		s.cands = append(s.cands, i)
	}
}

// collect looks up every token of the post in the term dictionary, records where terms occur, and
// gathers the candidate monitors.
func (s *scratch) collect(m *Matcher, d *Doc) {
	for _, a := range d.atoms {
		switch a.kind {
		case AtomWord:
			if t, ok := m.words[a.norm]; ok {
				s.addHit(t, a.pos)
			}
		case AtomHashtag:
			if t, ok := m.tags[a.norm]; ok {
				s.addHit(t, a.pos)
			}
			if t, ok := m.words[a.norm]; ok {
				s.addHit(t, a.pos)
			}
		case AtomMention:
			if t, ok := m.mentions[a.norm]; ok {
				s.addHit(t, a.pos)
			}
		}
		if len(m.wild) > 0 {
			s.wildHits(m, a)
		}
	}
	s.group()
	for _, t := range s.hit {
		for _, i := range m.postings[t] {
			s.addCandidate(i)
		}
	}
}

// wildHits walks the trie along the token and records the wildcard terms it matches. The walk is
// inlined here rather than taking a callback, which would allocate for every token.
func (s *scratch) wildHits(m *Matcher, a atom) {
	str := a.norm
	if len(str) == 0 {
		return
	}
	t := &m.trie
	cur := t.root[str[0]]
	for i := 1; cur != 0; i++ {
		n := &t.nodes[cur]
		for _, w := range n.wild {
			wt := &m.wild[w]
			if compatible(wt.kind, a.kind) && (wt.prefixOnly || matchWildcard(wt.pat, str)) {
				s.addHit(wt.id, a.pos)
			}
		}
		if i == len(str) {
			return
		}
		cur = t.next(cur, str[i])
	}
}

// has reports whether term t occurs at position p.
func (s *scratch) has(t, p int32) bool {
	_, found := slices.BinarySearch(s.positions(t), p)
	return found
}

// hasIn reports whether term t occurs in [lo, hi].
func (s *scratch) hasIn(t, lo, hi int32) bool {
	ps := s.positions(t)
	i, _ := slices.BinarySearch(ps, lo)
	return i < len(ps) && ps[i] <= hi
}

func (s *scratch) eval(n *cnode, d *Doc) bool {
	switch n.op {
	case opTerm:
		return s.terms[n.term].stamp == s.gen
	case opAnd:
		for _, k := range n.kids {
			if !s.eval(k, d) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if s.eval(k, d) {
				return true
			}
		}
		return false
	case opNot:
		return !s.eval(n.kids[0], d)
	case opField:
		return d.matchField(n.field)
	case opPhrase:
		for _, t := range n.terms {
			if s.terms[t].stamp != s.gen {
				return false
			}
		}
		if n.slop < 0 {
			for _, p := range s.positions(n.terms[0]) {
				if s.phraseAt(n, p) {
					return true
				}
			}
			return false
		}
	}
	lo, hi := s.spans(n)
	return hi > lo
}

// phraseAt reports whether the exact phrase n starts at position p.
func (s *scratch) phraseAt(n *cnode, p int32) bool {
	for i, t := range n.terms[1:] {
		if !s.has(t, p+int32(i)+1) {
			return false
		}
	}
	return true
}

// spans appends the spans of a positional node to s.sp and returns their range there, sorted and
// without duplicates. The semantics are those of refSpans.
func (s *scratch) spans(n *cnode) (int, int) {
	lo := len(s.sp)
	switch n.op {
	case opTerm:
		for _, p := range s.positions(n.term) {
			s.sp = append(s.sp, span{p, p})
		}
	case opPhrase:
		for _, t := range n.terms {
			if s.terms[t].stamp != s.gen {
				return lo, lo
			}
		}
		if n.slop < 0 {
			k := int32(len(n.terms))
			for _, p := range s.positions(n.terms[0]) {
				if s.phraseAt(n, p) {
					s.sp = append(s.sp, span{p, p + k - 1})
				}
			}
			break
		}
		// Positions where any word occurs are the possible ends of a window.
		for _, t := range n.terms {
			for _, p := range s.positions(t) {
				s.sp = append(s.sp, span{p, p})
			}
		}
		slices.SortFunc(s.sp[lo:], cmpSpan)
		ends := len(slices.Compact(s.sp[lo:]))
		s.sp = s.sp[:lo+ends]
		window := int32(len(n.terms)) + n.slop
		out := len(s.sp)
		for i := lo; i < lo+ends; i++ {
			for j := i; j < lo+ends; j++ {
				a, b := s.sp[i].s, s.sp[j].s
				if b-a+1 > window {
					break
				}
				all := true
				for _, t := range n.terms {
					if !s.hasIn(t, a, b) {
						all = false
						break
					}
				}
				if all {
					s.sp = append(s.sp, span{a, b})
				}
			}
		}
		// Move the windows down over the list of ends.
		w := copy(s.sp[lo:], s.sp[out:])
		s.sp = s.sp[:lo+w]
		return lo, lo + w
	case opOr:
		// Each child leaves its spans right after the previous child's, so together they are the
		// union, sorted below.
		for _, k := range n.kids {
			s.spans(k)
		}
	case opNear:
		alo, ahi := s.spans(n.kids[0])
		blo, bhi := s.spans(n.kids[1])
		maxLenB := int32(0)
		for _, b := range s.sp[blo:bhi] {
			maxLenB = max(maxLenB, b.e-b.s)
		}
		out := len(s.sp)
		for i := alo; i < ahi; i++ {
			a := s.sp[i]
			// Only spans of R that start within reach can be near: those starting after a within
			// n positions, and (unordered) those ending before a within n, which start at most
			// maxLenB earlier still. B is sorted by start, so both are found by binary search.
			from := a.e + 1
			if !n.ordered {
				from = a.s - 1 - n.n - maxLenB
			}
			j := blo + searchStart(s.sp[blo:bhi], from)
			for ; j < bhi && s.sp[j].s <= a.e+1+n.n; j++ {
				b := s.sp[j]
				if nearPair(a, b, n.n, n.ordered) {
					s.sp = append(s.sp, span{min(a.s, b.s), max(a.e, b.e)})
				}
			}
		}
		k := copy(s.sp[lo:], s.sp[out:])
		s.sp = s.sp[:lo+k]
	}
	slices.SortFunc(s.sp[lo:], cmpSpan)
	k := len(slices.Compact(s.sp[lo:]))
	s.sp = s.sp[:lo+k]
	return lo, lo + k
}

// searchStart returns the index of the first span starting at or after p.
func searchStart(sp []span, p int32) int {
	i, _ := slices.BinarySearchFunc(sp, p, func(x span, p int32) int { return cmp.Compare(x.s, p) })
	return i
}
