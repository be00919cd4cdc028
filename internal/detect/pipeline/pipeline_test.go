package pipeline_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/detect/pipeline"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

func newPipeline(t *testing.T, sim *clock.Sim) *pipeline.Pipeline {
	t.Helper()
	an, err := analyze.New()
	if err != nil {
		t.Fatal(err)
	}
	q, err := query.Parse("storing OR outage")
	if err != nil {
		t.Fatal(err)
	}
	m, err := query.Compile([]query.Monitor{{ID: "m1", Query: q}})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	det, err := detect.New(detect.DefaultConfig(), sim, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	am, err := alert.New(alert.DefaultConfig(), sim, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.New(an, m, det, am)
}

func TestReplay(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var in strings.Builder
	// A press post about an outage: influential_author at once. Then a broken line and an unmatched post.
	in.WriteString(`{"id":"a","platform":"news","text":"Grote storing bij de bank, klanten woedend en niemand helpt","created_at":"2026-03-02T09:00:00Z","author":{"kind":"press","followers":90000}}` + "\n")
	in.WriteString(`{"id":"b","platform":"x"}` + "\n")
	in.WriteString(`{"id":"c","platform":"x","text":"mooi weer vandaag","created_at":"2026-03-02T09:01:00Z"}` + "\n")
	sim := clock.NewSim(start)
	var evs []alert.Event
	var bad []string
	nbad, err := pipeline.Replay(context.Background(), strings.NewReader(in.String()), sim, newPipeline(t, sim),
		func(e alert.Event) error { evs = append(evs, e); return nil },
		func(ie *post.InputError) { bad = append(bad, ie.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	if nbad != 1 || len(bad) != 1 || !strings.HasPrefix(bad[0], "line 2:") {
		t.Errorf("bad lines %d %q, want line 2", nbad, bad)
	}
	if len(evs) != 2 || evs[0].Kind != detect.InfluentialAuthor || evs[0].Status != alert.Firing || evs[1].Status != alert.Resolved {
		t.Fatalf("events %+v, want the influential author firing, then resolved at the end", evs)
	}
	if !sim.Now().Equal(start.Add(time.Minute)) {
		t.Errorf("clock at %v, want the last post's time", sim.Now())
	}
}

func TestReplayStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sim := clock.NewSim(time.Time{})
	_, err := pipeline.Replay(ctx, strings.NewReader(`{"id":"a","platform":"x","text":"storing","created_at":"2026-03-02T09:00:00Z"}`+"\n"),
		sim, newPipeline(t, sim), func(alert.Event) error { return nil }, func(*post.InputError) {})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestReplayEmitError(t *testing.T) {
	sim := clock.NewSim(time.Time{})
	boom := errors.New("disk full")
	_, err := pipeline.Replay(context.Background(),
		strings.NewReader(`{"id":"a","platform":"news","text":"Grote storing bij de bank, klanten woedend","created_at":"2026-03-02T09:00:00Z","author":{"kind":"press"}}`+"\n"),
		sim, newPipeline(t, sim), func(alert.Event) error { return boom }, func(*post.InputError) {})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the emit error", err)
	}
}
