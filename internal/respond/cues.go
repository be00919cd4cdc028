package respond

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// The patterns in this file look at how words stand together, where a fixed phrase cannot: a cause
// followed by the party it is put on ("caused by customers not restarting…", "komt door reizigers die…"),
// criticism and what the statement calls it in one sentence ("these reports are irresponsible"), a
// conditional regret ("als iemand zich daardoor gekwetst voelt"), and the many ways a statement says what
// happens next (a deadline, a future tense, an instruction to the reader, work in progress). Their words
// live in lexicon.go (cueLexicon).

// cueSets is a cueLexicon compiled for matching.
type cueSets struct {
	dutch                                                                                   bool
	blameCause, blameOrg, blamePeople, readerModal, criticism, dismissal                    *phraseSet
	timeUnit, when, future, futureTime, weAre                                               *phraseSet
	blameGap, gapStop, readerHad, reader, conditional, someone, offence, emphasis           map[string]bool
	opinionOf, copula, imperative, openers, deadline, within, negAfter, pastBefore, stative map[string]bool
	we, clock                                                                               map[string]bool
	orgSuffixes                                                                             []string
}

func compileCues(cl cueLexicon, dutch bool) (*cueSets, error) {
	cs := &cueSets{dutch: dutch}
	for _, p := range []struct {
		name string
		dst  **phraseSet
		list []string
	}{
		{"blameCause", &cs.blameCause, cl.blameCause}, {"blameOrg", &cs.blameOrg, cl.blameOrg},
		{"blamePeople", &cs.blamePeople, cl.blamePeople}, {"readerModal", &cs.readerModal, cl.readerModal},
		{"criticism", &cs.criticism, cl.criticism}, {"dismissal", &cs.dismissal, cl.dismissal},
		{"timeUnit", &cs.timeUnit, cl.timeUnit}, {"when", &cs.when, cl.when}, {"future", &cs.future, cl.future},
		{"futureTime", &cs.futureTime, cl.futureTime}, {"weAre", &cs.weAre, cl.weAre},
	} {
		set, err := compilePhrases(p.list)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		*p.dst = set
	}
	for _, p := range []struct {
		dst  *map[string]bool
		list []string
	}{
		{&cs.blameGap, cl.blameGap}, {&cs.gapStop, cl.gapStop}, {&cs.readerHad, cl.readerHad}, {&cs.reader, cl.reader},
		{&cs.conditional, cl.conditional}, {&cs.someone, cl.someone}, {&cs.offence, cl.offence},
		{&cs.emphasis, cl.emphasis}, {&cs.opinionOf, cl.opinionOf}, {&cs.copula, cl.copula},
		{&cs.imperative, cl.imperative}, {&cs.openers, cl.openers}, {&cs.within, cl.within},
		{&cs.negAfter, cl.negAfter}, {&cs.pastBefore, cl.pastBefore}, {&cs.stative, cl.stative},
		{&cs.we, cl.we}, {&cs.clock, cl.clock},
	} {
		*p.dst = make(map[string]bool, len(p.list))
		for _, w := range p.list {
			for _, tk := range text.Tokenize(w) {
				(*p.dst)[linterNorm(tk)] = true
			}
		}
	}
	// Deadline words are matched on their lower-case spelling, not folded: in Dutch "vóór" (before) is a
	// deadline and "voor" (for) is not.
	cs.deadline = make(map[string]bool, len(cl.deadline))
	for _, w := range cl.deadline {
		cs.deadline[strings.ToLower(w)] = true
	}
	if dutch {
		// Dutch writes compounds as one word: betaaldienstverlener, pakketvervoerder.
		for _, w := range cl.blameOrg {
			if utf8.RuneCountInString(w) >= 6 && !strings.Contains(w, " ") {
				cs.orgSuffixes = append(cs.orgSuffixes, text.Fold(w))
			}
		}
	}
	return cs, nil
}

// at returns the last token of the longest phrase of ps that starts at token k.
func (ps *phraseSet) at(d *draft, k int) (int, bool) {
	best := -1
	for _, ph := range ps.byFirst[d.toks[k].Norm] {
		if e, ok := matchAt(d, k, ph.elems); ok && e > best {
			best = e
		}
	}
	for _, ph := range ps.prefix {
		if e, ok := matchAt(d, k, ph.elems); ok && e > best {
			best = e
		}
	}
	return best, best >= 0
}

func (d *draft) sentenceStart(k int) bool { return k == 0 || d.sentence[k-1] != d.sentence[k] }

func (d *draft) sameSentence(a, b int) bool {
	return a >= 0 && b < len(d.toks) && d.sentence[a] == d.sentence[b]
}

func isPunct(tk text.Token) bool { return tk.Kind == text.Punct }

// blameCues finds a cause followed by the party it is put on: an organisation within a few words
// ("caused by a failure at our cloud provider"), or people or an act right after it, with at most
// determiners between ("komt door reizigers die…", "caused by some of our customers").
func blameCues(d *draft, cs *cueSets) []match {
	var out []match
	for k := 0; k < len(d.toks); k++ {
		last, ok := cs.blameCause.at(d, k)
		if !ok && cs.dutch && d.toks[k].Norm == "door" && d.sentenceStart(k) {
			last, ok = k, true // "Door een storing bij …" opens with its cause
		}
		if !ok {
			continue
		}
		onlyGap := true
		for j := last + 1; j <= last+6 && d.sameSentence(last, j); j++ {
			tk := d.toks[j]
			if e, ok := cs.blamePeople.at(d, j); ok && onlyGap {
				out = append(out, match{start: d.toks[k].Start, end: d.toks[e].End, tok: k, last: e})
				break
			}
			if e, ok := cs.blameOrg.at(d, j); ok || cs.orgCompound(tk) {
				if !ok {
					e = j
				}
				for e+1 < len(d.toks) && d.sameSentence(e, e+1) { // "our courier partner"
					n, ok := cs.blameOrg.at(d, e+1)
					if !ok {
						break
					}
					e = n
				}
				out = append(out, match{start: d.toks[k].Start, end: d.toks[e].End, tok: k, last: e})
				break
			}
			if (isPunct(tk) && tk.Text != "-") || cs.gapStop[tk.Norm] {
				break
			}
			if !cs.blameGap[tk.Norm] {
				onlyGap = false
			}
		}
		k = last
	}
	return out
}

func (cs *cueSets) orgCompound(tk text.Token) bool {
	if tk.Kind != text.Word {
		return false
	}
	for _, s := range cs.orgSuffixes {
		if len(tk.Norm) > len(s) && strings.HasSuffix(tk.Norm, s) {
			return true
		}
	}
	return false
}

// readerBlame finds what the reader should have done: "dat had je zelf kunnen zien", "you could have
// checked".
func readerBlame(d *draft, cs *cueSets) []match {
	var out []match
	for k, tk := range d.toks {
		if !cs.readerHad[tk.Norm] {
			continue
		}
		anchored := cs.reader[tk.Norm] ||
			(d.sameSentence(k-1, k) && cs.reader[d.toks[k-1].Norm]) ||
			(d.sameSentence(k, k+1) && cs.reader[d.toks[k+1].Norm])
		if !anchored {
			continue
		}
		reach := 6
		if !cs.dutch {
			reach = 2
		}
		for j := k + 1; j <= k+reach && d.sameSentence(k, j); j++ {
			if isPunct(d.toks[j]) {
				break
			}
			if e, ok := cs.readerModal.at(d, j); ok {
				out = append(out, match{start: tk.Start, end: d.toks[e].End, tok: k, last: e})
				break
			}
		}
	}
	return out
}

// defensiveCues finds criticism called names in the same sentence ("these reports are irresponsible",
// "de kritiek vinden we niet terecht"), and regret made conditional on someone taking offence ("als
// iemand zich daardoor gekwetst voelt", "if anyone felt offended").
func defensiveCues(d *draft, cs *cueSets) []match {
	var out []match
	criticised := map[int]bool{}
	for k := 0; k < len(d.toks); k++ {
		if e, ok := cs.criticism.at(d, k); ok {
			criticised[d.sentence[k]] = true
			k = e
		}
	}
	if len(criticised) > 0 {
		for _, m := range cs.dismissal.find(d) {
			if criticised[d.sentence[m.tok]] {
				out = append(out, m)
			}
		}
	}
	for k, tk := range d.toks {
		if !cs.conditional[tk.Norm] {
			continue
		}
		who := false
		for j := k + 1; j <= k+8 && d.sameSentence(k, j); j++ {
			n := d.toks[j].Norm
			if cs.someone[n] {
				who = true
			} else if who && cs.offence[n] {
				out = append(out, match{start: tk.Start, end: d.toks[j].End, tok: k, last: j})
				break
			}
		}
	}
	return out
}

// opinionAboutPeople reports whether a speculation match opens an opinion about how people react ("we
// think people are reading too much into it"): that is defensive, not a guess at facts.
func opinionAboutPeople(d *draft, cs *cueSets, m match) bool {
	a, b := m.last+1, m.last+2
	return d.sameSentence(m.last, b) && cs.opinionOf[d.toks[a].Norm] && cs.copula[d.toks[b].Norm]
}

// nextStepCue reports a next step that is not a fixed phrase: a deadline ("by Friday", "uiterlijk
// vrijdag 28 november", "within 14 days"), a time still to come ("tomorrow", "deze week"), a future
// tense that is not negated ("we will share", "Everyone … will get a refund"), an instruction to the
// reader ("Take bus 14 instead", "neem je ledenpas mee") or work in progress ("we're reviewing how…").
func nextStepCue(d *draft, cs *cueSets, sarcastic []match) bool {
	for k, tk := range d.toks {
		if tk.Kind != text.Word {
			continue
		}
		if e, ok := cs.future.at(d, k); ok {
			neg := false
			for j := e + 1; j <= e+2 && d.sameSentence(e, j); j++ {
				neg = neg || cs.negAfter[d.toks[j].Norm]
			}
			if !neg {
				return true
			}
		}
		if _, ok := cs.futureTime.at(d, k); ok && !(d.sameSentence(k-1, k) && cs.pastBefore[d.toks[k-1].Norm]) {
			return true
		}
		if cs.deadline[strings.ToLower(tk.Text)] {
			for j := k + 1; j <= k+3 && d.sameSentence(k, j); j++ {
				if _, ok := cs.when.at(d, j); ok {
					return true
				}
				if d.toks[j].Kind == text.Number && j+1 < len(d.toks) {
					if _, ok := cs.when.at(d, j+1); ok {
						return true
					}
				}
			}
		}
		if cs.within[tk.Norm] {
			for j := k + 1; j <= k+4 && d.sameSentence(k, j); j++ {
				if _, ok := cs.timeUnit.at(d, j); ok {
					return true
				}
			}
		}
		// An instruction that is itself a brush-off ("Lees eerst even…") is no next step.
		if cs.imperative[tk.Norm] && !tk.Flags.Has(text.AllCaps) && !inRanges(spans(sarcastic), match{start: tk.Start, end: tk.End}) {
			if d.sentenceStart(k) || (cs.openers[d.toks[k-1].Norm] && (d.sentenceStart(k-1) ||
				d.toks[k-1].Norm == "please" || d.toks[k-1].Norm == "graag")) {
				return true
			}
		}
		if cs.we[tk.Norm] && dutchWork(d, cs, k) {
			return true
		}
		if cs.clock[tk.Norm] && d.sameSentence(k, k+1) && hourAt(d, k+1) {
			return true
		}
		if e, ok := cs.weAre.at(d, k); ok && d.sameSentence(e, e+1) {
			next := d.toks[e+1]
			if next.Kind == text.Word && strings.HasSuffix(next.Norm, "ing") && !cs.stative[next.Norm] {
				return true
			}
		}
	}
	return false
}

// dutchWork reports whether "we"/"wij" at token k stands next to a verb in -en that is work rather than a
// state of mind ("wij sturen het pakket opnieuw", "reserveringen verplaatsen wij"; not "wij begrijpen"),
// and is not negated right after ("doen wij geen mededelingen").
func dutchWork(d *draft, cs *cueSets, k int) bool {
	for _, v := range []int{k - 1, k + 1} {
		if d.sameSentence(min(k, v), max(k, v)) && dutchAux[d.toks[v].Norm] {
			return false // "hebben wij kennisgenomen": done, not to do
		}
	}
	for _, v := range []int{k - 1, k + 1} {
		if !d.sameSentence(min(k, v), max(k, v)) {
			continue
		}
		n := d.toks[v].Norm
		if d.toks[v].Kind != text.Word || len(n) < 4 || !strings.HasSuffix(n, "en") || cs.stative[n] {
			continue
		}
		after := max(k, v) + 1
		if d.sameSentence(k, after) && cs.negAfter[d.toks[after].Norm] {
			continue
		}
		return true
	}
	return false
}

// dutchAux are the auxiliaries of the Dutch perfect and passive.
var dutchAux = map[string]bool{"hebben": true, "heeft": true, "hadden": true, "zijn": true, "waren": true,
	"worden": true, "werden": true}

// hourAt reports whether token k is an hour of the day on its own: a number from 1 to 24 that ends its
// sentence or is followed by am, pm, uur or o'clock ("doors open at 10", "om 9 uur").
func hourAt(d *draft, k int) bool {
	tk := d.toks[k]
	if tk.Kind != text.Number || len(tk.Norm) > 2 {
		return false
	}
	h := 0
	for _, r := range tk.Norm {
		if r < '0' || r > '9' {
			return false
		}
		h = h*10 + int(r-'0')
	}
	if h < 1 || h > 24 {
		return false
	}
	if k+1 == len(d.toks) || !d.sameSentence(k, k+1) {
		return true
	}
	switch next := d.toks[k+1]; next.Norm {
	case "am", "pm", "uur", "o'clock", "a.m", "p.m":
		return true
	default:
		return next.Kind == text.Punct && strings.ContainsAny(next.Text, ".!;")
	}
}

// quotedRanges are the byte ranges of s between double quotes (“…”, „…”, «…», "…"): words quoted from
// someone else are not the statement's own.
func quotedRanges(s string) [][2]int {
	var out [][2]int
	open, closeWith := -1, rune(0)
	for i, r := range s {
		switch {
		case open < 0 && (r == '“' || r == '„' || r == '«' || r == '"'):
			open = i
			switch r {
			case '“', '„':
				closeWith = '”'
			case '«':
				closeWith = '»'
			default:
				closeWith = '"'
			}
		case open >= 0 && (r == closeWith || (closeWith == '”' && r == '“' && s[open:open+len("„")] == "„")):
			out = append(out, [2]int{open, i + utf8.RuneLen(r)})
			open = -1
		case open >= 0 && r == '\n':
			open = -1 // a quote does not run over a line break
		}
	}
	return out
}

func spans(ms []match) [][2]int {
	out := make([][2]int, len(ms))
	for k, m := range ms {
		out[k] = [2]int{m.start, m.end}
	}
	return out
}

func inRanges(rs [][2]int, m match) bool {
	for _, r := range rs {
		if m.start >= r[0] && m.end <= r[1] {
			return true
		}
	}
	return false
}

// mergeMatches returns the matches of a, and those of b that overlap none of a nor an earlier one of b, in
// text order. a comes from the fixed phrases, whose spans are the tighter ones.
func mergeMatches(a, b []match) []match {
	if len(b) == 0 {
		return a
	}
	out := append(make([]match, 0, len(a)+len(b)), a...)
	for _, m := range b {
		free := true
		for _, o := range out {
			if m.start < o.end && o.start < m.end {
				free = false
				break
			}
		}
		if free {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}
