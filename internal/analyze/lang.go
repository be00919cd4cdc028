package analyze

import (
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/analyze/langid"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// LangUndetermined is the code DetectLanguage gives when a text is too short or too unclear.
const LangUndetermined = langid.Undetermined

// DetectLanguage returns the ISO 639-1 code of the language of s (one of af, da, de, en, es, fr, it, nl,
// pt, sv, or und) and the probability of that answer. hint is the post's own lang field, possibly empty;
// it tilts close calls towards the hinted language but clear evidence overrules it. URLs, mentions,
// hashtags, emoji and numbers are ignored. A text with fewer than three letters in words, or whose best
// language has a probability under one half, is und. A text in another script, or in a Latin-script
// language far from all ten, is und too, unless the hint names a language outside the ten: then the
// hint is returned with confidence 0.5, since nothing here can check it.
//
// It is safe for concurrent use.
func DetectLanguage(s, hint string) (code string, confidence float64) {
	return languageModel().Detect(s, hint)
}

// DetectLanguageTokens is DetectLanguage for a text already split by text.Tokenizer: the same answer,
// without tokenizing twice.
func DetectLanguageTokens(toks []text.Token, hint string) (code string, confidence float64) {
	return languageModel().DetectTokens(toks, hint)
}

func languageModel() *langid.Model {
	m, err := langid.Default()
	if err != nil {
		// The model is embedded at build time and loaded by every test run; failing here means a broken
		// build, not bad input.
		panic(fmt.Sprintf("analyze: embedded language model: %v", err))
	}
	return m
}
