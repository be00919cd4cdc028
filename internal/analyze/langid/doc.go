// Package langid identifies the language of a short text: a naive Bayes classifier over character
// n-grams (1 to 5) and whole words, trained on the lingua test data (Apache-2.0) by
// internal/analyze/cmd/trainlang and embedded as model.bin.gz.
//
// Only words count: the text is read through internal/text, and URLs, mentions, hashtags, emoji and
// numbers are skipped, because they say nothing about the language a post is written in. Letters keep
// their diacritics here (unlike text.Token.Norm), since ë, ê, å and ß are strong evidence.
//
// A language hint (the post's own lang field) is a prior, not the answer: it adds HintBonus to the
// hinted language's score, which decides close calls on short texts and is overruled by clear evidence.
package langid
