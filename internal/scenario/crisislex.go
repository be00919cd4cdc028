package scenario

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// CrisisLexMonitor is the monitor a replayed CrisisLexT26 curve is watched by.
const CrisisLexMonitor = "crisislex"

// OnsetRule defines the onset of a replayed real curve: the first collected tweet from which at least
// Count tweets follow within Span. The collection is keyword-based and sparse before an event (a few
// tweets an hour), so this marks the start of the collected burst from the data alone, without
// reading the detector's output. A looser rule puts the onset earlier, on the slope before the steep
// part, and so gives longer times to detect.
//
// Rise, when above zero, also asks that those tweets be at least Rise times as many as in the Span
// before the onset tweet (counting at least one there): the onset is then a change from the event's own
// level, not merely the first time the collection reaches Count per Span. On a curve that has been at
// 10–20 tweets an hour for a day, reaching 30 in an hour is no change a detector can be asked to see.
type OnsetRule struct {
	Count int
	Span  time.Duration
	Rise  float64
}

// DefaultOnset is the rule docs/DETECTION.md reports first: 30 tweets within the hour.
var DefaultOnset = OnsetRule{Count: 30, Span: time.Hour}

func (r OnsetRule) String() string {
	s := fmt.Sprintf("%d tweets within %v", r.Count, r.Span)
	if r.Rise > 0 {
		s += fmt.Sprintf(", at least %g× the %v before", r.Rise, r.Span)
	}
	return s
}

const crisisLexLayout = "Mon Jan 02 15:04:05 -0700 2006"

// ParseCrisisLex reads a CrisisLexT26 `*-tweetids_entire_period.csv` file: a header line, then
// `"Timestamp","Tweet-ID",Included` rows. It returns the timestamps in time order. A malformed row is
// an error naming its line, since a curve with holes would give a wrong onset.
func ParseCrisisLex(r io.Reader) ([]time.Time, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	var ts []time.Time
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if n == 1 && strings.HasPrefix(line, "Timestamp") {
			continue
		}
		fields := strings.Split(line, ",")
		if len(fields) != 3 {
			return nil, fmt.Errorf("crisislex: line %d: want 3 fields, got %d", n, len(fields))
		}
		stamp, err := strconv.Unquote(strings.TrimSpace(fields[0]))
		if err != nil {
			return nil, fmt.Errorf("crisislex: line %d: timestamp %q is not a quoted string", n, fields[0])
		}
		t, err := time.Parse(crisisLexLayout, stamp)
		if err != nil {
			return nil, fmt.Errorf("crisislex: line %d: timestamp: %w", n, err)
		}
		id, err := strconv.Unquote(strings.TrimSpace(fields[1]))
		if err != nil || id == "" || strings.Trim(id, "0123456789") != "" {
			return nil, fmt.Errorf("crisislex: line %d: tweet id %q is not a quoted number", n, fields[1])
		}
		if inc := strings.TrimSpace(fields[2]); inc != "Y" && inc != "N" {
			return nil, fmt.Errorf("crisislex: line %d: included %q: want Y or N", n, inc)
		}
		ts = append(ts, t.UTC())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("crisislex: read line %d: %w", n+1, err)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts, nil
}

// CrisisLexOnset applies the onset rule to sorted timestamps; ok is false when no burst qualifies.
func CrisisLexOnset(ts []time.Time, rule OnsetRule) (onset time.Time, ok bool) {
	j, b := 0, 0 // ts[i:j] lies within the span from ts[i]; ts[b:i] within the span before it
	for i := range ts {
		if j < i {
			j = i
		}
		for j < len(ts) && ts[j].Sub(ts[i]) < rule.Span {
			j++
		}
		for ts[i].Sub(ts[b]) > rule.Span {
			b++
		}
		if j-i < rule.Count {
			continue
		}
		if rule.Rise > 0 && float64(j-i) < rule.Rise*float64(max(i-b, 1)) {
			continue
		}
		return ts[i], true
	}
	return time.Time{}, false
}

// LoadCrisisLex builds one scenario per event found under dataDir/crisislex-t26: every collected tweet
// becomes a post at its real time, from its first tweet until after past the onset. Tweet text is not
// in the files, so posts carry a neutral text that names the event; only the volume curve is real.
// It returns ErrNoData when the folder is missing.
func LoadCrisisLex(ctx context.Context, dataDir string, rule OnsetRule, after time.Duration) ([]*Scenario, error) {
	files, err := filepath.Glob(filepath.Join(dataDir, "crisislex-t26", "*", "*-tweetids_entire_period.csv"))
	if err != nil {
		return nil, fmt.Errorf("crisislex: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("crisislex: %s: %w", filepath.Join(dataDir, "crisislex-t26"), ErrNoData)
	}
	sort.Strings(files)
	var out []*Scenario
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("crisislex: %w", err)
		}
		s, err := loadCrisisLexFile(f, rule, after)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ErrNoData says the public data set is not where it was looked for.
var ErrNoData = errors.New("evaluation data not found")

func loadCrisisLexFile(path string, rule OnsetRule, after time.Duration) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("crisislex: %w", err)
	}
	defer f.Close()
	ts, err := ParseCrisisLex(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	name := strings.TrimSuffix(filepath.Base(path), "-tweetids_entire_period.csv")
	s := &Scenario{Name: "crisislex/" + name, Crisis: true, Target: CrisisLexMonitor, CrisisPosts: map[string]bool{},
		Monitors: []Monitor{{ID: CrisisLexMonitor, Query: "crisislex"}},
		Note:     "onset: the first tweet followed by " + rule.String()}
	onset, ok := CrisisLexOnset(ts, rule)
	if !ok {
		s.Note = "no burst of " + rule.String() + ": not scored"
		s.Crisis = false
	}
	s.Onset = onset
	end := onset.Add(after)
	event := strings.ReplaceAll(name[5:], "_", " ")
	r := rand.New(rand.NewPCG(uint64(len(ts)), 26))
	for i, t := range ts {
		if ok && !t.Before(end) {
			break
		}
		id := "cl-" + strconv.Itoa(i)
		p := post.Post{ID: id, Platform: "x", CreatedAt: t, Lang: "en",
			Text:   eventTalk.say(r, event),
			Author: post.Author{ID: "cl-author-" + strconv.Itoa(i%5000), Followers: 300}}
		s.Posts = append(s.Posts, p)
		if ok && !t.Before(onset) {
			s.CrisisPosts[id] = true
		}
	}
	if len(ts) > 0 {
		s.Start = ts[0]
		s.End = ts[len(ts)-1].Add(time.Second)
		if ok && end.Before(s.End) {
			s.End = end
		}
	}
	return s, nil
}
