package analyze

import (
	"bufio"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// lexiconFS holds the lexicons the binary ships with. It is read once, when an Analyzer is built.
//
//go:embed lexicon
var lexiconFS embed.FS

// Word roles: what a word does to the sentiment words near it.
const (
	roleNegator  uint8 = 1 << iota // flips the words after it (niet, not, n't)
	roleContrast                   // moves weight to the clause after it (maar, but)
	roleSarcasm                    // marks what came before as meant the other way (bedankt hoor, yeah right)
)

// lexEntry is everything the scorer knows about one normalised word, so that each token costs one
// map lookup.
type lexEntry struct {
	val     float32 // valence on VADER's scale, −4..4; 0 for none
	boost   float32 // added to the size of the next sentiment word: > 0 intensifies, < 0 dampens
	role    uint8
	phrases []lexPhrase // multi-word entries that start with this word, longest first
}

// lexPhrase is a multi-word lexicon entry: the words after the first, and what the whole means.
type lexPhrase struct {
	rest  []string
	val   float32
	boost float32
	role  uint8
}

// prefixEntry matches every word that starts with pre (Dutch compounds: kutbedrijf).
type prefixEntry struct {
	pre string
	val float32
}

// lexicon is one language's table. It is immutable once built.
type lexicon struct {
	words    map[string]lexEntry
	prefixes []prefixEntry // longest first
	// dutchInflection lets a word that is not found be retried without the Dutch adjective ending
	// -e (vreselijke → vreselijk) or the comparative -er (slechter → slecht); lexicons list base forms.
	dutchInflection bool
	// verbOnly are sentiment words that are also common prepositions or fillers ("like"); they count
	// only after a word of verbContext (a subject, an auxiliary, an adverb).
	verbOnly, verbContext map[string]bool
}

func newLexicon() *lexicon { return &lexicon{words: make(map[string]lexEntry, 1024)} }

// lookup returns the entry for a normalised word, falling back to the prefixes.
func (l *lexicon) lookup(w string) (lexEntry, bool) {
	if e, ok := l.words[w]; ok {
		return e, true
	}
	for _, p := range l.prefixes {
		if len(w) >= len(p.pre) && w[:len(p.pre)] == p.pre {
			return lexEntry{val: p.val}, true
		}
	}
	if l.dutchInflection && len(w) > 4 {
		for _, suf := range dutchEndings {
			if stem, ok := strings.CutSuffix(w, suf); ok {
				if e, ok := l.words[stem]; ok && e.val != 0 {
					return lexEntry{val: e.val}, true
				}
			}
		}
	}
	return lexEntry{}, false
}

// dutchEndings are the inflections retried, longest first. Only the valence carries over: a
// word's role (negator, booster) belongs to its exact form.
var dutchEndings = []string{"ste", "er", "e"}

// set puts a valence for a term; a term of several words becomes a phrase under its first word.
// Later calls override earlier ones, so hand-written entries are loaded last.
func (l *lexicon) set(term string, val float32, role uint8) {
	words, prefix := patternWords(term)
	if len(words) == 0 {
		return
	}
	if len(words) == 1 {
		if prefix[0] {
			l.setPrefix(words[0], val)
			return
		}
		e := l.words[words[0]]
		e.val, e.role = val, e.role|role
		l.words[words[0]] = e
		return
	}
	e := l.words[words[0]]
	ps := make([]lexPhrase, 0, len(e.phrases)+1)
	for _, p := range e.phrases {
		if !slicesEqual(p.rest, words[1:]) {
			ps = append(ps, p)
		}
	}
	ps = append(ps, lexPhrase{rest: words[1:], val: val, role: role})
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].rest) > len(ps[j].rest) })
	e.phrases = ps
	l.words[words[0]] = e
}

// setRule gives a term a role or a boost, keeping any valence it has: "super" is both a booster
// and a positive word, and which one it is depends on what follows.
func (l *lexicon) setRule(term string, role uint8, boost float32) {
	words, _ := patternWords(term)
	if len(words) == 0 {
		return
	}
	if len(words) == 1 {
		w := words[0]
		e := l.words[w]
		e.role |= role
		if boost != 0 {
			e.boost = boost
		}
		l.words[w] = e
		return
	}
	l.set(term, 0, role)
	first := words[0]
	e := l.words[first]
	for i := range e.phrases {
		if len(e.phrases[i].rest) == len(words)-1 {
			e.phrases[i].boost = boost
		}
	}
	l.words[first] = e
}

func (l *lexicon) setPrefix(pre string, val float32) {
	for i := range l.prefixes {
		if l.prefixes[i].pre == pre {
			l.prefixes[i].val = val
			return
		}
	}
	l.prefixes = append(l.prefixes, prefixEntry{pre, val})
	sort.SliceStable(l.prefixes, func(i, j int) bool { return len(l.prefixes[i].pre) > len(l.prefixes[j].pre) })
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// readVADER reads VADER's lexicon: term, mean valence, standard deviation, raw ratings.
func readVADER(r io.Reader, add func(term string, val float32)) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) < 2 {
			continue
		}
		v, err := strconv.ParseFloat(parts[1], 32)
		if err != nil {
			return fmt.Errorf("vader line %d: %w", line, err)
		}
		add(parts[0], float32(v))
	}
	return sc.Err()
}

// readEmoji reads VADER's emoji lexicon (emoji, English description) and gives each emoji the
// summed valence of its description's words, which is how VADER itself reads emoji.
func readEmoji(r io.Reader, wordVal func(string) float32, add func(emoji string, val float32)) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		emoji, desc, ok := strings.Cut(sc.Text(), "\t")
		if !ok || emoji == "" {
			continue
		}
		var s float32
		for _, w := range strings.Fields(desc) {
			s += wordVal(strings.ToLower(w))
		}
		if s != 0 {
			add(emoji, float32(math.Max(-3.5, math.Min(3.5, float64(s)))))
		}
	}
	return sc.Err()
}

// readPattern reads the Pattern-nl adjective lexicon. A word with several senses gets the mean
// polarity of its senses, as Pattern itself does; polarity −1..1 is scaled to VADER's range.
func readPattern(r io.Reader, add func(word string, val float32)) error {
	var doc struct {
		Words []struct {
			Form     string  `xml:"form,attr"`
			Polarity float64 `xml:"polarity,attr"`
		} `xml:"word"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return fmt.Errorf("pattern-nl: %w", err)
	}
	sum := map[string]float64{}
	n := map[string]int{}
	var order []string
	for _, w := range doc.Words {
		if _, seen := n[w.Form]; !seen {
			order = append(order, w.Form)
		}
		sum[w.Form] += w.Polarity
		n[w.Form]++
	}
	for _, f := range order {
		if p := sum[f] / float64(n[f]); p != 0 {
			add(f, float32(p*patternScale))
		}
	}
	return nil
}

// patternScale maps Pattern's polarity (−1..1) onto VADER's valence (−4..4). Pattern's strongest
// words ("uitstekend", 1.0) sit where VADER's "excellent" does, at about 3.
const patternScale = 3.0

// readHandLexicon reads a TSV lexicon written for crisisdesk: term, valence; # starts a comment.
func readHandLexicon(r io.Reader, add func(term string, val float32)) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		term, v, ok := strings.Cut(t, "\t")
		if !ok {
			return fmt.Errorf("line %d: want term<TAB>valence", line)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 32)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		add(term, float32(f))
	}
	return sc.Err()
}
