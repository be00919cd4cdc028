package query

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cloudflare/ahocorasick"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// The matching benchmarks measure whole posts: building the Doc (tokenizing and folding the text) and
// finding every matching monitor. posts/s is per core, as each benchmark runs on one goroutine.
//
//	compiled:    Doc.Reset + Matcher.AppendMatches
//	naive:       Doc.Reset + Query.Match for every monitor
//	ahocorasick: an Aho-Corasick automaton (github.com/cloudflare/ahocorasick) over the same required
//	             terms the Matcher indexes, run on the folded text, then Doc.Reset and Query.Match for
//	             the candidates it finds

const benchPosts = 2000

type benchSet struct {
	ms    []Monitor
	posts []*post.Post
	an    []Analysis
	m     *Matcher
}

func newBenchSet(b testing.TB, n int) *benchSet {
	c := newCorpus(n/2, 42)
	s := &benchSet{ms: c.monitors(n), posts: c.posts(benchPosts)}
	for range s.posts {
		s.an = append(s.an, c.analysis())
	}
	var err error
	if s.m, err = Compile(s.ms); err != nil {
		b.Fatal(err)
	}
	return s
}

// runPosts runs one post per iteration and reports posts/s by the wall clock and posts/cpu-s by the
// process's CPU time.
func runPosts(b *testing.B, one func(i int)) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, ok := cputime.Process()
	for i := 0; i < b.N; i++ {
		one(i)
	}
	cpu1, _ := cputime.Process()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	if ok && cpu1 > cpu0 {
		b.ReportMetric(float64(b.N)/(cpu1-cpu0).Seconds(), "posts/cpu-s")
	}
}

func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s := newBenchSet(b, n)
		b.Run(fmt.Sprintf("monitors=%d/compiled", n), s.benchCompiled)
		b.Run(fmt.Sprintf("monitors=%d/naive", n), func(b *testing.B) {
			var d Doc
			var out []string
			runPosts(b, func(i int) {
				k := i % len(s.posts)
				d.Reset(s.posts[k], s.an[k])
				out = out[:0]
				for _, m := range s.ms {
					if m.Query.Match(&d) {
						out = append(out, m.ID)
					}
				}
			})
		})
		b.Run(fmt.Sprintf("monitors=%d/ahocorasick", n), func(b *testing.B) {
			ac := newACPrefilter(s.m)
			var d Doc
			var out []string
			runPosts(b, func(i int) {
				k := i % len(s.posts)
				out = ac.match(out[:0], s.ms, &d, s.posts[k], s.an[k])
			})
		})
	}
}

func (s *benchSet) benchCompiled(b *testing.B) {
	var d Doc
	var out []string
	matched := 0
	runPosts(b, func(i int) {
		k := i % len(s.posts)
		d.Reset(s.posts[k], s.an[k])
		out = s.m.AppendMatches(out[:0], &d)
		matched += len(out)
	})
	b.ReportMetric(float64(matched)/float64(b.N), "matches/post")
}

// BenchmarkMatchScaling shows that the time per post follows the candidates, not the monitors: the
// same kind of monitor set at 100,000 monitors. Only the compiled matcher runs; the baselines would
// take minutes.
func BenchmarkMatchScaling(b *testing.B) {
	s := newBenchSet(b, 100000)
	b.Run("monitors=100000/compiled", s.benchCompiled)
}

// acPrefilter is the Aho-Corasick baseline: the same candidate selection as the Matcher, but the
// terms are found by scanning the folded text with an automaton instead of looking up tokens.
type acPrefilter struct {
	ac       *ahocorasick.Matcher
	monitors [][]int32 // dictionary entry → monitors
	always   []int32
	seen     []bool
}

func newACPrefilter(m *Matcher) *acPrefilter {
	texts := make([]string, m.nterms)
	for w, id := range m.words {
		texts[id] = w
	}
	for w, id := range m.tags {
		texts[id] = w
	}
	for w, id := range m.mentions {
		texts[id] = w
	}
	for _, w := range m.wild {
		texts[w.id] = literalPrefix(w.pat)
	}
	index := map[string]int{}
	p := &acPrefilter{always: m.always, seen: make([]bool, len(m.ids))}
	var dict []string
	for t, ms := range m.postings {
		if len(ms) == 0 {
			continue
		}
		k, ok := index[texts[t]]
		if !ok {
			k = len(dict)
			index[texts[t]] = k
			dict = append(dict, texts[t])
			p.monitors = append(p.monitors, nil)
		}
		p.monitors[k] = append(p.monitors[k], ms...)
	}
	p.ac = ahocorasick.NewStringMatcher(dict)
	return p
}

func (p *acPrefilter) match(dst []string, ms []Monitor, d *Doc, ps *post.Post, a Analysis) []string {
	var cands []int32
	for _, k := range p.ac.Match([]byte(text.Fold(ps.Text))) {
		for _, i := range p.monitors[k] {
			if !p.seen[i] {
				p.seen[i] = true
				cands = append(cands, i)
			}
		}
	}
	for _, i := range p.always {
		if !p.seen[i] {
			p.seen[i] = true
			cands = append(cands, i)
		}
	}
	slices.Sort(cands)
	d.Reset(ps, a)
	for _, i := range cands {
		p.seen[i] = false
		if ms[i].Query.Match(d) {
			dst = append(dst, ms[i].ID)
		}
	}
	return dst
}

// TestBenchmarkBaselinesAgree keeps the benchmark honest: on the benchmark's own monitors and posts,
// the matcher, the reference evaluator and the Aho-Corasick baseline give the same answers.
func TestBenchmarkBaselinesAgree(t *testing.T) {
	s := newBenchSet(t, 1000)
	ac := newACPrefilter(s.m)
	var d, d2 Doc
	total := 0
	for k, p := range s.posts[:500] {
		d.Reset(p, s.an[k])
		got := s.m.Match(&d)
		var want []string
		for _, m := range s.ms {
			if m.Query.Match(&d) {
				want = append(want, m.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("post %q: matcher %v, reference %v", p.Text, got, want)
		}
		if acGot := ac.match(nil, s.ms, &d2, p, s.an[k]); !slices.Equal(acGot, want) {
			t.Fatalf("post %q: ahocorasick %v, reference %v", p.Text, acGot, want)
		}
		total += len(got)
	}
	if total < 50 {
		t.Errorf("only %d matches on 500 posts: the benchmark would measure little", total)
	}
	t.Logf("%d matches on 500 posts", total)
}

// BenchmarkCompile measures compiling already parsed monitors into a Matcher, which is what a
// Registry change costs; retained-MB is the heap the finished Matcher keeps.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		c := newCorpus(n/2, 42)
		ms := c.monitors(n)
		b.Run(fmt.Sprintf("monitors=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var m *Matcher
			for i := 0; i < b.N; i++ {
				m, _ = Compile(ms)
			}
			b.StopTimer()
			b.ReportMetric(retainedMB(func() any { m, _ := Compile(ms); return m }), "retained-MB")
			_ = m
		})
	}
}

// BenchmarkParseAndCompile includes parsing every query, as loading a monitor file does.
func BenchmarkParseAndCompile(b *testing.B) {
	c := newCorpus(5000, 42)
	srcs := make([]string, 10000)
	for i := range srcs {
		srcs[i] = c.monitor(i)
	}
	b.Run("monitors=10000", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ms := make([]Monitor, len(srcs))
			for k, s := range srcs {
				q, err := Parse(s)
				if err != nil {
					b.Fatal(err)
				}
				ms[k] = Monitor{ID: fmt.Sprint(k), Query: q}
			}
			if _, err := Compile(ms); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRegistrySet measures changing one monitor among 10,000 while matching goes on: parse,
// full recompilation and the atomic swap.
func BenchmarkRegistrySet(b *testing.B) {
	c := newCorpus(5000, 42)
	set := map[string]string{}
	for i := 0; i < 10000; i++ {
		set[fmt.Sprintf("m%05d", i)] = c.monitor(i)
	}
	r := NewRegistry()
	if err := r.Update(set, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.Set(fmt.Sprintf("m%05d", i%10000), c.monitor(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}

// retainedMB is the live heap that what build returns keeps, after garbage collection.
func retainedMB(build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
}

// BenchmarkDoc measures building the Doc alone (tokenizing and folding), the part of the matching
// figures that does not depend on the monitors.
func BenchmarkDoc(b *testing.B) {
	s := newBenchSet(b, 1000)
	var d Doc
	runPosts(b, func(i int) {
		k := i % len(s.posts)
		d.Reset(s.posts[k], s.an[k])
	})
}

// BenchmarkLongPost is one post of 64 KiB repeating a few words, against monitors with phrases,
// sloppy phrases and NEAR over those words: the case where position lists are long. The cost must
// stay near linear in the post's length.
func BenchmarkLongPost(b *testing.B) {
	var ms []Monitor
	for i, src := range []string{
		`"bank storing"`, `"storing bank bank"~3`, `bank NEAR/100 storing`, `(bank OR ing) NEAR/5f (storing OR outage) NEAR/50 app`,
		`"ing app" NOT bank`,
	} {
		q, err := Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, Monitor{ID: fmt.Sprint(i), Query: q})
	}
	m, err := Compile(ms)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("bank storing ing app outage ", post.MaxTextBytes/28)
	p := &post.Post{ID: "long", Platform: "x", Text: text}
	var d Doc
	var out []string
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Reset(p, Analysis{})
		out = m.AppendMatches(out[:0], &d)
	}
	if len(out) != 4 {
		b.Fatalf("matches %v, want 4 monitors", out)
	}
}
