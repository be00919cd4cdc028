package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SituationQuery selects the matched posts an incident room's situation view sums up: those that
// matched any of Monitors and were created in [Since, Until).
type SituationQuery struct {
	Monitors     []string
	Since, Until time.Time
	// Step is the width of the series' buckets, the first starting at Since.
	Step time.Duration
	// Cuts split the window at the times of published statements, so the view can say how the posts
	// ran before and after each one: Segments has one entry more than Cuts, for [Since, Cuts[0]),
	// [Cuts[0], Cuts[1]), … [Cuts[n-1], Until). Cuts must be in order; one outside the window gives an
	// empty segment.
	Cuts []time.Time
	// Top is how many top posts, authors, platforms and languages to return; 0 means
	// DefaultSituationTop, and it is capped at MaxSituationTop.
	Top int
	// Questions is how many of the newest posts with a question mark to return; 0 means
	// DefaultSituationQuestions, capped at MaxSituationQuestions.
	Questions int
}

// Situation bounds: each list a situation returns is short whatever the number of posts behind it,
// and the series has at most MaxSituationBuckets buckets.
const (
	DefaultSituationTop       = 10
	MaxSituationTop           = 50
	DefaultSituationQuestions = 200
	MaxSituationQuestions     = 1000
	MaxSituationBuckets       = 500
	MaxSituationCuts          = 100
	MaxSituationMonitors      = 100
)

// Check reports what is wrong with q, naming the field.
func (q SituationQuery) Check() error {
	switch {
	case !q.Until.After(q.Since):
		return fmt.Errorf("store: situation: until %v is not after since %v", q.Until, q.Since)
	case q.Step <= 0:
		return fmt.Errorf("store: situation: step %v must be positive", q.Step)
	case int64(q.Until.Sub(q.Since)/q.Step) >= MaxSituationBuckets:
		return fmt.Errorf("store: situation: %v in steps of %v is more than %d buckets", q.Until.Sub(q.Since), q.Step, MaxSituationBuckets)
	case len(q.Cuts) > MaxSituationCuts:
		return fmt.Errorf("store: situation: %d cuts, at most %d", len(q.Cuts), MaxSituationCuts)
	case len(q.Monitors) > MaxSituationMonitors:
		return fmt.Errorf("store: situation: %d monitors, at most %d", len(q.Monitors), MaxSituationMonitors)
	}
	for i := 1; i < len(q.Cuts); i++ {
		if q.Cuts[i].Before(q.Cuts[i-1]) {
			return fmt.Errorf("store: situation: cut %d (%v) is before cut %d", i, q.Cuts[i], i-1)
		}
	}
	return nil
}

// TopN is q.Top with its default and cap applied.
func (q SituationQuery) TopN() int { return bounded(q.Top, DefaultSituationTop, MaxSituationTop) }

// QuestionsN is q.Questions with its default and cap applied.
func (q SituationQuery) QuestionsN() int {
	return bounded(q.Questions, DefaultSituationQuestions, MaxSituationQuestions)
}

func bounded(n, def, most int) int {
	switch {
	case n <= 0:
		return def
	case n > most:
		return most
	}
	return n
}

// PostCounts counts posts with their sentiment.
type PostCounts struct {
	Posts    int64
	Negative int64
	Positive int64
}

// KeyCount is how many posts have one value of a field (a platform, a language).
type KeyCount struct {
	Key   string
	Posts int64
}

// AuthorCount is one author of the window: how many posts, and the largest follower count seen.
type AuthorCount struct {
	Platform  string
	Handle    string
	Name      string
	Posts     int64
	Followers int64
}

// Situation is what the matched posts of an incident's window add up to, aggregated in the database.
type Situation struct {
	PostCounts
	// Authors counts the distinct authors (by platform and handle); Reach sums their follower counts,
	// each author once at the largest count seen: how many accounts could have seen the posts.
	Authors int64
	Reach   int64
	// Series has the buckets with posts, in time order.
	Series []ActivityBucket
	// Segments has len(Cuts)+1 entries: see SituationQuery.Cuts.
	Segments []PostCounts
	// Platforms and Langs are the most frequent first, at most Top each.
	Platforms []KeyCount
	Langs     []KeyCount
	// TopPosts are the posts with the most engagement (likes, reposts, replies, quotes), most first;
	// TopAuthors the authors with the most posts, most first (then the most followers).
	TopPosts   []StoredPost
	TopAuthors []AuthorCount
	// Questions are the newest posts whose text has a question mark, newest first.
	Questions []StoredPost
}

// Situations aggregates an incident's matched posts for the incident room (situation.go in each store).
type Situations interface {
	// Situation sums up the posts q selects. Every list it returns is bounded by q, and the work is done
	// in the database, so the answer stays quick however many posts match.
	Situation(ctx context.Context, q SituationQuery) (Situation, error)
}

// SituationCell is the posts of one bucket, segment, platform and language: the stores count those in
// one pass over the window, and AddCell and FinishCells turn the cells into the series, segments and
// counts, so both stores sum up alike.
type SituationCell struct {
	Bucket, Segment int64
	Platform, Lang  string
	PostCounts
}

// AddCell adds c to the totals, the series and the segments of out, and to the platform and language
// counts in platforms and langs. Cells must come in bucket order.
func (q SituationQuery) AddCell(out *Situation, c SituationCell, platforms, langs map[string]int64) error {
	if c.Segment < 0 || c.Segment >= int64(len(out.Segments)) {
		return fmt.Errorf("store: situation: segment %d out of range", c.Segment)
	}
	start := q.Since.Add(time.Duration(c.Bucket) * q.Step).UTC()
	if n := len(out.Series); n > 0 && out.Series[n-1].Start.Equal(start) {
		out.Series[n-1].Posts += c.Posts
		out.Series[n-1].Negative += c.Negative
	} else {
		out.Series = append(out.Series, ActivityBucket{Start: start, Posts: c.Posts, Negative: c.Negative})
	}
	seg := &out.Segments[c.Segment]
	seg.Posts, seg.Negative, seg.Positive = seg.Posts+c.Posts, seg.Negative+c.Negative, seg.Positive+c.Positive
	out.Posts, out.Negative, out.Positive = out.Posts+c.Posts, out.Negative+c.Negative, out.Positive+c.Positive
	platforms[c.Platform] += c.Posts
	langs[c.Lang] += c.Posts
	return nil
}

// TopKeys returns the n keys of counts with the most posts, most first, then by key.
func TopKeys(counts map[string]int64, n int) []KeyCount {
	out := make([]KeyCount, 0, len(counts))
	for k, v := range counts {
		out = append(out, KeyCount{Key: k, Posts: v})
	}
	slices.SortFunc(out, func(a, b KeyCount) int {
		if a.Posts != b.Posts {
			return cmp.Compare(b.Posts, a.Posts)
		}
		return strings.Compare(a.Key, b.Key)
	})
	if len(out) > n {
		out = out[:n]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
