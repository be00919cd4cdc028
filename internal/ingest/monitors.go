package ingest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// MonitorStore keeps monitors.
type MonitorStore interface {
	CreateMonitor(ctx context.Context, m store.Monitor) error
	MonitorByID(ctx context.Context, id string) (store.Monitor, error)
	Monitors(ctx context.Context) ([]store.Monitor, error)
	UpdateMonitor(ctx context.Context, m store.Monitor) error
	DeleteMonitor(ctx context.Context, id string) error
}

// Errors of a monitor that cannot be saved, besides a query that does not parse (a *query.Error).
var (
	ErrNoName   = errors.New("a monitor needs a name")
	ErrLongName = errors.New("a monitor's name is at most 200 characters")
)

// MaxNameLen bounds a monitor's name, in characters.
const MaxNameLen = 200

// Monitors changes monitors in the store and in the registry ingest matches against, in that order and
// one change at a time, so the running matcher always reflects what is stored.
type Monitors struct {
	st  MonitorStore
	reg *query.Registry
	clk clock.Clock
	log *slog.Logger
	mu  sync.Mutex
}

// NewMonitors returns the monitor service over st and reg. A nil logger discards.
func NewMonitors(st MonitorStore, reg *query.Registry, clk clock.Clock, logger *slog.Logger) *Monitors {
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Monitors{st: st, reg: reg, clk: clk, log: logger.With("component", "monitors")}
}

// Load puts every enabled stored monitor into the registry, at start. A stored query that no longer
// parses (the language grew stricter) is logged and left out rather than keeping the whole system
// from starting; its page shows the error, so someone can fix it.
func (ms *Monitors) Load(ctx context.Context) (int, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	all, err := ms.st.Monitors(ctx)
	if err != nil {
		return 0, fmt.Errorf("ingest: load monitors: %w", err)
	}
	set := make(map[string]string, len(all))
	for _, m := range all {
		if !m.Enabled {
			continue
		}
		if _, err := query.Parse(m.Query); err != nil {
			ms.log.ErrorContext(ctx, "a stored monitor's query does not parse; it is not matched", "monitor", m.ID, "err", err)
			continue
		}
		set[m.ID] = m.Query
	}
	if err := ms.reg.Update(set, nil); err != nil {
		return 0, fmt.Errorf("ingest: load monitors: %w", err)
	}
	return len(set), nil
}

// Validate checks a name and a query as Create and Update would. A bad query is a *query.Error.
func Validate(name, q string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return ErrNoName
	case utf8.RuneCountInString(name) > MaxNameLen:
		return ErrLongName
	}
	if _, err := query.Parse(q); err != nil {
		return err
	}
	return nil
}

// Create stores a new monitor and starts matching it if enabled.
func (ms *Monitors) Create(ctx context.Context, name, q string, enabled bool, userID int64) (store.Monitor, error) {
	if err := Validate(name, q); err != nil {
		return store.Monitor{}, err
	}
	now := ms.clk.Now().UTC()
	m := store.Monitor{Name: strings.TrimSpace(name), Query: q, Enabled: enabled, CreatedBy: userID, CreatedAt: now, UpdatedAt: now}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	// A random id needs no coordination between processes sharing the database; on the rare collision,
	// draw again.
	for attempt := 0; ; attempt++ {
		m.ID = newID()
		err := ms.st.CreateMonitor(ctx, m)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrAlreadyExists) || attempt == 3 {
			return store.Monitor{}, fmt.Errorf("ingest: create monitor: %w", err)
		}
	}
	if err := ms.apply(m); err != nil {
		return store.Monitor{}, err
	}
	return m, nil
}

// Update changes a monitor's name, query and enabled flag.
func (ms *Monitors) Update(ctx context.Context, id, name, q string, enabled bool) (store.Monitor, error) {
	if err := Validate(name, q); err != nil {
		return store.Monitor{}, err
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m, err := ms.st.MonitorByID(ctx, id)
	if err != nil {
		return store.Monitor{}, fmt.Errorf("ingest: update monitor: %w", err)
	}
	m.Name, m.Query, m.Enabled, m.UpdatedAt = strings.TrimSpace(name), q, enabled, ms.clk.Now().UTC()
	if err := ms.st.UpdateMonitor(ctx, m); err != nil {
		return store.Monitor{}, fmt.Errorf("ingest: update monitor: %w", err)
	}
	if err := ms.apply(m); err != nil {
		return store.Monitor{}, err
	}
	return m, nil
}

// Delete removes a monitor and stops matching it.
func (ms *Monitors) Delete(ctx context.Context, id string) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if err := ms.st.DeleteMonitor(ctx, id); err != nil {
		return fmt.Errorf("ingest: delete monitor: %w", err)
	}
	ms.reg.Remove(id)
	return nil
}

// Get returns one monitor.
func (ms *Monitors) Get(ctx context.Context, id string) (store.Monitor, error) {
	return ms.st.MonitorByID(ctx, id)
}

// List returns every monitor.
func (ms *Monitors) List(ctx context.Context) ([]store.Monitor, error) {
	return ms.st.Monitors(ctx)
}

// apply makes the registry match m as stored.
func (ms *Monitors) apply(m store.Monitor) error {
	if !m.Enabled {
		ms.reg.Remove(m.ID)
		return nil
	}
	if err := ms.reg.Set(m.ID, m.Query); err != nil {
		return fmt.Errorf("ingest: monitor %q is stored but cannot be matched: %w", m.ID, err)
	}
	return nil
}

// idAlphabet leaves out letters that read alike (0/o, 1/l/i), since people read ids aloud from URLs.
const idAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newID returns a short random monitor id, such as "m4k9tz2qa": 8 characters of 31, about 2^39 ids.
func newID() string {
	var b [8]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	id := make([]byte, 1, 9)
	id[0] = 'm'
	for _, c := range b {
		id = append(id, idAlphabet[int(c)%len(idAlphabet)])
	}
	return string(id)
}
