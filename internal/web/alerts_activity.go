package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// activityPeriod is one span the monitor activity page shows, and the width of its buckets.
type activityPeriod struct {
	Value string
	Span  time.Duration
	Step  time.Duration
}

// activityPeriods returns the spans the activity page offers; the first is the default.
func activityPeriods() []activityPeriod {
	return []activityPeriod{
		{Value: "24h", Span: 24 * time.Hour, Step: time.Hour},
		{Value: "7d", Span: 7 * 24 * time.Hour, Step: 6 * time.Hour},
	}
}

// Chart geometry, in SVG user units. The charts scale to the page width; these fix their proportions.
const (
	chartW      = 720.0
	chartH      = 180.0
	chartLeft   = 48.0
	chartRight  = 12.0
	chartTop    = 12.0
	chartBottom = 28.0
)

// chart is one SVG chart, computed in Go and drawn by the template, so every number is placed here and
// every text is escaped there.
type chart struct {
	Title  string
	Bars   []chartBar
	Line   []chartSegment
	YMax   string
	XTicks []chartTick
	Marks  []chartMark
	W, H   float64
	Left   float64
	Bottom float64 // y of the time axis
	Right  float64 // x of the right edge of the plot
}

type chartBar struct {
	X, Y, W, H float64
	Label      string
}

// chartSegment is a run of points with posts; a bucket without posts breaks the line, since a share of
// nothing is not zero.
type chartSegment struct {
	Points string
	Dots   []chartDot
}

type chartDot struct {
	X, Y  float64
	Label string
}

type chartTick struct {
	X     float64
	Label string
}

// chartMark is an alert, at the time it opened, or (Statement) a published statement, at the time it
// went out, linking to Href.
type chartMark struct {
	Opened    time.Time
	X         float64
	ID        string
	Severity  string
	Label     string
	Statement bool
	Href      string
}

type activityRow struct {
	Start    time.Time
	Posts    int64
	Negative int64
	Share    string
}

type activityBody struct {
	Monitor  store.Monitor
	Period   string
	Periods  []string
	Volume   chart
	Negative chart
	Rows     []activityRow
	Alerts   []alertView
	Total    int64
}

// monitorActivity shows a monitor's matched posts and their negative share over the last 24 hours or
// 7 days as SVG drawn on the server, with its alerts marked where they opened.
func (s *Server) monitorActivity(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	m, err := s.deps.Monitors.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.monitorFailed(w, r, v, err)
		return
	}
	periods := activityPeriods()
	period := periods[0]
	for _, p := range periods {
		if p.Value == r.URL.Query().Get("period") {
			period = p
		}
	}
	// Buckets are aligned to whole steps in UTC and the current one is the last, so reloading the page
	// does not shift every bar.
	until := s.deps.Clock.Now().UTC().Truncate(period.Step).Add(period.Step)
	since := until.Add(-period.Span)
	buckets, err := s.deps.Alerts.MonitorActivity(ctx, m.ID, since, until, period.Step)
	if err != nil {
		s.log.Error("monitor activity", "monitor", m.ID, "err", err)
		s.serverError(w, r, v)
		return
	}
	as, err := s.deps.Alerts.Alerts(ctx, store.AlertQuery{Monitor: m.ID, Since: since, Limit: 1000})
	if err != nil {
		s.log.Error("monitor activity: alerts", "monitor", m.ID, "err", err)
		s.serverError(w, r, v)
		return
	}
	at, err := s.alertTexts(ctx, v.lang)
	if err != nil {
		s.log.Error("monitor activity", "monitor", m.ID, "err", err)
		s.serverError(w, r, v)
		return
	}

	n := int(period.Span / period.Step)
	rows := make([]activityRow, n)
	for i := range rows {
		rows[i].Start = since.Add(time.Duration(i) * period.Step)
	}
	body := activityBody{Monitor: m, Period: period.Value}
	for _, p := range periods {
		body.Periods = append(body.Periods, p.Value)
	}
	for _, b := range buckets {
		i := int(b.Start.Sub(since) / period.Step)
		if i >= 0 && i < n {
			rows[i].Posts, rows[i].Negative = b.Posts, b.Negative
			body.Total += b.Posts
		}
	}
	t := func(k string) string { return s.msgs.text(v.lang, k) }
	var marks []chartMark
	for _, a := range as {
		if a.OpenedAt.Before(since) || !a.OpenedAt.Before(until) {
			continue
		}
		av := s.alertView(a, at)
		body.Alerts = append(body.Alerts, av)
		marks = append(marks, chartMark{Opened: a.OpenedAt, ID: a.ID, Severity: a.Severity,
			Label: av.SevLabel + " · " + av.KindLabel + " · " + av.When})
	}
	for i := range rows {
		if rows[i].Posts > 0 {
			rows[i].Share = fmt.Sprintf("%.0f%%", 100*float64(rows[i].Negative)/float64(rows[i].Posts))
		}
	}
	body.Rows = rows
	body.Volume = s.volumeChart(v.lang, t("activity.volume"), rows, since, period, marks)
	body.Negative = s.shareChart(t("activity.negative_share"), rows, since, period, marks)
	s.render(w, r, v, "alerts_activity", s.newPage(r, v, "activity.title", "monitors", body))
}

// frame returns an empty chart with its axes' geometry, time ticks and alert markers placed.
func (s *Server) frame(title string, since time.Time, period activityPeriod, marks []chartMark) chart {
	c := chart{Title: title, W: chartW, H: chartH, Left: chartLeft, Bottom: chartH - chartBottom, Right: chartW - chartRight}
	plotW := c.Right - c.Left
	x := func(t time.Time) float64 { return c.Left + plotW*float64(t.Sub(since))/float64(period.Span) }
	layout := "15:04"
	if period.Span > 24*time.Hour {
		layout = "01-02 15:04"
	}
	for i := 0; i <= 4; i++ {
		tm := since.Add(period.Span * time.Duration(i) / 4)
		c.XTicks = append(c.XTicks, chartTick{X: x(tm), Label: tm.In(s.cfg.Location).Format(layout)})
	}
	for _, m := range marks {
		m.X = x(m.Opened)
		c.Marks = append(c.Marks, m)
	}
	return c
}

func (s *Server) volumeChart(lang, title string, rows []activityRow, since time.Time, period activityPeriod, marks []chartMark) chart {
	c := s.frame(title, since, period, marks)
	var top int64 = 1
	for _, r := range rows {
		top = max(top, r.Posts)
	}
	c.YMax = formatNumber(lang, top)
	plotH := c.Bottom - chartTop
	slot := (c.Right - c.Left) / float64(len(rows))
	for i, r := range rows {
		if r.Posts == 0 {
			continue
		}
		h := plotH * float64(r.Posts) / float64(top)
		c.Bars = append(c.Bars, chartBar{X: c.Left + float64(i)*slot + slot*0.1, Y: c.Bottom - h, W: slot * 0.8, H: h,
			Label: fmt.Sprintf("%s: %d", r.Start.In(s.cfg.Location).Format("2006-01-02 15:04"), r.Posts)})
	}
	return c
}

func (s *Server) shareChart(title string, rows []activityRow, since time.Time, period activityPeriod, marks []chartMark) chart {
	c := s.frame(title, since, period, marks)
	c.YMax = "100%"
	plotH := c.Bottom - chartTop
	slot := (c.Right - c.Left) / float64(len(rows))
	var seg chartSegment
	flush := func() {
		if len(seg.Dots) > 0 {
			c.Line = append(c.Line, seg)
		}
		seg = chartSegment{}
	}
	for i, r := range rows {
		if r.Posts == 0 {
			flush()
			continue
		}
		share := float64(r.Negative) / float64(r.Posts)
		x, y := c.Left+(float64(i)+0.5)*slot, c.Bottom-plotH*share
		if seg.Points != "" {
			seg.Points += " "
		}
		seg.Points += fmt.Sprintf("%.1f,%.1f", x, y)
		seg.Dots = append(seg.Dots, chartDot{X: x, Y: y,
			Label: fmt.Sprintf("%s: %s (%d/%d)", r.Start.In(s.cfg.Location).Format("2006-01-02 15:04"), rows[i].Share, r.Negative, r.Posts)})
	}
	flush()
	return c
}
