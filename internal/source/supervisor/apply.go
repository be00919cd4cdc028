package supervisor

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// ApplyOptions are the choices of whoever applies a list of sources.
type ApplyOptions struct {
	// DeleteWithCredentials lets ApplyAll delete sources the list omits although they hold a stored
	// token. Without it such a source is refused with a *CredentialsError, since its token, entered in
	// the web app and never in a plan, would be gone for good.
	DeleteWithCredentials bool
}

// CredentialsError is a source that a list omits, which would delete it, while it holds stored
// credentials.
type CredentialsError struct {
	ID, Name string
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("source %q (%s) is not in the list but holds a stored token or secret; deleting it would destroy it", e.ID, e.Name)
}

// PartialError is an ApplyAll that failed midway on a store without transactions: Applied says
// exactly what was stored before Err.
type PartialError struct {
	Applied Applied
	Err     error
}

func (e *PartialError) Error() string {
	a := e.Applied
	return fmt.Sprintf("%v (applied before the failure: created %v, updated %v, deleted %v)", e.Err, a.Created, a.Updated, a.Deleted)
}
func (e *PartialError) Unwrap() error { return e.Err }

// CheckAll checks specs as ApplyAll would, and stores nothing, so a plan import can refuse the whole
// plan before storing any of it. The errors are *SpecError and *CredentialsError, joined.
func (m *Manager) CheckAll(ctx context.Context, specs []Spec, opts ApplyOptions) error {
	stored, err := m.byID(ctx)
	if err != nil {
		return err
	}
	return m.checkAll(specs, stored, opts)
}

func (m *Manager) checkAll(specs []Spec, stored map[string]store.Source, opts ApplyOptions) error {
	var errs []error
	named := make(map[string]bool, len(specs))
	for i, sp := range specs {
		if named[sp.ID] {
			errs = append(errs, &SpecError{Index: i, ID: sp.ID, Err: errors.New("the id is listed twice")})
			continue
		}
		named[sp.ID] = true
		if err := m.checkSpec(sp, stored); err != nil {
			errs = append(errs, &SpecError{Index: i, ID: sp.ID, Err: err})
		}
	}
	if !opts.DeleteWithCredentials {
		ids := make([]string, 0, len(stored))
		for id := range stored {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if !named[id] && stored[id].Credentials != "" {
				errs = append(errs, &CredentialsError{ID: id, Name: stored[id].Name})
			}
		}
	}
	return errors.Join(errs...)
}

// ApplyAll makes the stored sources exactly specs: it creates the sources with new ids, updates those
// whose name, settings or enabled flag differ, keeping their credentials and cursors, and deletes the
// sources specs do not name. It checks everything first and changes nothing when something is refused,
// which includes deleting a source with a stored token unless opts allow it. A store with
// store.SourceBatches stores the changes in one transaction; on another, a failure midway is a
// *PartialError that says what was stored. The supervisor follows at once when it runs in this
// process, and within SyncEvery otherwise.
func (m *Manager) ApplyAll(ctx context.Context, specs []Spec, opts ApplyOptions) (Applied, error) {
	stored, err := m.byID(ctx)
	if err != nil {
		return Applied{}, err
	}
	if err := m.checkAll(specs, stored, opts); err != nil {
		return Applied{}, err
	}
	var res Applied
	var ch store.SourceChanges
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
			ch.Create = append(ch.Create, store.Source{ID: sp.ID, Kind: sp.Kind, Name: name, Settings: sp.Settings.JSON(), Enabled: sp.Enabled, CreatedAt: now, UpdatedAt: now})
			res.Created = append(res.Created, sp.ID)
		case old.Name != name || old.Enabled != sp.Enabled || !sameSettings(old.Settings, sp.Settings):
			old.Name, old.Settings, old.Enabled, old.UpdatedAt = name, sp.Settings.JSON(), sp.Enabled, now
			ch.Update = append(ch.Update, old)
			res.Updated = append(res.Updated, sp.ID)
		default:
			res.Unchanged = append(res.Unchanged, sp.ID)
		}
	}
	for id := range stored {
		if !named[id] {
			ch.Delete = append(ch.Delete, id)
		}
	}
	slices.Sort(ch.Delete)
	res.Deleted = slices.Clone(ch.Delete)
	if b, ok := m.st.(store.SourceBatches); ok {
		if err := b.ApplySources(ctx, ch); err != nil {
			return Applied{}, fmt.Errorf("sources: nothing applied: %w", err)
		}
	} else if done, err := m.applyOneByOne(ctx, ch); err != nil {
		return Applied{}, &PartialError{Applied: done, Err: err}
	}
	return res, m.sync(ctx)
}

// applyOneByOne stores ch change by change, for a store without transactions, and says what it
// stored before a failure.
func (m *Manager) applyOneByOne(ctx context.Context, ch store.SourceChanges) (Applied, error) {
	var done Applied
	for _, src := range ch.Create {
		if err := m.st.CreateSource(ctx, src); err != nil {
			return done, fmt.Errorf("sources: create %q: %w", src.ID, err)
		}
		done.Created = append(done.Created, src.ID)
	}
	for _, src := range ch.Update {
		if err := m.st.UpdateSource(ctx, src); err != nil {
			return done, fmt.Errorf("sources: update %q: %w", src.ID, err)
		}
		done.Updated = append(done.Updated, src.ID)
	}
	for _, id := range ch.Delete {
		if err := m.st.DeleteSource(ctx, id); err != nil {
			return done, fmt.Errorf("sources: delete %q: %w", id, err)
		}
		done.Deleted = append(done.Deleted, id)
	}
	return done, nil
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
