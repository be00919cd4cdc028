package analyze

import (
	"fmt"
	"io/fs"
	"math"
	"strings"
	"sync"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Annotation is what analysis says about one post. Its JSON form is the output line of
// `crisisdesk analyze`; Evidence is an extra field that lets the UI show why.
type Annotation struct {
	ID             string    `json:"id"`
	Lang           string    `json:"lang"`
	LangConfidence float64   `json:"lang_confidence"`
	Sentiment      Sentiment `json:"sentiment"`
	Complaint      bool      `json:"complaint"`
	ComplaintScore float64   `json:"complaint_score"`
	// Categories is never nil, so it encodes as [] when empty, as the contract says.
	Categories []Category `json:"categories"`
	// Evidence maps each category found to the words or phrases of the post that triggered it.
	Evidence map[Category][]string `json:"evidence,omitempty"`
}

// Analyzer annotates posts. It is immutable after New and safe for concurrent use; the per-call
// buffers come from a pool, so the hot path does not allocate for tokens or features.
type Analyzer struct {
	sentiment map[string]*sentimentLang // by language; "en" also serves languages without a model
	symbols   map[string]float32        // emoji and emoticons, the same in every language
	complaint *complaintModel
	phrases   *categoryRules // complaint cues and crisis category rules, matched in one pass
	scratch   sync.Pool
}

// scratch is one call's working memory.
type scratch struct {
	tz    text.Tokenizer
	toks  []text.Token
	sent  sentimentScratch
	prob  [3]float64
	cat   categoryScratch
	cfeat []float32
}

// maxKeptTokens bounds the token buffer a pooled scratch keeps, so one huge post does not pin memory.
const maxKeptTokens = 4096

// New builds an Analyzer from the lexicons and fitted weights embedded in the binary.
func New() (*Analyzer, error) {
	return newAnalyzer(lexiconFS, true)
}

// newAnalyzer builds an Analyzer from fsys; withWeights false leaves the logistic layers out, which
// is what fitting starts from.
func newAnalyzer(fsys fs.FS, withWeights bool) (*Analyzer, error) {
	a := &Analyzer{sentiment: map[string]*sentimentLang{}, symbols: map[string]float32{}}
	a.scratch.New = func() any { return &scratch{} }
	en, nl := newLexicon(), newLexicon()
	nl.dutchInflection = true
	open := func(name string) (fs.File, error) { return fsys.Open("lexicon/" + name) }

	f, err := open("vader/vader_lexicon.txt")
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	err = readVADER(f, func(term string, v float32) {
		if isSymbolTerm(term) {
			a.symbols[term] = v
			return
		}
		en.set(term, v, 0)
	})
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if f, err = open("vader/emoji_utf8_lexicon.txt"); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	err = readEmoji(f, func(w string) float32 { return en.words[w].val }, func(e string, v float32) {
		a.symbols[emojiKey(e)] = v
	})
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	for e, v := range emojiValence {
		a.symbols[emojiKey(e)] = v
	}
	if f, err = open("pattern-nl/nl-sentiment.xml"); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	err = readPattern(f, func(w string, v float32) { nl.set(w, v, 0) })
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if f, err = open("nl-social/nl-social.tsv"); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	err = readHandLexicon(f, func(term string, v float32) { nl.set(term, v, 0) })
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analyze: nl-social.tsv: %w", err)
	}
	if f, err = open("en-social/en-social.tsv"); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	err = readHandLexicon(f, func(term string, v float32) { en.set(term, v, 0) })
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("analyze: en-social.tsv: %w", err)
	}
	en.verbOnly, en.verbContext = setOf(verbOnlyEN...), setOf(verbContextEN...)
	addRules(en, negatorsEN, boostersEN, dampersEN, contrastEN, sarcasmEN)
	addRules(nl, negatorsNL, boostersNL, dampersNL, contrastNL, sarcasmNL)
	nl.setRule("niet zo", roleNegator, boostDown)
	nl.setRule("niet echt", roleNegator, boostDown)
	en.setRule("not very", roleNegator, boostDown)
	en.setRule("not really", roleNegator, boostDown)

	a.sentiment["en"] = &sentimentLang{lex: en}
	a.sentiment["nl"] = &sentimentLang{lex: nl}
	if withWeights {
		for _, lang := range []string{"en", "nl"} {
			m, err := loadModel(fsys, "lexicon/weights/sentiment-"+lang+".tsv")
			if err != nil {
				return nil, err
			}
			a.sentiment[lang].model = m
		}
	}
	if a.complaint, err = newComplaintModel(fsys, withWeights); err != nil {
		return nil, err
	}
	a.phrases = newPhraseRules(complaintCueTable, categoryRuleTable, categoryVetoes)
	return a, nil
}

func loadModel(fsys fs.FS, name string) (*linearModel, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	defer f.Close()
	m, err := readLinearModel(f)
	if err != nil {
		return nil, fmt.Errorf("analyze: %s: %w", name, err)
	}
	return m, nil
}

func addRules(l *lexicon, neg, boost, damp, contrast, sarcasm []string) {
	for _, w := range neg {
		l.setRule(w, roleNegator, 0)
	}
	for _, w := range boost {
		l.setRule(w, 0, boostUp)
	}
	for _, w := range damp {
		l.setRule(w, 0, boostDown)
	}
	for _, w := range contrast {
		l.setRule(w, roleContrast, 0)
	}
	for _, w := range sarcasm {
		l.setRule(w, roleSarcasm, 0)
	}
}

// isSymbolTerm reports whether a VADER entry is an emoticon rather than a word: it has no letter, or
// it mixes letters with punctuation (:D, xD stays a word).
func isSymbolTerm(t string) bool {
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '\'' || r == '-' || r == ' ') {
			return true
		}
	}
	return false
}

// emojiKey normalises an emoji the way the tokenizer normalises emoji tokens: without variation
// selectors and skin tones.
func emojiKey(e string) string {
	var b strings.Builder
	for _, r := range e {
		if r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (a *Analyzer) getScratch() *scratch { return a.scratch.Get().(*scratch) }

func (a *Analyzer) putScratch(s *scratch) {
	if cap(s.toks) > maxKeptTokens {
		s.toks = nil
	}
	if cap(s.sent.feats) > maxKeptTokens {
		s.sent.feats = nil
	}
	a.scratch.Put(s)
}

// sentimentFor returns the model for a language; languages without one use English, whose lexicon
// also covers the emoji and the English loanwords that posts in other languages use.
func (a *Analyzer) sentimentFor(lang string) *sentimentLang {
	if sl, ok := a.sentiment[lang]; ok {
		return sl
	}
	if lang == "af" {
		// Short Dutch is often taken for Afrikaans, and Afrikaans sentiment words are Dutch ones.
		return a.sentiment["nl"]
	}
	return a.sentiment["en"]
}

// Sentiment scores one text in language lang (an ISO 639-1 code).
func (a *Analyzer) Sentiment(s, lang string) Sentiment {
	sc := a.getScratch()
	sc.toks = sc.tz.Tokenize(sc.toks[:0], s)
	out := a.sentimentOf(sc, lang)
	a.putScratch(sc)
	return out
}

func (a *Analyzer) sentimentOf(sc *scratch, lang string) Sentiment {
	return a.sentimentWith(sc, a.sentimentFor(lang))
}

// sentimentWith scores the tokens in sc with one language's model.
func (a *Analyzer) sentimentWith(sc *scratch, sl *sentimentLang) Sentiment {
	sl.lexFeatures(sc.toks, a.symbols, &sc.sent)
	if sl.model == nil {
		return compoundSentiment(float64(sc.sent.f[fCompound]))
	}
	sc.sent.feats = sentimentVector(sc.sent.feats[:0], &sc.sent.f, sc.toks, sl.model)
	sl.model.scores(sc.sent.feats, sc.prob[:])
	return decideSentiment(sc.prob, evidenceFree(&sc.sent.f))
}

// polarWithoutEvidence is how sure the logistic layer must be to call a text without any lexicon
// evidence negative or positive; below it such a text is neutral.
const polarWithoutEvidence = 0.6

// decideSentiment turns class probabilities into a label and a score in [-1, 1].
func decideSentiment(prob [3]float64, noEvidence bool) Sentiment {
	best := 0
	for c := 1; c < 3; c++ {
		if prob[c] > prob[best] {
			best = c
		}
	}
	if noEvidence && Polarity(best) != Neutral && prob[best] < polarWithoutEvidence {
		best = int(Neutral)
	}
	return Sentiment{Label: Polarity(best), Score: clamp1(prob[Positive] - prob[Negative])}
}

// compoundSentiment labels a bare lexicon score with VADER's own thresholds; it is what the model
// says before its logistic layer is fitted.
func compoundSentiment(c float64) Sentiment {
	switch {
	case c >= 0.05:
		return Sentiment{Positive, c}
	case c <= -0.05:
		return Sentiment{Negative, c}
	}
	return Sentiment{Neutral, c}
}

// sentimentVector turns lexicon features and the text's words into the model's sparse input. Words
// count only when the model has a weight for them.
func sentimentVector(dst []feature, f *[numSentimentFeatures]float32, toks []text.Token, m *linearModel) []feature {
	for k, v := range f {
		// Sarcasm acts through the compound score only: the handful of sarcastic tweets in the
		// training data is too few to fit a weight of its own, and the fitted sign came out wrong.
		if v != 0 && m.dense[k] >= 0 && k != fSarcasm {
			dst = append(dst, feature{m.dense[k], v})
		}
	}
	if f[fSarcasm] > 0 {
		// A sarcastic post means its words the other way; their weights would read the praise.
		return dst
	}
	return appendWordFeatures(dst, toks, m)
}

// appendWordFeatures adds one feature per distinct known word; a repeated word counts once, so a
// post that repeats a slogan does not outweigh the lexicon.
func appendWordFeatures(dst []feature, toks []text.Token, m *linearModel) []feature {
	if len(m.words) == 0 {
		return dst
	}
	start := len(dst)
	for i := range toks {
		t := &toks[i]
		if t.Kind != text.Word && t.Kind != text.Hashtag && t.Kind != text.Emoji {
			continue
		}
		col, ok := m.words[t.Norm]
		if !ok {
			continue
		}
		dup := false
		for _, f := range dst[start:] {
			if f.idx == col {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, feature{col, 1})
		}
	}
	return dst
}

func clamp1(x float64) float64 { return math.Max(-1, math.Min(1, x)) }

// round2 keeps two decimals for output: more would suggest a precision the models do not have.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Annotate analyses one post. The post's own lang field, when set, is a hint for language detection.
func (a *Analyzer) Annotate(p post.Post) Annotation {
	return a.AnnotateText(p.ID, p.Text, p.Lang)
}

// AnnotateText analyses one text with an optional language hint.
func (a *Analyzer) AnnotateText(id, s, langHint string) Annotation {
	sc := a.getScratch()
	defer a.putScratch(sc)
	sc.toks = sc.tz.Tokenize(sc.toks[:0], s)
	return a.annotate(sc, id, s, langHint)
}

// AnnotateTokens is AnnotateText for a text the caller has already tokenized: toks must be what a
// text.Tokenizer returns for s. It reads toks and does not keep them. Ingestion uses it so that a post
// is tokenized once for analysis and for monitor matching.
func (a *Analyzer) AnnotateTokens(id, s, langHint string, toks []text.Token) Annotation {
	sc := a.getScratch()
	defer a.putScratch(sc)
	own := sc.toks
	sc.toks = toks
	defer func() { sc.toks = own }()
	return a.annotate(sc, id, s, langHint)
}

// annotate analyses s, whose tokens are in sc.toks.
func (a *Analyzer) annotate(sc *scratch, id, s, langHint string) Annotation {
	lang, conf := DetectLanguageTokens(sc.toks, langHint)
	sent := a.sentimentOf(sc, lang)
	a.phrases.hits(s, sc.toks, &sc.cat)
	isComplaint, cscore := a.complaintScore(sc, lang)
	cats, ev := a.phrases.categories(&sc.cat)
	return Annotation{
		ID: id, Lang: lang, LangConfidence: round2(conf),
		Sentiment:      Sentiment{Label: sent.Label, Score: round2(sent.Score)},
		Complaint:      isComplaint,
		ComplaintScore: round2(cscore),
		Categories:     cats,
		Evidence:       ev,
	}
}
