package escalate

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// BenchmarkUpdateFanOut measures Handle of one grouped-alert update for an alert that paged 50 people
// by e-mail and a chat room: reading the alert's outbox rows and enqueueing 51 update notices in an
// SQLite file. Each iteration is one update, one update interval after the last.
func BenchmarkUpdateFanOut(b *testing.B) {
	ctx := b.Context()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var people []Recipient
	for i := range 50 {
		id := "p" + strconv.Itoa(i)
		people = append(people, Recipient{ID: id, Name: id, Lang: "en",
			Contacts: []Contact{{"email", id + "@example.org"}, {"chat", "@" + id}}})
	}
	p := Policy{Name: "all", Rooms: []string{"chat"}, Steps: []Step{{Recipients: people, Channels: []string{"email", "chat"}, Wait: time.Hour}}}
	c := clock.NewSim(t0)
	e, err := New(testConfig(), s, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }), nil, c, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Handle(ctx, event(alert.Firing)); err != nil {
		b.Fatal(err)
	}
	ev := event(alert.Updated)
	b.ResetTimer()
	for b.Loop() {
		c.Advance(DefaultConfig().UpdateInterval)
		if err := e.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ns, err := s.NotificationsByAlert(ctx, "al-1")
	if err != nil {
		b.Fatal(err)
	}
	if want := 100 + 51*b.N; len(ns) != want {
		b.Fatalf("%d notifications, want %d", len(ns), want)
	}
}
