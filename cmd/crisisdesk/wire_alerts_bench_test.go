package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/web"
)

// Ingest-to-alert load: background posts at benchRate for benchDuration, in batches every benchTick,
// with a trigger post for a fresh monitor in one batch every benchTriggerEvery.
const (
	benchDuration     = 10 * time.Second
	benchTick         = 20 * time.Millisecond
	benchTriggerEvery = 100 * time.Millisecond
)

// BenchmarkIngestToAlert measures the time from the start of the Ingest call that carries a post
// raising an alert to that alert arriving, stored, on a live alert page's event stream: everything
// serve runs on the way (analysis, matching, the SQLite write, detection, the alert manager, the alert
// store, escalation into the outbox, and the SSE handler over loopback HTTP). Each trigger is a
// negative post by the press matching a monitor of its own, so each raises a new alert at once. It runs
// at 10,000 posts/s of background traffic and, as the baseline in the same run, with none.
func BenchmarkIngestToAlert(b *testing.B) {
	for _, rate := range []int{0, 10000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			for range b.N {
				runIngestToAlert(b, rate)
			}
		})
	}
}

func runIngestToAlert(b *testing.B, rate int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := b.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "crisisdesk.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := clock.Real{}
	reg := prometheus.NewRegistry()
	accounts := auth.New(st, clk, auth.Config{Logger: logger})
	if _, err := accounts.CreateUser(ctx, "bench@example.org", "correct horse battery", auth.Viewer); err != nil {
		b.Fatal(err)
	}
	session, _, err := accounts.Login(ctx, "bench@example.org", "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	an, err := analyze.New()
	if err != nil {
		b.Fatal(err)
	}
	matcher := query.NewRegistry()
	monitors := ingest.NewMonitors(st, matcher, clk, logger)
	triggers := int(benchDuration / benchTriggerEvery)
	monitorOf := map[string]int{}
	if _, err := monitors.Create(ctx, "load", "acme", true, 0); err != nil {
		b.Fatal(err)
	}
	for i := range triggers {
		m, err := monitors.Create(ctx, fmt.Sprintf("trigger %d", i), fmt.Sprintf("zqtrigger%d", i), true, 0)
		if err != nil {
			b.Fatal(err)
		}
		monitorOf[m.ID] = i
	}
	alerts, err := newAlerting(ctx, config{Data: dir, BaseURL: "http://crisisdesk.test", Lang: "en"}, st, clk, logger, reg)
	if err != nil {
		b.Fatal(err)
	}
	ing, err := ingest.New(ingest.Config{Filter: ingest.FilterBySetting, Clock: clk, Logger: logger, Registerer: reg, Observer: alerts}, an, matcher, st)
	if err != nil {
		b.Fatal(err)
	}
	app, err := web.New(web.Config{Logger: logger, Registerer: reg, Gatherer: reg, DefaultLang: "en", Location: time.UTC},
		web.Deps{Auth: accounts, Posts: st, Ingest: ing, Monitors: monitors, Settings: st, Ready: st, Clock: clk,
			Alerts: st, AlertHub: alerts.hub, AckLinks: alerts.engine, Silencer: alerts, Plans: st})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	defer alerts.hub.Close()

	// The live page's event stream.
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/alerts/events", nil)
	req.AddCookie(&http.Cookie{Name: "cdk_session", Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("event stream: %d", resp.StatusCode)
	}
	var mu sync.Mutex
	sent := make([]time.Time, triggers)
	got := make([]time.Duration, triggers)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			at := time.Now()
			var ev struct {
				Monitor string `json:"monitor"`
			}
			if json.Unmarshal([]byte(data), &ev) != nil {
				continue
			}
			if i, ok := monitorOf[ev.Monitor]; ok {
				mu.Lock()
				if got[i] == 0 && !sent[i].IsZero() {
					got[i] = at.Sub(sent[i])
				}
				mu.Unlock()
			}
		}
	})

	perBatch := rate * int(benchTick) / int(time.Second)
	seq := 0
	texts := []string{
		"Acme support took ages again today, not impressed",
		"Just bought the new Acme phone, loving it so far",
		"Does anyone know when the Acme store opens on Sunday?",
		"Acme delivery arrived on time, thanks",
	}
	start := time.Now()
	next := start
	b.ResetTimer()
	for tick := 0; time.Since(start) < benchDuration; tick++ {
		batch := make([]post.Post, 0, perBatch+1)
		now := time.Now().UTC()
		for range perBatch {
			seq++
			batch = append(batch, post.Post{ID: fmt.Sprintf("load-%d", seq), Platform: "bluesky", CreatedAt: now,
				Text: texts[seq%len(texts)], Author: post.Author{ID: fmt.Sprintf("u%d", seq%5000), Handle: "someone", Followers: 120}})
		}
		trigger := -1
		if ticksPer := int(benchTriggerEvery / benchTick); tick%ticksPer == 0 && tick/ticksPer < triggers {
			trigger = tick / ticksPer
			batch = append(batch, post.Post{ID: fmt.Sprintf("trigger-%d", trigger), Platform: "bluesky", CreatedAt: now, Lang: "en",
				Text:   fmt.Sprintf("zqtrigger%d: Acme data breach, customer passwords leaked, an outrageous and terrible failure", trigger),
				Author: post.Author{ID: "did:plc:newsroom", Handle: "newsroom.example", Followers: 850000, Kind: "press", Verified: true}})
			mu.Lock()
			sent[trigger] = time.Now()
			mu.Unlock()
		}
		if len(batch) > 0 {
			if _, err := ing.Ingest(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		next = next.Add(benchTick)
		if d := time.Until(next); d > 0 {
			time.Sleep(d) // pacing the load generator; nothing under test waits on it
		}
	}
	elapsed := time.Since(start)
	// Give the last alerts a moment to arrive, then stop the stream.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		done := !slices.Contains(got, 0)
		mu.Unlock()
		if done {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.StopTimer()
	alerts.hub.Close()
	cancel()

	mu.Lock()
	defer mu.Unlock()
	var lat []time.Duration
	missed := 0
	for _, d := range got {
		if d == 0 {
			missed++
			continue
		}
		lat = append(lat, d)
	}
	if len(lat) == 0 {
		b.Fatal("no alert arrived")
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(seq)/elapsed.Seconds(), "posts/s")
	b.ReportMetric(float64(missed), "missed")
}
