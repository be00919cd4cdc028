// Package analyze owns what crisisdesk reads from the text of one post: its language, its sentiment,
// whether it is a complaint, and which crisis categories it touches, together with the evidence for
// each, as an Annotation.
//
// Everything here is a pure function of the post, so any number of workers can run it. The models are
// small and explainable on purpose: lexicons (VADER for English, Pattern-nl and a hand-written social
// media lexicon for Dutch) with rules for negation, intensity, contrast and sarcasm, a logistic layer
// over those lexicon features whose weights are fitted by one reproducible command, and phrase rules
// for the crisis categories that favour precision over recall. The eval files score all of it against
// the public data in ../shared/data next to baselines computed in the same run.
package analyze
