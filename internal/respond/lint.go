package respond

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Lang is the language of a draft, which picks the word lists and the language of the findings.
type Lang string

// Languages the linter knows.
const (
	LangNL Lang = "nl"
	LangEN Lang = "en"
)

// ParseLang checks a language code.
func ParseLang(s string) (Lang, error) {
	switch Lang(s) {
	case LangNL, LangEN:
		return Lang(s), nil
	}
	return "", fmt.Errorf("respond: unknown language %q: want nl or en", s)
}

// Form is the Dutch form of address a plan chooses.
type Form string

// Forms of address. FormAny means the plan does not choose, and only mixing the two is a finding.
const (
	FormAny Form = ""
	FormU   Form = "u"
	FormJij Form = "jij"
)

// ParseForm checks a form of address; "" is FormAny.
func ParseForm(s string) (Form, error) {
	switch Form(s) {
	case FormAny, FormU, FormJij:
		return Form(s), nil
	}
	return "", fmt.Errorf("respond: unknown form of address %q: want u or jij", s)
}

// Severity is how much a finding matters. An error blocks publication; a warning asks for a second look.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rule names, as findings report them.
const (
	RuleOverpromise   = "overpromise"
	RuleDefensive     = "defensive"
	RuleBlameShifting = "blame_shifting"
	RuleEmotional     = "emotional"
	RuleNoEmpathy     = "no_empathy"
	RuleNoNextStep    = "no_next_step"
	RuleSpeculation   = "speculation"
	RuleForbiddenWord = "forbidden_word"
	RuleJargon        = "jargon"
	RuleFormality     = "formality"
	RuleTooLong       = "too_long"
)

// RuleNames lists every rule in a fixed order.
func RuleNames() []string {
	return []string{RuleOverpromise, RuleDefensive, RuleBlameShifting, RuleEmotional, RuleNoEmpathy, RuleNoNextStep,
		RuleSpeculation, RuleForbiddenWord, RuleJargon, RuleFormality, RuleTooLong}
}

var severities = map[string]Severity{
	RuleOverpromise: SeverityError, RuleDefensive: SeverityWarning, RuleBlameShifting: SeverityError,
	RuleEmotional: SeverityWarning, RuleNoEmpathy: SeverityError, RuleNoNextStep: SeverityWarning,
	RuleSpeculation: SeverityWarning, RuleForbiddenWord: SeverityError, RuleJargon: SeverityWarning,
	RuleFormality: SeverityWarning, RuleTooLong: SeverityError,
}

// Term is a word or phrase from the plan's conduct rules, with what to say instead (optional).
type Term struct {
	Word    string `yaml:"word" json:"word"`
	Instead string `yaml:"instead,omitempty" json:"instead,omitempty"`
}

// Rules are the plan's conduct rules that the linter applies on top of its built-in do's and don'ts.
type Rules struct {
	Forbidden []Term `yaml:"forbidden" json:"forbidden"`
	Jargon    []Term `yaml:"jargon" json:"jargon"`
	// Form is the Dutch form of address the plan chooses.
	Form Form `yaml:"form" json:"form"`
	// Acronyms are words in capitals that are names, not shouting (ANWB, COVID).
	Acronyms []string `yaml:"acronyms" json:"acronyms"`
}

// Options describe one draft.
type Options struct {
	Platform Platform // "" or an unknown platform: no length limit
	Lang     Lang     // the draft's language; "" is English
	Form     Form     // overrides Rules.Form when set
	// Preventable: the incident is classified as preventable (SCCT), so the statement must apologise.
	Preventable bool
}

// Finding is one problem in a draft. Start and End are a byte span [Start, End) of the draft, on UTF-8
// boundaries.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion"`
}

// Result is what the linter says about a draft. OK is false when there is an error finding.
type Result struct {
	OK       bool      `json:"ok"`
	Length   Length    `json:"length"`
	Findings []Finding `json:"findings"`
}

// Linter checks drafts against the do's and don'ts. It is safe for concurrent use.
type Linter struct {
	langs     map[Lang]*compiled
	forbidden *phraseSet
	jargon    *phraseSet
	terms     map[string]Term // by "forbidden:"/"jargon:" + pattern, for the suggestion
	form      Form
	acronyms  map[string]bool
}

type compiled struct {
	overpromise, defensive, blame, emotional, speculation, uncertain, empathy, apology, nextStep *phraseSet
	cues                                                                                         *cueSets
}

// NewLinter compiles the built-in word lists and the plan's rules.
func NewLinter(r Rules) (*Linter, error) {
	l := &Linter{langs: make(map[Lang]*compiled), terms: make(map[string]Term), form: r.Form, acronyms: make(map[string]bool)}
	for lang, lx := range map[Lang]lexicon{LangNL: lexiconNL, LangEN: lexiconEN} {
		c := &compiled{}
		for _, p := range []struct {
			dst  **phraseSet
			list []string
		}{
			{&c.overpromise, lx.overpromise}, {&c.defensive, lx.defensive}, {&c.blame, lx.blame},
			{&c.emotional, lx.emotional}, {&c.speculation, lx.speculation}, {&c.uncertain, lx.uncertain},
			{&c.empathy, lx.empathy}, {&c.apology, lx.apology}, {&c.nextStep, lx.nextStep},
		} {
			set, err := compilePhrases(p.list)
			if err != nil {
				return nil, fmt.Errorf("respond: %s word list: %w", lang, err)
			}
			*p.dst = set
		}
		cues, err := compileCues(lx.cues, lang == LangNL)
		if err != nil {
			return nil, fmt.Errorf("respond: %s word list: %w", lang, err)
		}
		c.cues = cues
		l.langs[lang] = c
	}
	var err error
	if l.forbidden, err = compileTerms(r.Forbidden, "forbidden:", l.terms); err != nil {
		return nil, fmt.Errorf("respond: plan's forbidden words: %w", err)
	}
	if l.jargon, err = compileTerms(r.Jargon, "jargon:", l.terms); err != nil {
		return nil, fmt.Errorf("respond: plan's jargon: %w", err)
	}
	if _, err := ParseForm(string(r.Form)); err != nil {
		return nil, err
	}
	for _, a := range r.Acronyms {
		l.acronyms[text.Fold(a)] = true
	}
	return l, nil
}

func compileTerms(ts []Term, prefix string, into map[string]Term) (*phraseSet, error) {
	words := make([]string, len(ts))
	for k, t := range ts {
		words[k] = t.Word
		into[prefix+t.Word] = t
	}
	return compilePhrases(words)
}

// draft is one draft being linted: its tokens (without hashtag parts) and the sentence of each.
type draft struct {
	s        string
	toks     []text.Token
	sentence []int
}

func newDraft(s string) *draft {
	var tz text.Tokenizer
	all := tz.Tokenize(make([]text.Token, 0, len(s)/4+8), s)
	d := &draft{s: s, toks: all[:0]}
	for _, tk := range all {
		if !tk.Flags.Has(text.Part) {
			tk.Norm = linterNorm(tk)
			d.toks = append(d.toks, tk)
		}
	}
	d.sentence = make([]int, len(d.toks))
	n := 0
	for k, tk := range d.toks {
		if k > 0 && strings.ContainsRune(s[d.toks[k-1].End:tk.Start], '\n') {
			n++
		}
		d.sentence[k] = n
		if tk.Kind == text.Punct && strings.ContainsAny(tk.Text, ".!?;") {
			n++
		}
	}
	return d
}

// Lint checks draft and returns its findings in text order.
func (l *Linter) Lint(s string, o Options) Result {
	lang := o.Lang
	if lang != LangNL {
		lang = LangEN
	}
	c := l.langs[lang]
	msgs := messagesFor(lang)
	d := newDraft(s)
	var fs []Finding
	add := func(rule, key string, start, end int, args ...any) {
		m := msgs.lint[key]
		var sugArgs []any
		if strings.Contains(m.Suggestion, "%") && len(args) > 1 {
			sugArgs, args = args[1:], args[:1]
		}
		fs = append(fs, Finding{Rule: rule, Severity: severities[rule], Start: start, End: end,
			Message: sprintf(m.Message, args...), Suggestion: sprintf(m.Suggestion, sugArgs...)})
	}
	quoted := func(m match) string { return s[m.start:m.end] }
	// Words between double quotes are someone else's ("not our fault", a customer wrote), not the
	// statement's own, so the rules about its voice skip them.
	quotes := quotedRanges(s)

	overs := c.overpromise.find(d)
	for _, m := range overs {
		if negated(d, m.tok) || inRanges(quotes, m) {
			continue // "we cannot guarantee", "wij kunnen nog niet garanderen" is the honest opposite
		}
		add(RuleOverpromise, RuleOverpromise, m.start, m.end, quoted(m))
	}
	for _, m := range mergeMatches(c.defensive.find(d), defensiveCues(d, c.cues)) {
		if !inRanges(quotes, m) {
			add(RuleDefensive, RuleDefensive, m.start, m.end, quoted(m))
		}
	}
	for _, m := range mergeMatches(c.blame.find(d), mergeMatches(blameCues(d, c.cues), readerBlame(d, c.cues))) {
		if !inRanges(quotes, m) {
			add(RuleBlameShifting, RuleBlameShifting, m.start, m.end, quoted(m))
		}
	}
	sarcasm := c.emotional.find(d)
	l.emotional(d, c, sarcasm, quotes, func(key string, a, b int) { add(RuleEmotional, key, a, b, s[a:b]) })

	uncertain := make(map[int]bool)
	for _, m := range c.uncertain.find(d) {
		uncertain[d.sentence[m.tok]] = true
	}
	for _, m := range c.speculation.find(d) {
		// "We do not know the cause yet; it may be …" is honest uncertainty, not speculation, when the
		// frame is in the same sentence or next to it.
		sn := d.sentence[m.tok]
		if uncertain[sn] || uncertain[sn-1] || uncertain[sn+1] || inRanges(quotes, m) || opinionAboutPeople(d, c.cues, m) {
			continue
		}
		add(RuleSpeculation, RuleSpeculation, m.start, m.end, quoted(m))
	}

	for _, m := range l.forbidden.find(d) {
		if t := l.terms["forbidden:"+m.pattern]; t.Instead != "" {
			add(RuleForbiddenWord, "forbidden_word.instead", m.start, m.end, quoted(m), t.Instead)
		} else {
			add(RuleForbiddenWord, RuleForbiddenWord, m.start, m.end, quoted(m))
		}
	}
	for _, m := range l.jargon.find(d) {
		if t := l.terms["jargon:"+m.pattern]; t.Instead != "" {
			add(RuleJargon, "jargon.instead", m.start, m.end, quoted(m), t.Instead)
		} else {
			add(RuleJargon, RuleJargon, m.start, m.end, quoted(m))
		}
	}

	if lang == LangNL {
		form := o.Form
		if form == FormAny {
			form = l.form
		}
		formality(d, form, func(key string, a, b int) { add(RuleFormality, key, a, b, s[a:b]) })
	}

	whole0, whole1 := trimmedSpan(s)
	if whole1 > whole0 {
		if !hasEmpathy(d, c, overs, sarcasm) {
			add(RuleNoEmpathy, RuleNoEmpathy, whole0, whole1)
		}
		if o.Preventable && len(c.apology.find(d)) == 0 {
			add(RuleNoEmpathy, "no_empathy.apology", whole0, whole1)
		}
		if !hasNextStep(d, c, sarcasm) {
			add(RuleNoNextStep, RuleNoNextStep, whole0, whole1)
		}
	}

	var counter Counter
	length := counter.Count(o.Platform, s)
	if length.Over() {
		cut := counter.fit(o.Platform, s, length.Limit)
		m := msgs.lint[RuleTooLong]
		fs = append(fs, Finding{Rule: RuleTooLong, Severity: SeverityError, Start: cut, End: len(s),
			Message:    fmt.Sprintf(m.Message, length.Used-length.Limit, msgs.units[length.Unit], length.Limit),
			Suggestion: m.Suggestion})
	}

	sort.SliceStable(fs, func(a, b int) bool { return fs[a].Start < fs[b].Start })
	ok := true
	for _, f := range fs {
		if f.Severity == SeverityError {
			ok = false
		}
	}
	if fs == nil {
		fs = []Finding{}
	}
	return Result{OK: ok, Length: length, Findings: fs}
}

// negators are the words that turn a promise into its honest opposite when they come just before it.
var negators = map[string]bool{"not": true, "cannot": true, "niet": true, "geen": true, "never": true}

// negated reports whether one of the three words before token k, in the same sentence, is a negator.
func negated(d *draft, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if d.sentence[j] != d.sentence[k] {
			return false
		}
		if negators[d.toks[j].Norm] {
			return true
		}
	}
	return false
}

func trimmedSpan(s string) (int, int) {
	a, b := 0, len(s)
	for a < b {
		r, sz := utf8.DecodeRuneInString(s[a:])
		if !isSpaceRune(r) {
			break
		}
		a += sz
	}
	for b > a {
		r, sz := utf8.DecodeLastRuneInString(s[:b])
		if !isSpaceRune(r) {
			break
		}
		b -= sz
	}
	return a, b
}

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
}

// emotional reports shouting (a run of capitals of six letters or more, not a known acronym), repeated
// ! and ?, and angry or sarcastic words and emoji.
func (l *Linter) emotional(d *draft, c *compiled, words []match, quotes [][2]int, add func(key string, a, b int)) {
	var found []match
	for k := 0; k < len(d.toks); k++ {
		tk := d.toks[k]
		if tk.Kind == text.Punct && tk.Flags.Has(text.Elongated) {
			found = append(found, match{start: tk.Start, end: tk.End, tok: k, last: k, pattern: "!"})
			continue
		}
		if !isShout(tk) || l.acronyms[tk.Norm] {
			continue
		}
		e, letters := k, utf8.RuneCountInString(tk.Text)
		for e+1 < len(d.toks) {
			next := d.toks[e+1]
			if isShout(next) && !l.acronyms[next.Norm] {
				e++
				letters += utf8.RuneCountInString(next.Text)
				continue
			}
			if next.Kind == text.Punct && !strings.ContainsAny(next.Text, ".!?") && e+2 < len(d.toks) && isShout(d.toks[e+2]) {
				e++
				continue
			}
			break
		}
		// A short word in capitals is shouting when it is one that people stress (NOT, NOOIT), not a name.
		if e > k || letters >= 6 || c.cues.emphasis[tk.Norm] {
			found = append(found, match{start: tk.Start, end: d.toks[e].End, tok: k, last: e, pattern: "CAPS"})
		}
		k = e
	}
	found = append(found, words...)
	sort.Slice(found, func(a, b int) bool { return found[a].start < found[b].start })
	last := -1
	for _, m := range found {
		if m.start < last || inRanges(quotes, m) {
			continue
		}
		last = m.end
		switch m.pattern {
		case "!":
			add("emotional.punct", m.start, m.end)
		case "CAPS":
			add("emotional.caps", m.start, m.end)
		default:
			add("emotional.word", m.start, m.end)
		}
	}
}

func isShout(tk text.Token) bool {
	return (tk.Kind == text.Word || tk.Kind == text.Hashtag) && tk.Flags.Has(text.AllCaps)
}

// hasEmpathy: an acknowledgement that is not itself part of a sarcastic phrase ("sorry not sorry",
// "bedankt hoor") or of a brush-off ("maak je geen zorgen", "nothing to worry about"), and that is not
// followed by sarcasm in its sentence ("Sorry you missed your flight, I guess").
func hasEmpathy(d *draft, c *compiled, overs, sarcastic []match) bool {
	for _, m := range c.empathy.find(d) {
		inside := false
		for _, e := range sarcastic {
			if (m.start >= e.start && m.end <= e.end) || (e.start >= m.end && d.sentence[e.tok] == d.sentence[m.tok]) {
				inside = true
				break
			}
		}
		for _, e := range overs {
			if m.start >= e.start && m.end <= e.end {
				inside = true
				break
			}
		}
		if !inside {
			return true
		}
	}
	return false
}

// hasNextStep: a next step in words, or a link, e-mail address, phone number or time to come back to.
func hasNextStep(d *draft, c *compiled, sarcastic []match) bool {
	for _, tk := range d.toks {
		if tk.Kind == text.URL {
			return true
		}
	}
	if len(c.nextStep.find(d)) > 0 || nextStepCue(d, c.cues, sarcastic) {
		return true
	}
	for _, f := range ExtractFacts(d.s) {
		switch f.Kind {
		case FactEmail, FactPhone, FactTime, FactURL:
			return true
		}
	}
	return false
}

var (
	uWords   = map[string]bool{"u": true, "uw": true, "u'": true}
	jijWords = map[string]bool{"je": true, "jij": true, "jou": true, "jouw": true, "jullie": true, "je'": true}
)

// formality reports Dutch forms of address that the plan does not choose or, with no choice, the forms
// that are in the minority when a draft mixes u and jij.
func formality(d *draft, form Form, add func(key string, a, b int)) {
	var us, jijs []text.Token
	for _, tk := range d.toks {
		if tk.Kind != text.Word {
			continue
		}
		switch {
		case uWords[tk.Norm]:
			us = append(us, tk)
		case jijWords[tk.Norm]:
			jijs = append(jijs, tk)
		}
	}
	var wrong []text.Token
	key := "formality.mixed"
	switch form {
	case FormU:
		wrong, key = jijs, "formality.u"
	case FormJij:
		wrong, key = us, "formality.jij"
	default:
		if len(us) == 0 || len(jijs) == 0 {
			return
		}
		wrong = jijs
		if len(us) < len(jijs) {
			wrong = us
		}
	}
	for _, tk := range wrong {
		add(key, tk.Start, tk.End)
	}
}

// LintVariant lints a composed variant: the rules on its whole text, and the length on each of its posts,
// so a statement that the platform takes as a thread is not reported as too long. Length in the result is
// that of the longest post.
func (l *Linter) LintVariant(v Variant, o Options) Result {
	o.Platform = ""
	res := l.Lint(v.Text, o)
	res.Length = Length{Limit: v.Platform.Limit(), Unit: rules[v.Platform].unit}
	for _, pl := range v.Lengths {
		if pl.Used > res.Length.Used {
			res.Length = pl
		}
	}
	if res.Length.Over() {
		msgs := messagesFor(o.Lang)
		m := msgs.lint[RuleTooLong]
		res.Findings = append(res.Findings, Finding{Rule: RuleTooLong, Severity: SeverityError, Start: 0, End: len(v.Text),
			Message:    fmt.Sprintf(m.Message, res.Length.Used-res.Length.Limit, msgs.units[res.Length.Unit], res.Length.Limit),
			Suggestion: m.Suggestion})
		res.OK = false
	}
	return res
}
