package main

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/bus/natstest"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/scenario"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
)

// BenchmarkBusThroughput measures posts per second through the scaled-out path of one worker, from
// publishing on the JetStream ingest stream to every partition having run detection on them:
// publish with dedupe ids, the analysis work queue (analysis, matching, the PostgreSQL write of the
// matched posts), publishing to every partition, and the partition owners putting the batches in
// order and running detectors and the alert manager. One op is one batch of the complaint-wave
// scenario's posts (1,796, of which 1,434 match a monitor), each op with fresh ids and times that
// carry on from the last. It runs on one NATS server and on three clustered ones with replicas 3,
// and, as the baseline in the same run, servers=0 is serve on its own on the same PostgreSQL: ingest
// in batches of 256 (the analysis worker's batch) with detection and alerting in line.
func BenchmarkBusThroughput(b *testing.B) {
	for _, servers := range []int{0, 1, 3} {
		b.Run("servers="+strconv.Itoa(servers), func(b *testing.B) { benchBus(b, servers) })
	}
}

// nextBatch is the scenario's posts with ids and times of op i.
func nextBatch(dst []post.Post, sc *scenario.Scenario, i int) {
	span := sc.End.Sub(sc.Start)
	for j, p := range sc.Posts {
		p.ID += "-" + strconv.Itoa(i)
		p.CreatedAt = p.CreatedAt.Add(time.Duration(i) * span)
		dst[j] = p
	}
}

func benchBus(b *testing.B, servers int) {
	dsn := postgresSchema(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := scenario.DefaultConfig()
	cfg.History = 30 * time.Hour
	cfg.After = 5 * time.Hour
	sc, err := scenario.Generate("complaint_wave", cfg)
	if err != nil {
		b.Fatal(err)
	}
	monitors := clusterMonitors(sc)
	st, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	for _, m := range monitors {
		if err := st.CreateMonitor(ctx, store.Monitor{ID: m.ID, Name: m.ID, Query: m.Query, Enabled: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			b.Fatal(err)
		}
	}
	for _, name := range []string{"CRISISDESK_SMTP_PASSWORD", "CRISISDESK_TEAMS_URL"} {
		b.Setenv(name, "")
		os.Unsetenv(name)
	}
	logger := slog.New(slog.DiscardHandler)
	reg := prometheus.NewRegistry()
	clk := clock.Real{}
	c := config{Data: b.TempDir(), DB: dsn, BaseURL: "http://crisisdesk.test", Lang: "en",
		Bus: busConfig{Partitions: 4, Replicas: servers, AckWait: 30 * time.Second, LeaseTTL: 10 * time.Second, History: 24 * time.Hour, Worker: "bench"}}
	alerts, err := newAlerting(ctx, c, st, clk, logger, reg)
	if err != nil {
		b.Fatal(err)
	}
	an, err := analyze.New()
	if err != nil {
		b.Fatal(err)
	}
	matcher := query.NewRegistry()
	ms := ingest.NewMonitors(st, matcher, clk, logger)
	if _, err := ms.Load(ctx); err != nil {
		b.Fatal(err)
	}
	batch := make([]post.Post, len(sc.Posts))
	if servers == 0 {
		ing, err := ingest.New(ingest.Config{Filter: ingest.FilterBySetting, Clock: clk, Logger: logger, Registerer: reg, Observer: alerts}, an, matcher, st)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start := time.Now()
		for i := range b.N {
			nextBatch(batch, sc, i)
			for lo := 0; lo < len(batch); lo += 256 {
				if _, err := ing.Ingest(ctx, batch[lo:min(lo+256, len(batch))]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(batch))/time.Since(start).Seconds(), "posts/s")
		return
	}
	nats := natstest.Start(b, servers)
	c.NATS = nats.URLs()
	scale, err := newScaleOut(ctx, c, st, ms, alerts, clk, logger, reg)
	if err != nil {
		b.Fatal(err)
	}
	defer scale.close()
	ing, err := ingest.New(ingest.Config{Filter: ingest.FilterBySetting, Clock: clk, Logger: logger, Registerer: reg, Observer: scale.observer(alerts)}, an, matcher, st)
	if err != nil {
		b.Fatal(err)
	}
	w := scale.writer(ing)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	if err := scale.run(ctx, &wg); err != nil {
		b.Fatal(err)
	}
	waitUntilB(b, 30*time.Second, func() bool {
		h, err := scale.tr.Holders(ctx)
		return err == nil && len(h) == 4
	})
	var published uint64
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		nextBatch(batch, sc, i)
		for lo := 0; lo < len(batch); lo += 500 {
			if _, err := w.Ingest(ctx, batch[lo:min(lo+500, len(batch))]); err != nil {
				b.Fatal(err)
			}
		}
		published += uint64(len(batch))
	}
	waitUntilB(b, 10*time.Minute, func() bool {
		for p := range 4 {
			if next, _, err := scale.tr.Cursor(ctx, p); err != nil || next <= published {
				return false
			}
		}
		return true
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(published)/elapsed.Seconds(), "posts/s")
}

func waitUntilB(b *testing.B, d time.Duration, ok func() bool) {
	b.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			b.Fatalf("timed out after %v", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
