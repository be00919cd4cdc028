package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/escalate"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// testAlerts is serve's alert path in small, over the harness clock: detection and the alert manager
// behind ingest, each event stored, published to the hub and escalated. Escalation pages one
// recipient in-app, so acknowledge links and delivery states exist; no worker sends them.
type testAlerts struct {
	st      *sqlite.Store
	hub     *AlertHub
	det     *detect.Detector
	manager *alert.Manager
	engine  *escalate.Engine

	mu     sync.Mutex
	events []alert.Event
}

// testAckSecret signs the harness's acknowledge links.
var testAckSecret = []byte("0123456789abcdef0123456789abcdef")

func newTestAlerts(t testing.TB, st *sqlite.Store, clk clock.Clock) *testAlerts {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	det, err := detect.New(detect.DefaultConfig(), clk, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := alert.New(alert.DefaultConfig(), clk, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	router := escalate.RouterFunc(func(ev alert.Event) (escalate.Policy, bool) {
		return escalate.Policy{Name: "test", Steps: []escalate.Step{{
			Recipients: []escalate.Recipient{{ID: "anna", Name: "Anna", Lang: "en", Contacts: []escalate.Contact{{Channel: "inapp", Address: "anna"}}}},
			Channels:   []string{"inapp"}, Wait: 5 * time.Minute,
		}}}, true
	})
	cfg := escalate.DefaultConfig()
	cfg.BaseURL, cfg.Secret = "http://crisisdesk.test", testAckSecret
	engine, err := escalate.New(cfg, st, router, nil, clk, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testAlerts{st: st, hub: NewAlertHub(), det: det, manager: manager, engine: engine}
}

func (a *testAlerts) Observe(ctx context.Context, posts []store.StoredPost) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = a.events[:0]
	var sigs []detect.Signal
	for i := range posts {
		sp := &posts[i]
		sigs = a.det.Observe(detect.Input{Post: &sp.Post, Sentiment: sp.Analysis.Sentiment, Complaint: sp.Analysis.Complaint,
			Lang: sp.Analysis.Lang, Categories: sp.Analysis.Categories, Monitors: sp.Monitors}, sigs[:0])
		for _, s := range sigs {
			a.events = a.manager.Add(s, a.events)
		}
	}
	var errs []error
	for _, ev := range a.events {
		errs = append(errs, a.handle(ctx, ev))
	}
	return errors.Join(errs...)
}

func (a *testAlerts) handle(ctx context.Context, ev alert.Event) error {
	// The manager's ids hold slashes; serve gives alerts ids of its own that are safe in a path, and
	// replacing the separators is enough here.
	ev.AlertID = pathSafe(ev.AlertID)
	ex, err := json.Marshal(ev.Explanation)
	if err != nil {
		return err
	}
	status := store.AlertOpen
	if ev.Status == alert.Resolved {
		status = store.AlertResolved
	}
	if err := a.st.SaveAlert(ctx, store.Alert{ID: ev.AlertID, Monitor: ev.Monitor, Kind: ev.Kind, Severity: ev.Severity.String(),
		Status: status, Summary: ev.Summary, Explanation: ex, PostIDs: ev.PostIDs, OpenedAt: ev.At, UpdatedAt: ev.At}); err != nil {
		return err
	}
	stored, err := a.st.AlertByID(ctx, ev.AlertID)
	if err != nil {
		return err
	}
	a.hub.Publish(stored)
	return a.engine.Handle(ctx, ev)
}

func pathSafe(id string) string {
	out := []byte(id)
	for i, c := range out {
		if c == '/' || c == ':' {
			out[i] = '-'
		}
	}
	return string(out)
}
