package langid

import (
	"math"
	"strings"
)

// Decision parameters. They were chosen on the held-out tenth of the training corpus and on hand-written
// short posts in the tests, never on the evaluation sets.
const (
	// MinLetters is the fewest letters (in words, after URLs, mentions, hashtags and emoji are removed)
	// for which a language is given; below it the answer is und.
	MinLetters = 3
	// MinConfidence: a best posterior below this gives und, because the text could be either of two
	// languages.
	MinConfidence = 0.5
	// HintBonus is added, in nats of the tempered score, to the hinted language: odds of e^2.5 ≈ 12 to 1
	// before any evidence.
	HintBonus = 2.5
	// temperature divides the summed log-likelihoods before the softmax. Every letter feeds five
	// overlapping n-grams and a word feature, which are far from independent; without it naive Bayes is
	// sure of everything.
	temperature = 4.0
)

// prior is the log prior per language, in tempered nats. crisisdesk's users work mostly in Dutch and
// English, so a short text that fits Dutch and Afrikaans equally well is Dutch.
var prior = map[string]float64{"nl": 1.5, "en": 1.5, "de": 0.5, "fr": 0.5}

// Undetermined is the code for a text whose language is not given.
const Undetermined = "und"

// Detect returns the ISO 639-1 code of the language of s and the posterior probability of that answer.
// hint is the language the source claims (such as "nl" or "en-US"); it may be empty. For a text in a
// non-Latin script, which the model does not cover, it returns the hint when the hint names a language
// the model does not know, and und otherwise.
func (m *Model) Detect(s, hint string) (string, float64) {
	e := m.pool.Get().(*extractor)
	defer m.pool.Put(e)
	e.extract(s)
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
	best, bestZ := 0, math.Inf(-1)
	for l, code := range m.langs {
		z := sc[l]/temperature + m.prior[l]
		if code == hint {
			z += HintBonus
		}
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

// score adds each language's log-likelihood of feats to out.
func (m *Model) score(feats []feature, out []float64) {
	nl := len(m.langs)
	var qsum [maxLangs]int64
	var unseenN [numClasses]int
	seen := 0
	for _, f := range feats {
		row := m.lookup(f.key)
		if row < 0 {
			unseenN[f.class]++
			continue
		}
		seen++
		p := m.probs[int(row)*nl : int(row)*nl+nl]
		for l, q := range p {
			qsum[l] += int64(q)
		}
	}
	for l := range nl {
		v := float64(seen)*float64(m.floor) + float64(m.step)*float64(qsum[l])
		for c, n := range unseenN {
			v += float64(n) * float64(m.unseen[c*nl+l])
		}
		out[l] += v
	}
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
