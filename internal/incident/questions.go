package incident

import (
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// QuestionGroup is a set of near-duplicate questions people asked: the same question in nearly the
// same words, so the team answers it once.
type QuestionGroup struct {
	// Posts are the questions of the group, newest first; Posts[0] is the one to show.
	Posts []store.StoredPost
}

// Newest is the newest question of the group.
func (g QuestionGroup) Newest() store.StoredPost { return g.Posts[0] }

// questionSimilarity is the share of words two questions must have in common (Jaccard similarity of
// their word sets) to be the same question. Questions are short, so one different word weighs a lot:
// "when is the app back?" and "when is the app back up?" share 5 of 6 words.
const questionSimilarity = 0.6

// maxQuestionGroups bounds the comparisons: each question is compared with at most this many groups.
const maxQuestionGroups = 500

// GroupQuestions puts questions that are near-duplicates of each other into one group. Words are
// compared as the one tokenizer folds them (case, diacritics, elongation), without mentions, links,
// punctuation and emoji, so replies to different accounts still group. A question joins the group
// whose newest question it is most like, if that is at least questionSimilarity alike. posts must be
// newest first, as Situation returns them; groups come newest first, by their newest question.
func GroupQuestions(posts []store.StoredPost) []QuestionGroup {
	type group struct {
		words map[string]bool // of the group's newest question
		posts []store.StoredPost
	}
	var groups []*group
	var tz text.Tokenizer
	var toks []text.Token
	for _, p := range posts {
		toks = tz.Tokenize(toks[:0], p.Post.Text)
		words := map[string]bool{}
		for _, t := range toks {
			switch t.Kind {
			case text.Word, text.Number, text.Hashtag:
				if !t.Flags.Has(text.Part) {
					words[t.Norm] = true
				}
			}
		}
		best, bestSim := -1, 0.0
		if len(words) > 0 {
			for i, g := range groups {
				if sim := jaccard(words, g.words); sim >= questionSimilarity && sim > bestSim {
					best, bestSim = i, sim
				}
			}
		}
		if best >= 0 {
			groups[best].posts = append(groups[best].posts, p)
			continue
		}
		if len(groups) < maxQuestionGroups {
			groups = append(groups, &group{words: words, posts: []store.StoredPost{p}})
		}
	}
	out := make([]QuestionGroup, len(groups))
	for i, g := range groups {
		out[i] = QuestionGroup{Posts: g.posts}
	}
	// Newest first by the group's newest question; the input order already is, but a caller may pass
	// posts of equal time in any order, and the order must not depend on it.
	slices.SortStableFunc(out, func(a, b QuestionGroup) int {
		return b.Newest().Post.CreatedAt.Compare(a.Newest().Post.CreatedAt)
	})
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for w := range a {
		if b[w] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}
