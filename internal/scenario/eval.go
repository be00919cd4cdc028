package scenario

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/detect/pipeline"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

// Result is how detection did on one scenario.
type Result struct {
	Scenario string
	Crisis   bool
	Posts    int
	Detected bool
	// TimeToDetect is from the onset to the first alert event on the target monitor that names a
	// crisis post or is a volume or negative spike.
	TimeToDetect time.Duration
	FirstKind    string
	// FalseAlerts counts new alerts that are not about the crisis: every alert on normal traffic, and
	// in a crisis scenario the ones before the onset or on other monitors.
	FalseAlerts int
	// FalseAfterWarmup leaves out the first week of the stream, while baselines are still learning.
	FalseAfterWarmup int
	MonitorWeeks     float64 // monitors × weeks after warm-up, the denominator of the false-alert rate
	// FirstWeekMonitorWeeks is monitors × the part of the first week that counts, the denominator of
	// the first-week false-alert rate (FalseAlerts − FalseAfterWarmup): a new monitor's first week.
	FirstWeekMonitorWeeks float64
	// The hourly baseline's figures on the same posts: detected, time to detect, false alerts after
	// the first week.
	BaselineDetected bool
	BaselineTTD      time.Duration
	BaselineFalse    int
	Events           []alert.Event
	Note             string
}

// Run feeds a scenario through the same pipeline as `crisisdesk replay` (JSONL decoding included) and
// scores the alerts against its labels.
func Run(ctx context.Context, s *Scenario, an pipeline.Annotator, dcfg detect.Config, acfg alert.Config, logger *slog.Logger) (Result, error) {
	var ms []query.Monitor
	for _, m := range s.Monitors {
		q, err := query.Parse(m.Query)
		if err != nil {
			return Result{}, fmt.Errorf("scenario %s: monitor %s: %w", s.Name, m.ID, err)
		}
		ms = append(ms, query.Monitor{ID: m.ID, Query: q})
	}
	matcher, err := query.Compile(ms)
	if err != nil {
		return Result{}, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	sim := clock.NewSim(time.Time{})
	det, err := detect.New(dcfg, sim, logger, nil)
	if err != nil {
		return Result{}, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	am, err := alert.New(acfg, sim, logger, nil)
	if err != nil {
		return Result{}, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	var buf bytes.Buffer
	if err := s.WriteJSONL(&buf); err != nil {
		return Result{}, err
	}
	res := Result{Scenario: s.Name, Crisis: s.Crisis, Posts: len(s.Posts), Note: s.Note}
	var badLines []string
	_, err = pipeline.Replay(ctx, &buf, sim, pipeline.New(an, matcher, det, am),
		func(e alert.Event) error { res.Events = append(res.Events, e); return nil },
		func(ie *post.InputError) { badLines = append(badLines, ie.Error()) })
	if err != nil {
		return Result{}, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	if len(badLines) > 0 {
		return Result{}, fmt.Errorf("scenario %s: generated posts did not decode: %s", s.Name, badLines[0])
	}
	score(s, &res)
	scoreBaseline(s, hourlyBaseline(s, an, matcher), &res)
	return res, nil
}

func score(s *Scenario, res *Result) {
	warmEnd := s.Start.Add(7 * 24 * time.Hour)
	countEnd := s.End
	if s.Crisis {
		countEnd = s.Onset
	}
	if weeks := countEnd.Sub(warmEnd).Hours() / (7 * 24); weeks > 0 {
		res.MonitorWeeks = weeks * float64(len(s.Monitors))
	}
	firstEnd := warmEnd
	if countEnd.Before(warmEnd) {
		firstEnd = countEnd
	}
	if first := firstEnd.Sub(s.Start).Hours() / (7 * 24); first > 0 {
		res.FirstWeekMonitorWeeks = first * float64(len(s.Monitors))
	}
	for _, e := range res.Events {
		about := s.Crisis && e.Monitor == s.Target && !e.At.Before(s.Onset) &&
			(e.Kind == detect.VolumeSpike || e.Kind == detect.NegativeSpike || slices.ContainsFunc(e.PostIDs, func(id string) bool { return s.CrisisPosts[id] }))
		if about && !res.Detected {
			res.Detected, res.TimeToDetect, res.FirstKind = true, e.At.Sub(s.Onset), e.Kind
		}
		if e.Status != alert.Firing || about || s.Crisis && !e.At.Before(s.Onset) {
			// After the onset, alerts on the crisis monitor that name no crisis post are neither
			// detections nor counted as false: the traffic is no longer normal.
			continue
		}
		res.FalseAlerts++
		if !e.At.Before(warmEnd) {
			res.FalseAfterWarmup++
		}
	}
}

// Row is the results of one scenario over several runs (seeds).
type Row struct {
	Scenario string
	Runs     []Result
}

// Table writes the results as a Markdown table with a summary under it. A crisis's time to detect is
// the median over its runs, with the range; the overall median is over every run of every crisis in
// the group.
func Table(w io.Writer, title string, rows []Row) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", title)
	b.WriteString("| scenario | runs | posts per run | detected | median time to detect | range | first alert | false alerts (all / after week 1) | hourly baseline: detected, median time to detect, false alerts after week 1 |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---|---:|---|\n")
	var all, allBase []time.Duration
	missed, crisisRuns, baseMissed := 0, 0, 0
	falseAfter, monitorWeeks, baseFalse := 0, 0.0, 0
	falseFirst, firstWeeks := 0, 0.0
	for _, row := range rows {
		var ttds, baseTTDs []time.Duration
		kinds := map[string]int{}
		rowBaseFalse := 0
		detected, posts, falseAll, falseWarm := 0, 0, 0, 0
		crisis := false
		note := ""
		for _, r := range row.Runs {
			posts += r.Posts
			falseAll += r.FalseAlerts
			falseWarm += r.FalseAfterWarmup
			monitorWeeks += r.MonitorWeeks
			falseFirst += r.FalseAlerts - r.FalseAfterWarmup
			firstWeeks += r.FirstWeekMonitorWeeks
			rowBaseFalse += r.BaselineFalse
			if r.Note != "" && !r.Crisis {
				note = " (" + r.Note + ")"
			}
			if !r.Crisis {
				continue
			}
			crisis = true
			crisisRuns++
			if r.BaselineDetected {
				baseTTDs = append(baseTTDs, r.BaselineTTD)
			} else {
				baseMissed++
			}
			if r.Detected {
				detected++
				ttds = append(ttds, r.TimeToDetect)
				kinds[r.FirstKind]++
			} else {
				missed++
			}
		}
		falseAfter += falseWarm
		baseFalse += rowBaseFalse
		all = append(all, ttds...)
		allBase = append(allBase, baseTTDs...)
		base := fmt.Sprintf("%d", rowBaseFalse)
		if crisis {
			bmed := "-"
			if len(baseTTDs) > 0 {
				bmed = median(baseTTDs).Round(time.Second).String()
			}
			base = fmt.Sprintf("%d/%d, %s, %d", len(baseTTDs), len(row.Runs), bmed, rowBaseFalse)
		}
		det, med, rng := "-", "-", "-"
		if crisis {
			det = fmt.Sprintf("%d/%d", detected, len(row.Runs))
			if detected < len(row.Runs) {
				det = "**" + det + "**"
			}
			if len(ttds) > 0 {
				med = median(ttds).Round(time.Second).String()
				sort.Slice(ttds, func(i, j int) bool { return ttds[i] < ttds[j] })
				rng = ttds[0].Round(time.Second).String() + " – " + ttds[len(ttds)-1].Round(time.Second).String()
			}
		}
		fmt.Fprintf(&b, "| %s%s | %d | %d | %s | %s | %s | %s | %d / %d | %s |\n", row.Scenario, note, len(row.Runs),
			posts/max(len(row.Runs), 1), det, med, rng, topKinds(kinds), falseAll, falseWarm, base)
	}
	med := "-"
	if len(all) > 0 {
		med = median(all).Round(time.Second).String()
	}
	fmt.Fprintf(&b, "\nCrisis runs: %d, detected: %d, missed: %d. Median time to detect: %s.\n", crisisRuns, crisisRuns-missed, missed, med)
	if monitorWeeks > 0 {
		fmt.Fprintf(&b, "False alerts after the first week: %d over %.1f monitor-weeks of normal traffic = %.2f per monitor-week.\n",
			falseAfter, monitorWeeks, float64(falseAfter)/monitorWeeks)
	}
	if firstWeeks > 0 {
		fmt.Fprintf(&b, "False alerts in a new monitor's first week: %d over %.1f monitor-weeks = %.2f per monitor-week.\n",
			falseFirst, firstWeeks, float64(falseFirst)/firstWeeks)
	}
	bmed := "-"
	if len(allBase) > 0 {
		bmed = median(allBase).Round(time.Second).String()
	}
	fmt.Fprintf(&b, "Hourly baseline on the same posts: detected %d, missed %d, median time to detect %s", crisisRuns-baseMissed, baseMissed, bmed)
	if monitorWeeks > 0 {
		fmt.Fprintf(&b, ", %.2f false alerts per monitor-week", float64(baseFalse)/monitorWeeks)
	}
	b.WriteString(".\n")
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func topKinds(kinds map[string]int) string {
	var out []string
	for k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if kinds[out[i]] != kinds[out[j]] {
			return kinds[out[i]] > kinds[out[j]]
		}
		return out[i] < out[j]
	})
	for i, k := range out {
		out[i] = fmt.Sprintf("%s ×%d", k, kinds[k])
	}
	return strings.Join(out, ", ")
}
