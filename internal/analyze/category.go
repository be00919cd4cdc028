package analyze

import (
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Category is one crisis category of the fixed set in the contract.
type Category string

// The crisis categories.
const (
	DataBreach      Category = "data_breach"
	ProductSafety   Category = "product_safety"
	ServiceOutage   Category = "service_outage"
	EmployeeConduct Category = "employee_conduct"
	Discrimination  Category = "discrimination"
	FraudScam       Category = "fraud_scam"
	LegalRegulatory Category = "legal_regulatory"
	Boycott         Category = "boycott"
)

// Categories lists the fixed set in the order annotations list them.
var Categories = []Category{DataBreach, ProductSafety, ServiceOutage, EmployeeConduct,
	Discrimination, FraudScam, LegalRegulatory, Boycott}

// CategoryInfo explains a category to people, in Dutch and English.
type CategoryInfo struct {
	NameNL, NameEN string
	DescNL, DescEN string
}

// CategoryInfos holds the user-facing text of every category, in one place per language pair.
var CategoryInfos = map[Category]CategoryInfo{
	DataBreach: {"Datalek", "Data breach",
		"Berichten over gelekte, gestolen of gehackte gegevens van klanten of systemen.",
		"Posts about leaked, stolen or hacked customer data or systems."},
	ProductSafety: {"Productveiligheid", "Product safety",
		"Berichten over gevaarlijke producten: terugroepacties, vervuild voedsel, brand of letsel.",
		"Posts about unsafe products: recalls, contaminated food, fire or injury."},
	ServiceOutage: {"Storing", "Service outage",
		"Berichten over een dienst, app of website die niet werkt of onbereikbaar is.",
		"Posts about a service, app or website that is down or unreachable."},
	EmployeeConduct: {"Gedrag medewerker", "Employee conduct",
		"Berichten over grensoverschrijdend of ongepast gedrag van medewerkers of bestuurders.",
		"Posts about abusive or inappropriate behaviour of staff or executives."},
	Discrimination: {"Discriminatie", "Discrimination",
		"Berichten over discriminatie, racisme of ongelijke behandeling.",
		"Posts about discrimination, racism or unequal treatment."},
	FraudScam: {"Fraude of oplichting", "Fraud or scam",
		"Berichten over fraude, oplichting, phishing of misbruik van de naam van de organisatie.",
		"Posts about fraud, scams, phishing or impersonation of the organisation."},
	LegalRegulatory: {"Juridisch of toezicht", "Legal or regulatory",
		"Berichten over rechtszaken, aangiftes, boetes of onderzoek door een toezichthouder.",
		"Posts about lawsuits, police reports, fines or a regulator's investigation."},
	Boycott: {"Boycot", "Boycott",
		"Berichten die oproepen om de organisatie te mijden of te boycotten.",
		"Posts that call on people to avoid or boycott the organisation."},
}

// catPattern is one compiled pattern: its words, which of them are prefixes, and the group it
// belongs to (−1 for a veto).
type catPattern struct {
	words   []string
	prefix  []bool
	hashtag bool
	group   int
}

// categoryRules is the compiled phrase matcher. It holds the complaint cue groups first, so cue
// group g is group g of the matcher, then the crisis category rules, and the vetoes; one pass over a
// post's tokens serves both the complaint model and the categories. It is immutable once built.
type categoryRules struct {
	exact  map[string][]int32 // first word → patterns, vetoes included
	prefix map[string][]int32 // first three bytes of a prefix first word → patterns
	pats   []catPattern
	rules  []compiledRule
	groups int
}

type compiledRule struct {
	cat    Category
	cue    bool // a complaint cue group, not a category
	groups []int
}

// categoryScratch is one call's working memory: the first evidence found per group.
type categoryScratch struct {
	hit  []bool
	span []string
}

// newPhraseRules compiles the complaint cues, the category rules and the vetoes into one matcher.
func newPhraseRules(cues, categories []categoryRule, vetoes []string) *categoryRules {
	r := &categoryRules{exact: map[string][]int32{}, prefix: map[string][]int32{}}
	for _, table := range []struct {
		rules []categoryRule
		cue   bool
	}{{cues, true}, {categories, false}} {
		for _, rule := range table.rules {
			cr := compiledRule{cat: rule.cat, cue: table.cue}
			for _, g := range rule.groups {
				id := r.groups
				r.groups++
				cr.groups = append(cr.groups, id)
				for _, p := range g {
					r.add(p, id)
				}
			}
			r.rules = append(r.rules, cr)
		}
	}
	for _, v := range vetoes {
		r.add(v, -1)
	}
	return r
}

func (r *categoryRules) add(pattern string, group int) {
	p := catPattern{group: group}
	if strings.HasPrefix(pattern, "#") {
		p.hashtag = true
		pattern = pattern[1:]
	}
	p.words, p.prefix = patternWords(pattern)
	if len(p.words) == 0 {
		return
	}
	for i := range p.prefix {
		// A prefix shorter than three letters would match far too much, and the index needs three.
		p.prefix[i] = p.prefix[i] && len(p.words[i]) >= 3
	}
	id := int32(len(r.pats))
	r.pats = append(r.pats, p)
	if p.prefix[0] {
		k := p.words[0][:3]
		r.prefix[k] = append(r.prefix[k], id)
	} else {
		r.exact[p.words[0]] = append(r.exact[p.words[0]], id)
	}
}

// patternWords splits a rule or lexicon pattern into the normalised forms the tokenizer gives its
// words, so that "can't log in" matches the tokens can, not, log, in and "e-mailadres" matches e, -,
// mailadres. A word ending in * is a prefix; the flag lands on its last token.
func patternWords(pattern string) (words []string, prefix []bool) {
	var tz text.Tokenizer
	var toks []text.Token
	for _, f := range strings.Fields(pattern) {
		if f == numberWord {
			words, prefix = append(words, f), append(prefix, false)
			continue
		}
		pre := strings.HasSuffix(f, "*") && len(f) > 1
		f = strings.TrimSuffix(f, "*")
		toks = tz.Tokenize(toks[:0], f)
		n := 0
		for _, t := range toks {
			if t.Flags.Has(text.Part) {
				continue
			}
			words = append(words, t.Norm)
			prefix = append(prefix, false)
			n++
		}
		if pre && n > 0 {
			prefix[len(prefix)-1] = true
		}
	}
	return words, prefix
}

// numberWord in a pattern matches any number, in digits or in words ("al 3 dagen", "al drie dagen").
// It may not start a pattern, since patterns are indexed by their first word.
const numberWord = "<n>"

var numberWords = map[string]bool{"een": true, "twee": true, "drie": true, "vier": true, "vijf": true,
	"zes": true, "zeven": true, "acht": true, "negen": true, "tien": true, "paar": true, "a": true,
	"one": true, "two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "few": true, "several": true}

// tokenMatches reports whether a token matches one pattern word.
func tokenMatches(t *text.Token, w string, prefix bool) bool {
	if w == numberWord {
		return t.Kind == text.Number || numberWords[t.Norm]
	}
	return wordMatches(t.Norm, w, prefix)
}

// wordMatches reports whether a token's folded form matches one pattern word.
func wordMatches(norm, w string, prefix bool) bool {
	if prefix {
		return strings.HasPrefix(norm, w)
	}
	return norm == w
}

// matchAt returns how many tokens pattern p spans from toks[0], or 0.
func (r *categoryRules) matchAt(p *catPattern, toks []text.Token) int {
	if p.hashtag && toks[0].Kind != text.Hashtag {
		return 0
	}
	if !wordMatches(toks[0].Norm, p.words[0], p.prefix[0]) {
		return 0
	}
	j := 1
	for k := 1; k < len(p.words); k++ {
		for j < len(toks) && toks[j].Flags.Has(text.Part) {
			j++
		}
		if j >= len(toks) || !tokenMatches(&toks[j], p.words[k], p.prefix[k]) {
			return 0
		}
		j++
	}
	return j
}

// categories returns the categories whose rules the last hits call satisfied and, for each, the
// phrases that show it. A post without categories gets an empty, non-nil list and no evidence.
func (r *categoryRules) categories(sc *categoryScratch) ([]Category, map[Category][]string) {
	hit, span := sc.hit[:r.groups], sc.span[:r.groups]
	var cats []Category
	var ev map[Category][]string
	for _, cr := range r.rules {
		if cr.cue {
			continue
		}
		ok := true
		for _, g := range cr.groups {
			ok = ok && hit[g]
		}
		if !ok {
			continue
		}
		if ev == nil {
			ev = map[Category][]string{}
		}
		if _, seen := ev[cr.cat]; !seen {
			cats = append(cats, cr.cat)
		}
		for _, g := range cr.groups {
			ev[cr.cat] = appendUnique(ev[cr.cat], span[g])
		}
	}
	if cats == nil {
		return []Category{}, nil
	}
	sortCategories(cats)
	return cats, ev
}

// hits marks in sc every group that matches somewhere in toks and reports whether any did.
// s is the text toks came from; evidence is cut from it, so it costs no allocation.
func (r *categoryRules) hits(s string, toks []text.Token, sc *categoryScratch) bool {
	if cap(sc.hit) < r.groups {
		sc.hit = make([]bool, r.groups)
		sc.span = make([]string, r.groups)
	}
	hit, span := sc.hit[:r.groups], sc.span[:r.groups]
	clear(hit)
	clear(span)
	found := false
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.Kind != text.Word && t.Kind != text.Hashtag && t.Kind != text.Number {
			continue
		}
		exact := r.exact[t.Norm]
		var prefix []int32
		if len(t.Norm) >= 3 {
			prefix = r.prefix[t.Norm[:3]]
		}
		// A veto consumes its words first, so "life hack" never reaches the rule for "hack".
		if n := max(r.longestVeto(exact, toks[i:]), r.longestVeto(prefix, toks[i:])); n > 0 {
			i += n - 1
			continue
		}
		found = r.hitAll(s, exact, toks[i:], hit, span) || found
		found = r.hitAll(s, prefix, toks[i:], hit, span) || found
	}
	return found
}

// longestVeto returns the longest veto among the patterns ids that matches at toks[0], in tokens,
// or 0.
func (r *categoryRules) longestVeto(ids []int32, toks []text.Token) int {
	best := 0
	for _, id := range ids {
		if p := &r.pats[id]; p.group < 0 {
			best = max(best, r.matchAt(p, toks))
		}
	}
	return best
}

// hitAll marks the group of every pattern among ids that matches at toks[0], keeping the first
// evidence per group.
func (r *categoryRules) hitAll(s string, ids []int32, toks []text.Token, hit []bool, span []string) bool {
	found := false
	for _, id := range ids {
		p := &r.pats[id]
		if p.group < 0 {
			continue
		}
		n := r.matchAt(p, toks)
		if n == 0 {
			continue
		}
		found = true
		if !hit[p.group] {
			hit[p.group] = true
			span[p.group] = spanText(s, toks[:n])
		}
	}
	return found
}

// spanText is the original text of a match, from its first token to its last, as written.
func spanText(s string, toks []text.Token) string {
	start, end := toks[0].Start, toks[len(toks)-1].End
	if start < 0 || end > len(s) || start > end {
		return toks[0].Text
	}
	return s[start:end]
}

func appendUnique(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}

func sortCategories(cs []Category) {
	rank := func(c Category) int {
		for i, k := range Categories {
			if k == c {
				return i
			}
		}
		return len(Categories)
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && rank(cs[j]) < rank(cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}
