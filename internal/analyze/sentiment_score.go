package analyze

import (
	"math"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// sentimentLang is the sentiment model of one language: its lexicon and the fitted logistic layer.
type sentimentLang struct {
	lex   *lexicon
	model *linearModel
}

// Named lexicon features, in the order of their columns. The fitted weight files refer to them by
// name, so the order may change without refitting.
var sentimentFeatureNames = []string{
	"compound", "pos", "neg", "n_pos", "n_neg", "emoji_pos", "emoji_neg", "negated", "sarcasm",
	"exclaim", "question", "contrast", "caps", "no_sentiment", "length", "pos_after", "neg_after",
	"negators", "max_pos", "max_neg", "density", "url", "mentions", "hashtags", "numbers", "first_person",
	"c_strong_neg", "c_neg", "c_weak_neg", "c_zero", "c_weak_pos",
	"c_pos", "c_strong_pos",
}

const (
	fCompound = iota
	fPos
	fNeg
	fNPos
	fNNeg
	fEmojiPos
	fEmojiNeg
	fNegated
	fSarcasm
	fExclaim
	fQuestion
	fContrast
	fCaps
	fNoSentiment
	fLength
	fPosAfter
	fNegAfter
	fNegators
	fMaxPos
	fMaxNeg
	fDensity
	fURL
	fMentions
	fHashtags
	fNumbers
	fFirstPerson
	// fCompoundBin is the first of the one-hot bins of the compound score, strong negative first.
	fCompoundBin
	numSentimentFeatures = fCompoundBin + len(compoundBins) + 1
)

// compoundBins are the upper edges of the compound score's bins. One-hot bins let the logistic layer
// learn thresholds that differ per class, which a single linear compound weight cannot.
var compoundBins = [...]float32{-0.6, -0.3, -0.05, 0.05, 0.3, 0.6}

// Rule constants from VADER's study of how readers perceive emphasis, and our own for the rest.
const (
	negationFactor   = -0.74 // a negated word keeps about three quarters of its strength, flipped
	capsIncrement    = 0.733 // a shouted word among normal ones
	exclaimIncrement = 0.292 // per exclamation mark, up to four
	contrastBefore   = 0.5   // weight of the clause before maar/but
	contrastAfter    = 1.5   // weight of the clause after it
	negationWindow   = 3     // words after a negator that it reaches
	sarcasmPenalty   = 2.0   // valence a sarcasm marker takes away
	compoundAlpha    = 15    // VADER's normalisation constant: compound = s / sqrt(s² + α)
)

// firstPerson are the Dutch and English first-person words; a text about oneself is more often an
// opinion than a report.
var firstPerson = map[string]bool{"i": true, "me": true, "my": true, "mine": true, "myself": true,
	"ik": true, "me'n": true, "mijn": true, "m'n": true, "mij": true, "mezelf": true, "we": true,
	"wij": true, "ons": true, "onze": true, "our": true, "us": true}

// evidenceFree reports whether the lexicon found nothing to go on: no sentiment word, emoji,
// negator, sarcasm marker or exclamation. The logistic layer's class priors then decide alone, and
// a prior learnt from reviews, where neutral sentences are rare, must not make a plain statement
// negative.
func evidenceFree(f *[numSentimentFeatures]float32) bool {
	return f[fNoSentiment] == 1 && f[fNegators] == 0 && f[fSarcasm] == 0 && f[fExclaim] == 0
}

// sentimentScratch holds the features of one text. It lives in the per-call scratch so scoring does
// not allocate.
type sentimentScratch struct {
	f     [numSentimentFeatures]float32
	feats []feature
}

// lexFeatures computes the lexicon features of toks, which must come from the text tokenizer.
func (sl *sentimentLang) lexFeatures(toks []text.Token, symbols map[string]float32, sc *sentimentScratch) {
	f := &sc.f
	*f = [numSentimentFeatures]float32{}
	var (
		before, after      float64 // summed valence before and after the last contrast word
		posB, negB         float64
		posA, negA         float64
		nPos, nNeg         int
		emojiPos, emojiNeg float64
		negScope           int
		pendingBoost       float64
		boostAge           int
		negated, sarcasm   int
		negators           int
		maxPos, maxNeg     float64
		urls, mentions     int
		hashtags, numbers  int
		first              int
		exclaim, question  int
		contrast           bool
		capsWords, words   int
		skipParts          bool
	)
	allCaps := textIsAllCaps(toks)
	names := !textIsTitleCase(toks)
	add := func(v float64) {
		maxPos, maxNeg = max(maxPos, v), max(maxNeg, -v)
		if v > 0 {
			nPos++
			if contrast {
				posA += v
			} else {
				posB += v
			}
		} else if v < 0 {
			nNeg++
			if contrast {
				negA -= v
			} else {
				negB -= v
			}
		}
		if contrast {
			after += v
		} else {
			before += v
		}
	}
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.Flags.Has(text.Part) && skipParts {
			continue
		}
		switch t.Kind {
		case text.Punct:
			negScope, pendingBoost = 0, 0
			// "/s" closes a sarcastic post: the slash, then a lone s at the end or before more punctuation.
			if t.Text == "/" && i+1 < len(toks) && toks[i+1].Norm == "s" &&
				(i+2 == len(toks) || toks[i+2].Kind != text.Word) {
				sarcasm++
				i++
				continue
			}
			for j := 0; j < len(t.Text); j++ {
				switch t.Text[j] {
				case '!':
					exclaim++
				case '?':
					question++
				}
			}
			continue
		case text.Emoji, text.Emoticon:
			v, ok := symbols[t.Norm]
			if !ok && t.Kind == text.Emoticon {
				v, ok = symbols[strings.ToLower(t.Norm)]
			}
			if !ok {
				continue
			}
			if t.Norm == "🙄" {
				sarcasm++
			}
			if v > 0 {
				emojiPos += float64(v)
			} else {
				emojiNeg -= float64(v)
			}
			add(float64(v))
			continue
		case text.Word, text.Hashtag:
		case text.URL:
			urls++
			continue
		case text.Mention:
			mentions++
			continue
		case text.Number:
			numbers++
			continue
		default:
			continue
		}
		words++
		if t.Kind == text.Hashtag {
			hashtags++
		} else if firstPerson[t.Norm] {
			first++
		}
		if t.Flags.Has(text.AllCaps) {
			capsWords++
		}
		e, ok := sl.lex.lookup(t.Norm)
		if ok && e.val != 0 && e.role == 0 && len(e.phrases) == 0 && names && inName(toks, i) {
			// "Good Friday", "Super Eagles", "American Horror Story": a sentiment word inside a
			// name says nothing about the writer's mood.
			ok = false
		}
		if ok && e.val != 0 && sl.lex.verbOnly[t.Norm] && !afterSubject(sl.lex, toks, i) {
			// "like" is a preposition or a filler far more often than the verb ("looks like rain",
			// "like how"); it carries sentiment only after a subject or an auxiliary.
			ok = false
		}
		if !ok && t.Flags.Has(text.Elongated) {
			e, ok = sl.lex.lookupCollapsed(t.Norm)
		}
		if t.Kind == text.Hashtag {
			if sarcasmHashtags[t.Norm] {
				sarcasm++
				skipParts = true
				continue
			}
			// A hashtag the lexicon knows (#fail) is read whole; otherwise its parts are read.
			skipParts = ok
			if !ok && !(i+1 < len(toks) && toks[i+1].Flags.Has(text.Part)) {
				// A lowercase tag has no parts: look for a sentiment word at its start or end
				// (#happybirthday, #epicfail).
				e, ok = sl.lex.lookupAffix(t.Norm)
			}
		}
		if !ok {
			negScope--
			boostAge++
			continue
		}
		val, role, boost := float64(e.val), e.role, float64(e.boost)
		if len(e.phrases) > 0 {
			if p, n := matchPhrase(e.phrases, toks[i+1:]); n > 0 {
				val, role, boost = float64(p.val), p.role, float64(p.boost)
				i += n
			}
		}
		switch {
		case role&roleNegator != 0:
			negScope = negationWindow
			negators++
			if boost != 0 {
				pendingBoost, boostAge = boost, 0
			}
			continue
		case role&roleContrast != 0:
			contrast = true
			after, before = 0, before+after
			posB, negB = posB+posA, negB+negA
			posA, negA = 0, 0
			negScope, pendingBoost = 0, 0
			continue
		case role&roleSarcasm != 0:
			sarcasm++
			continue
		}
		if boost != 0 && (val == 0 || nextHasValence(sl.lex, toks[i+1:])) {
			pendingBoost, boostAge = boost, 0
			negScope--
			continue
		}
		if val == 0 {
			negScope--
			boostAge++
			continue
		}
		sign := 1.0
		if val < 0 {
			sign = -1
		}
		if t.Flags.Has(text.AllCaps) && !allCaps {
			val += sign * capsIncrement
		}
		if pendingBoost != 0 && boostAge <= 1 {
			val += sign * pendingBoost
			if val*sign < 0 {
				val = 0
			}
		}
		pendingBoost = 0
		if negScope > 0 {
			val *= negationFactor
			negated++
		}
		negScope--
		add(val)
	}
	s := before + after
	if contrast {
		s = contrastBefore*before + contrastAfter*after
		posB, negB = contrastBefore*posB+contrastAfter*posA, contrastBefore*negB+contrastAfter*negA
	} else {
		posB, negB = posB+posA, negB+negA
	}
	if sarcasm > 0 {
		// Sarcasm says the praise was meant the other way: the positive part turns negative.
		if s > 0 {
			s = -s * contrastBefore
		}
		s -= sarcasmPenalty * float64(min(sarcasm, 2))
		posB, negB = 0, negB+posB
	}
	if s != 0 {
		amp := exclaimIncrement * float64(min(exclaim, 4))
		if s > 0 {
			s += amp
		} else {
			s -= amp
		}
	}
	f[fCompound] = float32(s / math.Sqrt(s*s+compoundAlpha))
	f[fPos] = float32(posB / 4)
	f[fNeg] = float32(negB / 4)
	f[fNPos] = float32(min(nPos, 5)) / 5
	f[fNNeg] = float32(min(nNeg, 5)) / 5
	f[fEmojiPos] = float32(min(emojiPos, 8) / 4)
	f[fEmojiNeg] = float32(min(emojiNeg, 8) / 4)
	f[fNegated] = float32(min(negated, 3))
	f[fSarcasm] = float32(min(sarcasm, 2))
	f[fExclaim] = float32(min(exclaim, 4)) / 4
	f[fQuestion] = float32(min(question, 2)) / 2
	if contrast {
		f[fContrast] = 1
		f[fPosAfter] = float32(posA / 4)
		f[fNegAfter] = float32(negA / 4)
	}
	if words > 0 {
		f[fCaps] = float32(capsWords) / float32(words)
	}
	if nPos+nNeg == 0 {
		f[fNoSentiment] = 1
	}
	f[fLength] = float32(math.Log1p(float64(words)) / 4)
	// A negator that reaches no sentiment word still says something: "er is geen menukaart".
	f[fNegators] = float32(min(negators, 3)) / 2
	f[fMaxPos] = float32(maxPos / 4)
	f[fMaxNeg] = float32(maxNeg / 4)
	if words > 0 {
		// How much of the text carries sentiment: news is long and flat, a rant is dense.
		f[fDensity] = float32(nPos+nNeg) / float32(words)
	}
	// Links, numbers and many hashtags mark news and announcements, first-person words opinions.
	f[fURL] = b2f(urls > 0)
	f[fMentions] = float32(min(mentions, 3)) / 3
	f[fHashtags] = float32(min(hashtags, 3)) / 3
	f[fNumbers] = float32(min(numbers, 3)) / 3
	f[fFirstPerson] = float32(min(first, 3)) / 3
	bin := len(compoundBins)
	for b, edge := range compoundBins {
		if f[fCompound] < edge {
			bin = b
			break
		}
	}
	f[fCompoundBin+bin] = 1
}

// matchPhrase returns the first phrase whose remaining words follow in toks, and how many tokens it
// spans beyond the first.
func matchPhrase(ps []lexPhrase, toks []text.Token) (lexPhrase, int) {
outer:
	for _, p := range ps {
		j := 0
		for _, w := range p.rest {
			for j < len(toks) && toks[j].Flags.Has(text.Part) {
				j++
			}
			if j >= len(toks) || toks[j].Norm != w {
				continue outer
			}
			j++
		}
		return p, j
	}
	return lexPhrase{}, 0
}

// nextHasValence reports whether the next word carries sentiment, which decides whether a word such
// as "super" boosts it or stands on its own.
func nextHasValence(l *lexicon, toks []text.Token) bool {
	for i := range toks {
		t := &toks[i]
		if t.Flags.Has(text.Part) {
			continue
		}
		if t.Kind != text.Word && t.Kind != text.Hashtag {
			return false
		}
		e, ok := l.lookup(t.Norm)
		return ok && e.val != 0
	}
	return false
}

// textIsAllCaps reports whether every word is shouted; then caps say nothing about one word.
func textIsAllCaps(toks []text.Token) bool {
	n := 0
	for i := range toks {
		if toks[i].Kind == text.Word {
			if !toks[i].Flags.Has(text.AllCaps) {
				return false
			}
			n++
		}
	}
	return n > 1
}

// lookupAffix finds the longest sentiment word of at least four letters that starts or ends w, for
// hashtags written without word boundaries. Only the valence carries over.
func (l *lexicon) lookupAffix(w string) (lexEntry, bool) {
	const minPart = 4
	if len(w) > 64 {
		return lexEntry{}, false
	}
	// At equal length the end wins: an English compound's head comes last (#epicfail is a fail).
	for n := len(w) - minPart; n >= minPart; n-- {
		if e, ok := l.words[w[len(w)-n:]]; ok && e.val != 0 {
			return lexEntry{val: e.val}, true
		}
		if e, ok := l.words[w[:n]]; ok && e.val != 0 {
			return lexEntry{val: e.val}, true
		}
	}
	return lexEntry{}, false
}

// lookupCollapsed retries an elongated word with its doubled letters made single (goeed → goed),
// since the tokenizer keeps two of a repeated letter.
func (l *lexicon) lookupCollapsed(w string) (lexEntry, bool) {
	var buf [64]byte
	if len(w) > len(buf) {
		return lexEntry{}, false
	}
	b := buf[:0]
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] && w[i] >= 'a' && w[i] <= 'z' {
			continue
		}
		b = append(b, w[i])
	}
	e, ok := l.words[string(b)]
	return e, ok
}

// titleCase reports whether a word token is written with a capital first letter and the rest
// lowercase, as names are.
func titleCase(t *text.Token) bool {
	if t.Kind != text.Word || t.Flags.Has(text.AllCaps) || len(t.Text) < 2 {
		return false
	}
	c := t.Text[0]
	return c >= 'A' && c <= 'Z'
}

// inName reports whether toks[i] is a capitalised word next to another capitalised word and not at
// the start of a sentence: part of a name or title rather than a word used for its meaning.
func inName(toks []text.Token, i int) bool {
	t := &toks[i]
	if !titleCase(t) || t.Flags.Has(text.Part) {
		return false
	}
	prev := -1
	for j := i - 1; j >= 0; j-- {
		if !toks[j].Flags.Has(text.Part) {
			prev = j
			break
		}
	}
	if prev < 0 || toks[prev].Kind == text.Punct && strings.ContainsAny(toks[prev].Text, ".!?:\"") {
		return false
	}
	if toks[prev].Kind == text.Mention || toks[prev].Kind == text.Hashtag || toks[prev].Kind == text.URL {
		return false
	}
	if titleCase(&toks[prev]) {
		return true
	}
	for j := i + 1; j < len(toks); j++ {
		if toks[j].Flags.Has(text.Part) {
			continue
		}
		return titleCase(&toks[j])
	}
	return false
}

// textIsTitleCase reports whether most words are capitalised ("I Love This Song"); then capitals
// do not mark names.
func textIsTitleCase(toks []text.Token) bool {
	title, words := 0, 0
	for i := range toks {
		if toks[i].Kind == text.Word && !toks[i].Flags.Has(text.Part) {
			words++
			if titleCase(&toks[i]) {
				title++
			}
		}
	}
	return words >= 3 && title*5 > words*3
}

// afterSubject reports whether the word before toks[i] is one that a verb follows: a pronoun, an
// auxiliary or an adverb from the lexicon's verb context list.
func afterSubject(l *lexicon, toks []text.Token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].Flags.Has(text.Part) {
			continue
		}
		return toks[j].Kind == text.Word && l.verbContext[toks[j].Norm]
	}
	return false
}
