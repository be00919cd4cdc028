package feed

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/prometheus/client_golang/prometheus"
)

// TestMalformedItemsAreCountedAndSkipped serves a feed with items that cannot become posts between good
// ones and checks that each is logged with its reason and counted, and that the good items still arrive.
func TestMalformedItemsAreCountedAndSkipped(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Omroep Oost</title><link>https://www.omroepoost.example/</link><language>nl</language>
<item><title>Storing voorbij</title><link>https://www.omroepoost.example/nieuws/1</link><pubDate>Fri, 20 Nov 2026 09:40:00 +0100</pubDate></item>
<item><pubDate>Fri, 20 Nov 2026 09:41:00 +0100</pubDate></item>
<item><guid>omroepoost-2</guid><description><![CDATA[<p>  </p><img src="x.png"/>]]></description></item>
<item><title>Tweede bericht</title><link>https://www.omroepoost.example/nieuws/3</link><pubDate>Fri, 20 Nov 2026 09:42:00 +0100</pubDate></item>
</channel></rss>`
	pub := &publisher{body: body, contentType: "application/rss+xml"}
	h := newHarness(t, pub)
	m, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(Config{
		URL: h.srv.URL + "/feed", Interval: 10 * time.Minute, Client: h.srv.Client(),
		Clock: clock.NewSim(now), Metrics: m, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []post.Post
	if err := s.Run(ctx, func(_ context.Context, p post.Post) error { got = append(got, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "Storing voorbij" || got[1].Text != "Tweede bericht" {
		t.Errorf("posts %v, want the two good items", ids(got))
	}
	reasons := []string{"has no guid, link, title or text", "has no text"}
	if st := s.Status(); st.Malformed != int64(len(reasons)) {
		t.Errorf("status counts %d malformed, want %d", st.Malformed, len(reasons))
	}
	if n := m.MalformedTotal(s.ID()); n != float64(len(reasons)) {
		t.Errorf("crisisdesk_source_malformed_total = %v, want %d", n, len(reasons))
	}
	var warned []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "skipping malformed event") {
			warned = append(warned, l)
		}
	}
	if len(warned) != len(reasons) {
		t.Fatalf("%d malformed warnings, want %d:\n%s", len(warned), len(reasons), logs.String())
	}
	for i, r := range reasons {
		if !strings.Contains(warned[i], r) {
			t.Errorf("warning %d %q does not give the reason %q", i, warned[i], r)
		}
	}
}
