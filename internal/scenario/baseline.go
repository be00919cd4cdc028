package scenario

import (
	"time"

	"github.com/crisisdesk/crisisdesk/internal/detect/pipeline"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

// Hourly baseline: what the commercial listening tools do, per the requirement this package measures
// against. Once an hour, each monitor's count for the last hour is compared with its mean hourly count
// over the 12 hours before; twice the mean, and at least hourlyMin posts, is an alert. It runs on the
// same matched posts as the detectors, so the two are compared in the same run.
const (
	hourlyHistory = 12
	hourlyFactor  = 2
	hourlyMin     = 20
)

// baselineAlert is one alert of the hourly baseline.
type baselineAlert struct {
	at      time.Time
	monitor string
	crisis  bool // the hour held at least one crisis post
}

func hourlyBaseline(s *Scenario, an pipeline.Annotator, matcher *query.Matcher) []baselineAlert {
	type counts struct {
		hours  map[int64]int
		crisis map[int64]bool
	}
	per := map[string]*counts{}
	for _, m := range s.Monitors {
		per[m.ID] = &counts{hours: map[int64]int{}, crisis: map[int64]bool{}}
	}
	// The same analyse-and-match step as ingest and the detectors, so both see the same matches.
	stage := ingest.NewStage(an)
	for i := range s.Posts {
		p := &s.Posts[i]
		h := p.CreatedAt.Unix() / 3600
		for _, id := range stage.Run(p, matcher).Monitors {
			per[id].hours[h]++
			if s.CrisisPosts[p.ID] {
				per[id].crisis[h] = true
			}
		}
	}
	var out []baselineAlert
	first, last := hourOfPost(s.Posts, 0), hourOfPost(s.Posts, len(s.Posts)-1)
	for _, m := range s.Monitors {
		c := per[m.ID]
		for h := first + hourlyHistory; h <= last; h++ {
			sum := 0
			for k := h - hourlyHistory; k < h; k++ {
				sum += c.hours[k]
			}
			mean := max(float64(sum)/hourlyHistory, 1)
			if n := c.hours[h]; n >= hourlyMin && float64(n) >= hourlyFactor*mean {
				// The check runs when the hour is complete.
				out = append(out, baselineAlert{at: time.Unix((h+1)*3600, 0).UTC(), monitor: m.ID, crisis: c.crisis[h]})
			}
		}
	}
	return out
}

func hourOfPost(ps []post.Post, i int) int64 {
	if len(ps) == 0 {
		return 0
	}
	return ps[i].CreatedAt.Unix() / 3600
}

// scoreBaseline fills the baseline's figures in res the way score fills the detectors'. The hourly
// check does not repeat an alert for consecutive hours: like an open alert, a run of alerting hours is
// one alert.
func scoreBaseline(s *Scenario, alerts []baselineAlert, res *Result) {
	warmEnd := s.Start.Add(7 * 24 * time.Hour)
	lastAt := map[string]time.Time{}
	for _, a := range alerts {
		repeat := a.at.Sub(lastAt[a.monitor]) <= time.Hour
		lastAt[a.monitor] = a.at
		about := s.Crisis && a.monitor == s.Target && !a.at.Before(s.Onset) && a.crisis
		if about && !res.BaselineDetected {
			res.BaselineDetected, res.BaselineTTD = true, a.at.Sub(s.Onset)
		}
		if repeat || about || s.Crisis && !a.at.Before(s.Onset) {
			continue
		}
		if !a.at.Before(warmEnd) {
			res.BaselineFalse++
		}
	}
}
