package analyze

import (
	"fmt"
	"io/fs"
	"math"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// complaintModel decides whether a post is a complaint: a problem with a product or service,
// dissatisfaction, or a demand for action, addressed to or about an organisation. It has two fitted
// layers over the same cue features: one that also reads English words, used for English, and one
// over the cues alone, which carries to Dutch and other languages through the hand-written cues.
type complaintModel struct {
	words    *linearModel // cues + sentiment + English words
	cuesOnly *linearModel // cues + sentiment
}

// complaintColumns maps the complaint features, in complaintFeatureNames order, to a model's columns
// (−1 where the model has no weight for one).
func complaintColumns(m *linearModel) []int32 {
	names := complaintFeatureNames()
	cols := make([]int32, len(names))
	for i, n := range names {
		cols[i] = -1
		if c, ok := m.index[n]; ok {
			cols[i] = c
		}
	}
	return cols
}

// Complaint feature names besides the cue groups, in column order after them.
var complaintExtraNames = []string{"sent_compound", "sent_neg", "sent_pos", "question", "exclaim",
	"mention_start", "mentions", "url", "negated", "length", "caps"}

func complaintFeatureNames() []string {
	names := make([]string, 0, len(complaintCueTable)+len(complaintExtraNames))
	for _, c := range complaintCueTable {
		names = append(names, string(c.cat))
	}
	return append(names, complaintExtraNames...)
}

func newComplaintModel(fsys fs.FS, withWeights bool) (*complaintModel, error) {
	m := &complaintModel{}
	if !withWeights {
		return m, nil
	}
	var err error
	if m.words, err = loadModel(fsys, "lexicon/weights/complaint-en.tsv"); err != nil {
		return nil, err
	}
	if m.cuesOnly, err = loadModel(fsys, "lexicon/weights/complaint-cues.tsv"); err != nil {
		return nil, err
	}
	if m.words.classes != 2 || m.cuesOnly.classes != 2 {
		return nil, fmt.Errorf("analyze: complaint models must have 2 classes")
	}
	return m, nil
}

// complaintThreshold is the probability above which a post counts as a complaint. Fitting folds the
// threshold that is best on its training data into the bias, so the decision is always at one half.
const complaintThreshold = 0.5

// features computes the complaint features of the tokens in sc; the phrase matcher's hits and the
// sentiment features must have been computed for the same tokens.
func (m *complaintModel) features(sc *scratch, f []float32) []float32 {
	f = f[:0]
	for g := range len(complaintCueTable) {
		v := float32(0)
		if sc.cat.hit[g] {
			v = 1
		}
		f = append(f, v)
	}
	s := &sc.sent.f
	var mentions, urls int
	mentionStart := false
	first := true
	for i := range sc.toks {
		switch sc.toks[i].Kind {
		case text.Mention:
			mentions++
			mentionStart = mentionStart || first
		case text.URL:
			urls++
		}
		first = false
	}
	f = append(f, s[fCompound], s[fNeg], s[fPos], s[fQuestion], s[fExclaim], b2f(mentionStart),
		float32(min(mentions, 3))/3, b2f(urls > 0), s[fNegated], s[fLength], s[fCaps])
	return f
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// vector turns features into a model's sparse input, adding the words the model knows.
func complaintVector(dst []feature, f []float32, toks []text.Token, lm *linearModel) []feature {
	for k, v := range f {
		if v != 0 && lm.extra[k] >= 0 {
			dst = append(dst, feature{lm.extra[k], v})
		}
	}
	return appendWordFeatures(dst, toks, lm)
}

// score returns the complaint decision and probability for the tokens in sc, in language lang.
// sentimentOf must have run on the same scratch.
func (a *Analyzer) complaintScore(sc *scratch, lang string) (bool, float64) {
	m := a.complaint
	lm := m.cuesOnly
	if lang == "en" {
		lm = m.words
	}
	sc.cfeat = m.features(sc, sc.cfeat)
	sc.sent.feats = complaintVector(sc.sent.feats[:0], sc.cfeat, sc.toks, lm)
	lm.scores(sc.sent.feats, sc.prob[:2])
	p := sc.prob[1]
	if math.IsNaN(p) {
		p = 0
	}
	return p >= complaintThreshold, p
}
