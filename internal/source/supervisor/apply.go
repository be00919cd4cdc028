package supervisor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Spec is one source as a crisis plan declares it: everything but its credentials.
type Spec struct {
	ID       string
	Kind     string
	Name     string
	Enabled  bool
	Settings Settings
}

// SpecError is a spec the manager refuses, by its position in the list.
type SpecError struct {
	Index int
	ID    string
	Err   error
}

func (e *SpecError) Error() string { return fmt.Sprintf("source %d (%s): %v", e.Index, e.ID, e.Err) }
func (e *SpecError) Unwrap() error { return e.Err }

// ErrKindChanged is a spec that gives an existing source another kind; a source's kind never changes,
// since its cursor and credentials belong to the platform.
var ErrKindChanged = errors.New("a source's kind cannot change; give the new source another id")

// Applied says what ApplyAll changed, by source id.
type Applied struct {
	Created, Updated, Deleted, Unchanged []string
	// NeedToken are sources that need a token and have none yet: enter it in the web app, where tokens
	// are write-only; until then they do not start.
	NeedToken []string
}

// CheckAll checks specs as ApplyAll would, and stores nothing, so a plan import can refuse the whole
// plan before storing any of it. The errors are *SpecError, joined.
func (m *Manager) CheckAll(ctx context.Context, specs []Spec) error {
	stored, err := m.byID(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i, sp := range specs {
		if err := m.checkSpec(sp, stored); err != nil {
			errs = append(errs, &SpecError{Index: i, ID: sp.ID, Err: err})
		}
	}
	return errors.Join(errs...)
}

// ApplyAll makes the stored sources exactly specs: it creates the sources with new ids, updates those
// whose name, settings or enabled flag differ, keeping their credentials and cursors, and deletes the
// sources specs do not name. It checks every spec first and changes nothing when one is refused. The
// supervisor follows at once when it runs in this process, and within SyncEvery otherwise.
func (m *Manager) ApplyAll(ctx context.Context, specs []Spec) (Applied, error) {
	if err := m.CheckAll(ctx, specs); err != nil {
		return Applied{}, err
	}
	stored, err := m.byID(ctx)
	if err != nil {
		return Applied{}, err
	}
	var res Applied
	now := m.clk.Now().UTC()
	named := map[string]bool{}
	for _, sp := range specs {
		named[sp.ID] = true
		name := strings.TrimSpace(sp.Name)
		old, ok := stored[sp.ID]
		var creds Credentials
		if ok {
			creds, _ = OpenCredentials(m.box, old.Credentials) // checkSpec opened them already
		}
		if errors.Is(sp.Settings.Validate(sp.Kind, creds), ErrToken) {
			res.NeedToken = append(res.NeedToken, sp.ID)
		}
		switch {
		case !ok:
			src := store.Source{ID: sp.ID, Kind: sp.Kind, Name: name, Settings: sp.Settings.JSON(), Enabled: sp.Enabled, CreatedAt: now, UpdatedAt: now}
			if err := m.st.CreateSource(ctx, src); err != nil {
				return res, fmt.Errorf("sources: create %q: %w", sp.ID, err)
			}
			res.Created = append(res.Created, sp.ID)
		case old.Name != name || old.Enabled != sp.Enabled || !sameSettings(old.Settings, sp.Settings):
			old.Name, old.Settings, old.Enabled, old.UpdatedAt = name, sp.Settings.JSON(), sp.Enabled, now
			if err := m.st.UpdateSource(ctx, old); err != nil {
				return res, fmt.Errorf("sources: update %q: %w", sp.ID, err)
			}
			res.Updated = append(res.Updated, sp.ID)
		default:
			res.Unchanged = append(res.Unchanged, sp.ID)
		}
	}
	for id := range stored {
		if named[id] {
			continue
		}
		if err := m.st.DeleteSource(ctx, id); err != nil {
			return res, fmt.Errorf("sources: delete %q: %w", id, err)
		}
		res.Deleted = append(res.Deleted, id)
	}
	return res, m.sync(ctx)
}

// Specs returns the stored sources as specs, for exporting them into the plan.
func (m *Manager) Specs(ctx context.Context) ([]Spec, error) {
	srcs, err := m.st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Spec, 0, len(srcs))
	for _, src := range srcs {
		set, err := ParseSettings(src.Settings)
		if err != nil {
			return nil, fmt.Errorf("sources: %q: %w", src.ID, err)
		}
		out = append(out, Spec{ID: src.ID, Kind: src.Kind, Name: src.Name, Enabled: src.Enabled, Settings: set})
	}
	return out, nil
}

func (m *Manager) byID(ctx context.Context) (map[string]store.Source, error) {
	srcs, err := m.st.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	out := make(map[string]store.Source, len(srcs))
	for _, s := range srcs {
		out[s.ID] = s
	}
	return out, nil
}

// checkSpec is check for a spec: the kind may not change, and a missing token is no error, since the
// plan never carries one.
func (m *Manager) checkSpec(sp Spec, stored map[string]store.Source) error {
	if strings.TrimSpace(sp.ID) == "" {
		return errors.New("a source needs an id")
	}
	var creds Credentials
	if old, ok := stored[sp.ID]; ok {
		if old.Kind != sp.Kind {
			return fmt.Errorf("%w (it is %s)", ErrKindChanged, old.Kind)
		}
		c, err := OpenCredentials(m.box, old.Credentials)
		if err != nil {
			return err
		}
		creds = c
	}
	err := m.check(Input{Kind: sp.Kind, Name: sp.Name, Settings: sp.Settings, Enabled: sp.Enabled}, creds.Token)
	if errors.Is(err, ErrToken) {
		return nil
	}
	return err
}

func sameSettings(stored string, s Settings) bool {
	old, err := ParseSettings(stored)
	return err == nil && old.JSON() == s.JSON()
}

// follow syncs every SyncEvery until ctx ends, so changes stored by another process (a plan import on
// the command line, another serve sharing the database) reach the running sources.
func (s *Supervisor) follow(ctx context.Context) {
	t := time.NewTicker(s.cfg.SyncEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Sync(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reading the sources failed; trying again later", "err", err)
			}
		}
	}
}
