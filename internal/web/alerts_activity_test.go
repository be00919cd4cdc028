package web

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

var svgRE = regexp.MustCompile(`(?s)<svg .*?</svg>`)

func TestMonitorActivityPage(t *testing.T) {
	h := newHarness(t)
	m := h.acmeMonitor()
	// Quiet traffic in the hours before the burst, then the burst that raises alerts.
	var quiet []string
	for i := range 6 {
		quiet = append(quiet, "q"+string(rune('a'+i)))
	}
	posts := crisisPosts("act", now)
	for i, id := range quiet {
		p := testPost(id, "bluesky", "Acme opens a new shop in town, lovely", now.Add(-time.Duration(i+2)*time.Hour), "en")
		posts = append(posts, p)
	}
	h.ingestBurst(posts)
	alert := h.onlyAlert()
	b := h.loggedIn(auth.Viewer)

	tests := []struct {
		path      string
		wantTicks string
	}{
		{"/monitors/" + m.ID + "/activity", ":00"},
		{"/monitors/" + m.ID + "/activity?period=7d", "-"},
		{"/monitors/" + m.ID + "/activity?period=nonsense", ":00"}, // the default period
	}
	for _, tt := range tests {
		r := b.get(tt.path)
		if r.status != 200 {
			t.Fatalf("GET %s: %d", tt.path, r.status)
		}
		svgs := svgRE.FindAllString(r.body, -1)
		if len(svgs) != 2 {
			t.Fatalf("GET %s: %d charts, want volume and negative share", tt.path, len(svgs))
		}
		for i, svg := range svgs {
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Errorf("GET %s: chart %d is not well-formed: %v", tt.path, i, err)
			}
			if !strings.Contains(svg, `href="/alerts/`+alert.ID+`"`) {
				t.Errorf("GET %s: chart %d has no marker for alert %s", tt.path, i, alert.ID)
			}
		}
		if !strings.Contains(svgs[0], `class="bar"`) || !strings.Contains(svgs[1], `class="line"`) {
			t.Errorf("GET %s: charts without bars or line", tt.path)
		}
		if !strings.Contains(r.body, "Matched posts") || !strings.Contains(r.body, tt.wantTicks) {
			t.Errorf("GET %s: page lacks its labels", tt.path)
		}
	}
	if r := b.get("/monitors/" + m.ID); !strings.Contains(r.body, `href="/monitors/`+m.ID+`/activity"`) {
		t.Error("the monitor page does not link to its activity")
	}
}

func TestShareChartBreaksOnEmptyBuckets(t *testing.T) {
	h := newHarness(t)
	since := now
	period := activityPeriods()[0]
	rows := make([]activityRow, 24)
	for i := range rows {
		rows[i].Start = since.Add(time.Duration(i) * time.Hour)
	}
	rows[0].Posts, rows[0].Negative = 4, 1
	rows[1].Posts, rows[1].Negative = 2, 2
	rows[5].Posts, rows[5].Negative = 10, 0
	c := h.web.shareChart("share", rows, since, period, []chartMark{{Opened: since.Add(12 * time.Hour), ID: "a1"}})
	if len(c.Line) != 2 || len(c.Line[0].Dots) != 2 || len(c.Line[1].Dots) != 1 {
		t.Fatalf("segments %+v, want a line of two points and a lone point", c.Line)
	}
	if y := c.Line[0].Dots[1].Y; y != chartTop {
		t.Errorf("a share of 100%% is drawn at y %v, want the top %v", y, chartTop)
	}
	if y := c.Line[1].Dots[0].Y; y != c.Bottom {
		t.Errorf("a share of 0%% is drawn at y %v, want the axis %v", y, c.Bottom)
	}
	if x := c.Marks[0].X; x != chartLeft+(chartW-chartRight-chartLeft)/2 {
		t.Errorf("a marker at mid-period is drawn at x %v", x)
	}
	v := h.web.volumeChart("en", "volume", rows, since, period, nil)
	if len(v.Bars) != 3 || v.YMax != "10" || v.Bars[2].Y != chartTop {
		t.Errorf("volume chart %+v", v)
	}
}
