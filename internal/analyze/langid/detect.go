package langid

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Decision parameters. They were chosen by `trainlang -tune` on the dev tenth of the lingua data and on
// the hand-written short posts of the tests, never on the held-out tenth or on the evaluation sets.
const (
	// MinLetters is the fewest letters (in words, after URLs, mentions, hashtags and emoji are removed)
	// for which a language is given; below it the answer is und.
	MinLetters = 3
	// MinConfidence: a best posterior below this gives und, because the text could be either of two
	// languages.
	MinConfidence = 0.5
	// ForeignMeanLogLik: a text with at least foreignMinFeatures features whose best language explains
	// it with a mean log-likelihood per feature below this is in a language the model does not know
	// (Polish, Turkish, Hungarian, Czech), and gets und instead of a wrong guess. On the dev tenth, 99.5%
	// of sentences and word pairs score above -6.06 and the hand-written short posts above -6.72;
	// posts in those four languages score -8.0 to -9.1. The margin is kept wide on purpose: a Dutch
	// post full of slang must not become und. Closer languages (Finnish, Romanian, Indonesian, about -7.0
	// to -7.4) still get a wrong guess.
	ForeignMeanLogLik  = -7.5
	foreignMinFeatures = 60
)

// Params weigh the evidence. Scores are log-likelihoods in nats: the naive Bayes sum over features plus
// the terms below; the posterior is the softmax of the scores divided by Temperature.
type Params struct {
	// Temperature divides the scores before the softmax. Every letter feeds five overlapping n-grams
	// and a word feature, which are far from independent; without it naive Bayes is sure of everything.
	// It changes the confidence, not which language wins.
	Temperature float64
	// FunctionWord is added to every language whose function-word list holds a word of the text, once
	// per occurrence.
	FunctionWord float64
	// Hint is added to the language the source claims: e^(Hint/Temperature) to one odds before any
	// evidence.
	Hint float64
	// ClassWeight weighs the feature classes: whole words, then n-grams of length 1 to 5.
	ClassWeight [numClasses]float64
	// Prior is the log prior per language. crisisdesk's users work mostly in Dutch and English, so a
	// short text that fits Dutch and Afrikaans equally well is Dutch.
	Prior map[string]float64
}

// DefaultParams returns the shipped parameters; each call returns a fresh copy, so changing it changes
// nothing else.
func DefaultParams() Params {
	return Params{
		Temperature:  8,
		ClassWeight:  [numClasses]float64{1, 0.25, 0.5, 1, 1, 1},
		FunctionWord: 32,
		Hint:         16,
		Prior:        map[string]float64{"nl": 8, "en": 8, "de": 8.0 / 3, "fr": 8.0 / 3},
	}
}

// Undetermined is the code for a text whose language is not given.
const Undetermined = "und"

// Detect returns the ISO 639-1 code of the language of s and the posterior probability of that answer.
// hint is the language the source claims (such as "nl" or "en-US"); it may be empty. For a text in a
// non-Latin script, or one that fits none of the model's languages (see ForeignMeanLogLik), it returns
// the hint when the hint names a language the model does not know, and und otherwise.
func (m *Model) Detect(s, hint string) (string, float64) {
	e := m.pool.Get().(*extractor)
	defer m.pool.Put(e)
	e.extract(s)
	return m.decide(e, hint)
}

// DetectTokens is Detect for a text already split by text.Tokenizer, so a caller that tokenizes anyway
// does not pay for it twice. It gives the same answer as Detect on the text the tokens came from.
func (m *Model) DetectTokens(toks []text.Token, hint string) (string, float64) {
	e := m.pool.Get().(*extractor)
	defer m.pool.Put(e)
	e.extractTokens(toks)
	return m.decide(e, hint)
}

// decide turns the features in e into an answer.
func (m *Model) decide(e *extractor, hint string) (string, float64) {
	hint = baseLang(hint)
	if e.letters < MinLetters {
		return Undetermined, 0
	}
	if e.latin*2 < e.letters {
		if hint != "" && !m.knows(hint) {
			return hint, 0.5
		}
		return Undetermined, 0
	}
	var scores [maxLangs]float64
	sc := scores[:len(m.langs)]
	m.score(e.feats, sc)
	if n := len(e.feats); n >= foreignMinFeatures && slices.Max(sc)/float64(n) < ForeignMeanLogLik {
		if hint != "" && !m.knows(hint) {
			return hint, 0.5
		}
		return Undetermined, 0
	}
	for i, n := range e.fwHits {
		if l := m.fwLane[i]; n > 0 && l >= 0 {
			sc[l] += m.params.FunctionWord * float64(n)
		}
	}
	best, bestZ := 0, math.Inf(-1)
	for l, code := range m.langs {
		z := sc[l] + m.prior[l]
		if code == hint {
			z += m.params.Hint
		}
		z /= m.params.Temperature
		sc[l] = z
		if z > bestZ {
			best, bestZ = l, z
		}
	}
	var sum float64
	for _, z := range sc {
		sum += math.Exp(z - bestZ)
	}
	conf := 1 / sum
	if conf < MinConfidence {
		return Undetermined, conf
	}
	return m.langs[best], conf
}

func (m *Model) knows(code string) bool {
	for _, l := range m.langs {
		if l == code {
			return true
		}
	}
	return false
}

// score adds each language's log-likelihood of feats to out, weighing each feature class by
// Params.ClassWeight. The quantised log-probabilities are summed as integers per class and turned into
// nats once per text. A row is read as two 64-bit words whose bytes are spread into 16-bit lanes, so one
// feature costs a table probe and four additions whatever the number of languages; the lanes are
// emptied into 32-bit sums before they can overflow.
func (m *Model) score(feats []feature, out []float64) {
	nl := len(m.langs)
	var qsum [numClasses][maxLangs]int32
	var lanes [numClasses][4]uint64
	var unseenN, seen, pending [numClasses]int32
	for _, f := range feats {
		row := m.lookup(f.key)
		if row < 0 {
			unseenN[f.class]++
			continue
		}
		c := f.class
		seen[c]++
		off := int(row) * rowStride
		x0 := binary.LittleEndian.Uint64(m.probs[off : off+8])
		x1 := binary.LittleEndian.Uint64(m.probs[off+8 : off+16])
		acc := &lanes[c]
		acc[0] += x0 & evenBytes
		acc[1] += (x0 >> 8) & evenBytes
		acc[2] += x1 & evenBytes
		acc[3] += (x1 >> 8) & evenBytes
		// 257 additions of 255 overflow a 16-bit lane.
		if pending[c]++; pending[c] == 256 {
			flushLanes(&lanes[c], &qsum[c])
			pending[c] = 0
		}
	}
	w := &m.params.ClassWeight
	for c := range numClasses {
		if seen[c] == 0 && unseenN[c] == 0 {
			continue
		}
		flushLanes(&lanes[c], &qsum[c])
		for l := range nl {
			v := float64(seen[c])*float64(m.floor) + float64(m.step)*float64(qsum[c][l]) +
				float64(unseenN[c])*float64(m.unseen[c*nl+l])
			out[l] += w[c] * v
		}
	}
}

const evenBytes = 0x00FF00FF00FF00FF

// flushLanes adds the 16-bit lanes of acc to sum and clears them. acc[0] holds the even bytes of a row's
// first word (languages 0, 2, 4, 6), acc[1] its odd bytes (1, 3, 5, 7), acc[2] and acc[3] the same for
// the second word (8 to 15).
func flushLanes(acc *[4]uint64, sum *[maxLangs]int32) {
	for k := range 4 {
		sh := 16 * k
		sum[2*k] += int32(acc[0] >> sh & 0xFFFF)
		sum[2*k+1] += int32(acc[1] >> sh & 0xFFFF)
		sum[8+2*k] += int32(acc[2] >> sh & 0xFFFF)
		sum[8+2*k+1] += int32(acc[3] >> sh & 0xFFFF)
	}
	*acc = [4]uint64{}
}

// baseLang reduces a BCP 47 tag to its lowercase primary subtag: "nl-BE" → "nl", "EN_us" → "en".
func baseLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	lower := true
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
			lower = false
		default:
			return ""
		}
	}
	if !lower {
		return strings.ToLower(tag)
	}
	return tag
}
