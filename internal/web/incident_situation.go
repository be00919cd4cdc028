package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SituationStore sums up an incident's matched posts in the database. *sqlite.Store and
// *postgres.Store are ones.
type SituationStore interface {
	Situation(ctx context.Context, q store.SituationQuery) (store.Situation, error)
}

// situationBuckets is about how many buckets the situation charts have, whatever the incident's age:
// the step is the smallest of situationSteps that keeps the charts at or under this many.
const situationBuckets = 96

var situationSteps = []time.Duration{5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
	3 * time.Hour, 6 * time.Hour, 24 * time.Hour}

// situationTop is how many top posts, authors, platforms and languages the room lists; situationQs how
// many of the newest questions it groups, and situationGroups how many groups it shows.
const (
	situationTop    = 5
	situationQs     = 200
	situationGroups = 8
)

// situationStep chooses the bucket width for a window of span.
func situationStep(span time.Duration) time.Duration {
	for _, st := range situationSteps {
		if span/st <= situationBuckets {
			return st
		}
	}
	// Older than 96 days: whole days, as many as keep the charts at the same size.
	days := (span/(24*time.Hour) + situationBuckets - 1) / situationBuckets
	return days * 24 * time.Hour
}

type situationView struct {
	Since, Until time.Time
	NoMonitors   bool
	Posts        int64
	NegShare     string
	Authors      int64
	Reach        int64
	Volume       chart
	Negative     chart
	Phases       []phaseView
	Platforms    []keyView
	Langs        []keyView
	TopPosts     []postView
	TopAuthors   []store.AuthorCount
	Questions    []questionView
	Statements   int
}

// phaseView is the posts between two statements: how a message landed shows as the negative share
// before a statement against the share after it.
type phaseView struct {
	From      time.Time
	Statement string // the statement that opened the phase; "" for the one before the first
	Posts     int64
	Share     string // negative share; "" without posts
	Change    string // against the phase before, in percentage points; "" when either has no posts
	Better    bool   // the negative share fell
	Worse     bool
}

type keyView struct {
	Key   string
	Posts int64
	Share string
}

// questionView is a group of near-duplicate questions, shown by its newest.
type questionView struct {
	First postView
	Count int
}

// statementMark is one published statement: the first time it went out on any channel.
type statementMark struct {
	At        time.Time
	Statement string
	Channels  []string
}

// publishedStatements reads the statements published for an incident from its timeline, oldest first,
// each once at the time of its first channel.
func publishedStatements(tl []store.TimelineEntry) []statementMark {
	var out []statementMark
	for _, e := range tl {
		if e.Kind != incident.EntryStatementPublished {
			continue
		}
		d, err := incident.DetailsOf(e)
		if err != nil {
			continue // shown as it is on the timeline; it cannot be placed on a chart
		}
		if i := slices.IndexFunc(out, func(m statementMark) bool { return m.Statement == d.Statement }); i >= 0 {
			out[i].Channels = append(out[i].Channels, d.Channel)
			continue
		}
		out = append(out, statementMark{At: e.At, Statement: d.Statement, Channels: []string{d.Channel}})
	}
	slices.SortStableFunc(out, func(a, b statementMark) int { return a.At.Compare(b.At) })
	return out
}

// share is part of all as a whole percentage, or "" when all is zero.
func share(part, all int64) string {
	if all == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part)/float64(all))
}

// situation builds the room's situation view: the matched posts of the affected monitors from the
// incident's onset until now, summed up by the database.
func (s *Server) situation(ctx context.Context, b *roomBody, room incident.Room, lang string) (*situationView, error) {
	if s.deps.Situations == nil {
		return nil, nil
	}
	inc := room.Incident
	now := s.deps.Clock.Now().UTC()
	onset := inc.DetectedAt.UTC()
	if onset.IsZero() || onset.After(now) {
		onset = inc.DeclaredAt.UTC()
	}
	step := situationStep(now.Sub(onset))
	since := onset.Truncate(step)
	until := now.Truncate(step).Add(step)
	// The window starts at the bucket the onset falls in, so the view shows, and counts, from there.
	v := &situationView{Since: since, Until: now}
	var monitors []string
	for _, m := range b.Monitors {
		monitors = append(monitors, m.Monitor)
	}
	if len(monitors) == 0 {
		v.NoMonitors = true
		return v, nil
	}
	monitors = monitors[:min(len(monitors), store.MaxSituationMonitors)]

	statements := publishedStatements(room.Timeline)
	var cuts []time.Time
	var inWindow []statementMark
	for _, st := range statements {
		if st.At.Before(since) || !st.At.Before(until) || len(cuts) == store.MaxSituationCuts {
			continue
		}
		cuts = append(cuts, st.At)
		inWindow = append(inWindow, st)
	}
	v.Statements = len(inWindow)
	sit, err := s.situations.get(ctx, s.deps.Situations, s.deps.Clock, store.SituationQuery{Monitors: monitors,
		Since: since, Until: until, Step: step, Cuts: cuts, Top: situationTop, Questions: situationQs})
	if err != nil {
		return nil, fmt.Errorf("web: situation of incident %d: %w", inc.ID, err)
	}
	v.Posts, v.Authors, v.Reach = sit.Posts, sit.Authors, sit.Reach
	v.NegShare = share(sit.Negative, sit.Posts)

	// The charts: the monitor activity charts' drawing, with the linked alerts and the statements marked.
	n := int(until.Sub(since) / step)
	rows := make([]activityRow, n)
	for i := range rows {
		rows[i].Start = since.Add(time.Duration(i) * step)
	}
	for _, bk := range sit.Series {
		if i := int(bk.Start.Sub(since) / step); i >= 0 && i < n {
			rows[i].Posts, rows[i].Negative = bk.Posts, bk.Negative
			rows[i].Share = share(bk.Negative, bk.Posts)
		}
	}
	t := func(k string) string { return s.msgs.text(lang, k) }
	var marks []chartMark
	for _, a := range b.Alerts {
		if a.Opened.IsZero() || a.Opened.Before(since) || !a.Opened.Before(until) {
			continue
		}
		marks = append(marks, chartMark{Opened: a.Opened, ID: a.ID, Severity: a.Severity,
			Label: t("incident.situation_alert") + " · " + a.Summary + " · " + a.Opened.In(s.cfg.Location).Format("2006-01-02 15:04")})
	}
	for _, st := range inWindow {
		marks = append(marks, chartMark{Opened: st.At, Statement: true, Href: fmt.Sprintf("/incidents/%d/statements", inc.ID),
			Label: t("incident.situation_statement") + " " + st.Statement + " · " + strings.Join(st.Channels, ", ") + " · " +
				st.At.In(s.cfg.Location).Format("2006-01-02 15:04")})
	}
	period := activityPeriod{Span: until.Sub(since), Step: step}
	v.Volume = s.volumeChart(lang, t("incident.situation_volume"), rows, since, period, marks)
	v.Negative = s.shareChart(t("incident.situation_negative_share"), rows, since, period, marks)

	for i, seg := range sit.Segments {
		ph := phaseView{From: since, Posts: seg.Posts, Share: share(seg.Negative, seg.Posts)}
		if i > 0 {
			ph.From, ph.Statement = inWindow[i-1].At, inWindow[i-1].Statement
			prev := sit.Segments[i-1]
			if prev.Posts > 0 && seg.Posts > 0 {
				d := 100*float64(seg.Negative)/float64(seg.Posts) - 100*float64(prev.Negative)/float64(prev.Posts)
				ph.Change = fmt.Sprintf("%+.0f", d)
				ph.Better, ph.Worse = d <= -0.5, d >= 0.5
			}
		}
		v.Phases = append(v.Phases, ph)
	}
	for _, k := range sit.Platforms {
		v.Platforms = append(v.Platforms, keyView{Key: k.Key, Posts: k.Posts, Share: share(k.Posts, sit.Posts)})
	}
	for _, k := range sit.Langs {
		v.Langs = append(v.Langs, keyView{Key: k.Key, Posts: k.Posts, Share: share(k.Posts, sit.Posts)})
	}
	v.TopAuthors = sit.TopAuthors
	ms, err := s.deps.Monitors.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: monitors for the situation of incident %d: %w", inc.ID, err)
	}
	v.TopPosts = postViews(sit.TopPosts, ms)
	for _, g := range incident.GroupQuestions(sit.Questions) {
		if len(v.Questions) == situationGroups {
			break
		}
		pv := postViews(g.Posts[:1], ms)
		v.Questions = append(v.Questions, questionView{First: pv[0], Count: len(g.Posts)})
	}
	return v, nil
}
