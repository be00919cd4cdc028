package escalate

import (
	"context"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/email"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// pipeline is the whole path from an alert to a receiver, on loopback: an SQLite file, the engine,
// the outbox worker, e-mail over STARTTLS with AUTH PLAIN to a real SMTP server and a signed webhook to
// a real HTTP receiver. Everything runs on the real clock.
type pipeline struct {
	engine *Engine
	smtp   *notifytest.SMTPServer
	hook   *notifytest.Receiver
	store  *sqlite.Store
	stop   func()
}

func newPipeline(tb testing.TB, poll time.Duration) *pipeline {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := notifytest.NewSMTPServer(tb, notifytest.SMTPOptions{Username: "crisisdesk", Password: "pw"})
	hook := notifytest.NewReceiver(tb, nil)
	c := clock.Real{}
	ml, err := email.New(email.Config{Addr: srv.Addr, Username: "crisisdesk", Password: "pw", From: "alerts@example.org",
		TLS: &tls.Config{RootCAs: srv.RootCAs}})
	if err != nil {
		tb.Fatal(err)
	}
	wh, err := webhook.New(webhook.Config{URL: hook.URL + "/hook", Secret: []byte("benchmark-webhook-secret")}, nil, c)
	if err != nil {
		tb.Fatal(err)
	}
	retry, err := notify.NewRetry(notify.DefaultBackoff(), c, rand.Float64)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := notify.NewWorker(notify.DefaultWorkerConfig("bench"), s, map[string]notify.Integration{"email": ml, "webhook": wh},
		retry, c, nil, prometheus.NewRegistry())
	if err != nil {
		tb.Fatal(err)
	}
	oncall := Recipient{ID: "oncall", Name: "On call", Lang: "nl",
		Contacts: []Contact{{"email", "oncall@example.org"}, {"webhook", ""}}}
	p := Policy{Name: "bench", Steps: []Step{{Recipients: []Recipient{oncall}, Channels: []string{"email", "webhook"}, Wait: 5 * time.Minute}}}
	cfg := testConfig()
	cfg.Poll = poll
	e, err := New(cfg, s, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }), w, c, nil, prometheus.NewRegistry())
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	return &pipeline{engine: e, smtp: srv, hook: hook, store: s, stop: func() {
		cancel()
		wg.Wait()
		s.Close()
	}}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkAlertToNotification measures, per alert, the time from Engine.Handle to the SMTP server
// accepting the message and to the webhook receiver accepting the request. Alerts arrive one after
// another; run with -benchtime=1000x for the p99 over 1,000 alerts.
func BenchmarkAlertToNotification(b *testing.B) {
	p := newPipeline(b, time.Second)
	defer p.stop()
	var mailLat, hookLat []time.Duration
	i := 0
	for b.Loop() {
		ev := event(alert.Firing)
		ev.AlertID = fmt.Sprintf("al-%d", i)
		i++
		start := time.Now()
		if err := p.engine.Handle(context.Background(), ev); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < 2; got++ {
			select {
			case m := <-p.smtp.Accepted():
				mailLat = append(mailLat, m.At.Sub(start))
			case r := <-p.hook.Received():
				hookLat = append(hookLat, r.At.Sub(start))
			case <-time.After(30 * time.Second):
				b.Fatalf("alert %d: nothing arrived within 30s", i)
			}
		}
	}
	b.StopTimer()
	// Baseline in the same run: the e-mail integration alone, sending straight to the same server,
	// without the outbox, the engine or the worker.
	ml, err := email.New(email.Config{Addr: p.smtp.Addr, Username: "crisisdesk", Password: "pw", From: "alerts@example.org",
		TLS: &tls.Config{RootCAs: p.smtp.RootCAs}})
	if err != nil {
		b.Fatal(err)
	}
	var direct []time.Duration
	for i := range 200 {
		start := time.Now()
		if _, err := ml.Notify(context.Background(), notify.Message{AlertID: fmt.Sprint("direct-", i), Severity: "high",
			To: "oncall@example.org", IdempotencyKey: fmt.Sprint(i), At: start}); err != nil {
			b.Fatal(err)
		}
		m := <-p.smtp.Accepted()
		direct = append(direct, m.At.Sub(start))
	}
	b.ReportMetric(float64(percentile(mailLat, 0.5).Microseconds())/1000, "smtp-p50-ms")
	b.ReportMetric(float64(percentile(mailLat, 0.99).Microseconds())/1000, "smtp-p99-ms")
	b.ReportMetric(float64(percentile(hookLat, 0.5).Microseconds())/1000, "webhook-p50-ms")
	b.ReportMetric(float64(percentile(hookLat, 0.99).Microseconds())/1000, "webhook-p99-ms")
	b.ReportMetric(float64(percentile(direct, 0.5).Microseconds())/1000, "direct-smtp-p50-ms")
	b.ReportMetric(float64(percentile(direct, 0.99).Microseconds())/1000, "direct-smtp-p99-ms")
}

// BenchmarkAlertBurstToNotification fires 1,000 alerts at once, as a crisis on many monitors would,
// and measures each alert's time to its first accepted e-mail, queueing included.
func BenchmarkAlertBurstToNotification(b *testing.B) {
	const alerts = 1000
	for b.Loop() {
		b.StopTimer()
		p := newPipeline(b, time.Second)
		b.StartTimer()
		start := make(map[string]time.Time, alerts)
		for i := range alerts {
			ev := event(alert.Firing)
			ev.AlertID = fmt.Sprintf("al-%d", i)
			start[ev.AlertID] = time.Now()
			if err := p.engine.Handle(context.Background(), ev); err != nil {
				b.Fatal(err)
			}
		}
		var lat []time.Duration
		for len(lat) < alerts {
			select {
			case m := <-p.smtp.Accepted():
				lat = append(lat, m.At.Sub(start[alertHeader(m.Data)]))
			case <-time.After(60 * time.Second):
				b.Fatalf("%d of %d e-mails arrived", len(lat), alerts)
			}
		}
		b.StopTimer()
		p.stop()
		b.ReportMetric(float64(percentile(lat, 0.5).Microseconds())/1000, "smtp-p50-ms")
		b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "smtp-p99-ms")
		b.StartTimer()
	}
}

// alertHeader reads the X-Crisisdesk-Alert header of a raw message.
func alertHeader(data []byte) string {
	_, rest, ok := strings.Cut(string(data), "X-Crisisdesk-Alert: ")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, "\r\n")
	return v
}

// BenchmarkEscalationLateness runs 200 escalations of three steps (waits 2s and 3s) on the real
// clock, and measures how late each later step fired against its deadline: the escalation start plus
// the waits before it. It runs with serve's poll interval (1s) and with a tenth of it, whose lateness
// is the cost of the engine itself. One iteration takes about 7 seconds.
func BenchmarkEscalationLateness(b *testing.B) {
	for _, poll := range []time.Duration{time.Second, 100 * time.Millisecond} {
		b.Run("poll="+poll.String(), func(b *testing.B) { benchLateness(b, poll) })
	}
}

func benchLateness(b *testing.B, poll time.Duration) {
	const alerts = 200
	waits := []time.Duration{2 * time.Second, 3 * time.Second, time.Minute}
	cfg := testConfig()
	cfg.Poll = poll
	for b.Loop() {
		b.StopTimer()
		ctx, cancel := context.WithCancel(context.Background())
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "crisisdesk.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		var steps []Step
		for _, w := range waits {
			steps = append(steps, Step{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: w})
		}
		p := Policy{Name: "lateness", Steps: steps}
		e, err := New(cfg, s, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }), nil, clock.Real{}, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		b.StartTimer()
		wg.Go(func() { e.Run(ctx) })
		for i := range alerts {
			ev := event(alert.Firing)
			ev.AlertID = fmt.Sprintf("al-%d", i)
			if err := e.Handle(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
		// Wait until the last step of every escalation has fired, bounded.
		deadline := time.Now().Add(30 * time.Second)
		var late []time.Duration
		for {
			late = late[:0]
			for i := range alerts {
				id := fmt.Sprintf("al-%d", i)
				esc, err := s.EscalationByAlert(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				ns, err := s.NotificationsByAlert(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				due := esc.StartedAt
				for _, n := range ns {
					if n.Step > 0 {
						due = due.Add(waits[n.Step-1])
						late = append(late, n.CreatedAt.Sub(due))
					}
				}
			}
			if len(late) == alerts*2 || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond) // a benchmark on the real clock, waiting for it to pass
		}
		b.StopTimer()
		cancel()
		wg.Wait()
		s.Close()
		if len(late) != alerts*2 {
			b.Fatalf("%d of %d later steps fired within 30s", len(late), alerts*2)
		}
		b.ReportMetric(float64(percentile(late, 0.5).Microseconds())/1000, "late-p50-ms")
		b.ReportMetric(float64(percentile(late, 0.99).Microseconds())/1000, "late-p99-ms")
		b.ReportMetric(float64(slices.Max(late).Microseconds())/1000, "late-max-ms")
		b.StartTimer()
	}
}
