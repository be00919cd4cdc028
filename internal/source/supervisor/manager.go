package supervisor

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ManagerStore keeps sources.
type ManagerStore interface {
	store.Sources
}

// Manager changes sources in the store and then has the supervisor follow, as the web app's one way to
// change them. It seals credentials on the way in and never hands them out again, except a webhook's
// signing secret to the code that verifies requests.
type Manager struct {
	st  ManagerStore
	box *secret.Box
	sup *Supervisor // nil: changes are stored and take effect at the next start
	clk clock.Clock
	// allowPrivate lets source URLs name private addresses when there is no supervisor to say so,
	// as in a plan import on the command line.
	allowPrivate bool
}

// AllowPrivate lets a manager without a supervisor accept URLs that name private addresses, as the
// supervisor's AllowPrivate does for one with.
func (m *Manager) AllowPrivate(allow bool) { m.allowPrivate = allow }

// NewManager returns a Manager over st. sup may be nil (tests of the web app, or a process that does
// not listen).
func NewManager(st ManagerStore, box *secret.Box, sup *Supervisor, clk clock.Clock) (*Manager, error) {
	if st == nil || box == nil {
		return nil, errors.New("supervisor: manager needs a store and a secret box")
	}
	if clk == nil {
		clk = clock.Real{}
	}
	return &Manager{st: st, box: box, sup: sup, clk: clk}, nil
}

// Input is what a user submits for a source. Token is write-only: on an update an empty Token keeps
// the stored one unless ClearToken is set.
type Input struct {
	Kind       string // only read by Create; a source's kind never changes
	Name       string
	Settings   Settings
	Enabled    bool
	Token      secret.Secret
	ClearToken bool
}

// View is a source as the web app shows it: no credentials, only whether they are set.
type View struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Settings Settings `json:"settings"`
	Enabled  bool     `json:"enabled"`
	HasToken bool     `json:"has_token"`
	Status   Status   `json:"status"`
	Invalid  string   `json:"invalid,omitempty"` // stored settings that no longer parse
}

// Errors of a source that cannot be saved, besides those of Settings.Validate.
var (
	ErrName = errors.New("a name of 1 to 100 characters is required")
)

// MaxNameLen bounds a source's name, in characters.
const MaxNameLen = 100

// Create stores a new source and starts it when enabled.
func (m *Manager) Create(ctx context.Context, in Input) (View, error) {
	if err := m.check(in, in.Token); err != nil {
		return View{}, err
	}
	sealed, err := SealCredentials(m.box, Credentials{Token: in.Token})
	if err != nil {
		return View{}, fmt.Errorf("sources: create: %w", err)
	}
	now := m.clk.Now().UTC()
	src := store.Source{Kind: in.Kind, Name: strings.TrimSpace(in.Name), Settings: in.Settings.JSON(),
		Credentials: sealed, Enabled: in.Enabled, CreatedAt: now, UpdatedAt: now}
	for attempt := 0; ; attempt++ {
		src.ID = newID()
		err := m.st.CreateSource(ctx, src)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrAlreadyExists) || attempt == 3 {
			return View{}, fmt.Errorf("sources: create: %w", err)
		}
	}
	if err := m.sync(ctx); err != nil {
		return View{}, err
	}
	return m.view(src, nil), nil
}

// Update changes a source's name, settings, enabled flag and, when given, its token.
func (m *Manager) Update(ctx context.Context, id string, in Input) (View, error) {
	src, err := m.st.SourceByID(ctx, id)
	if err != nil {
		return View{}, fmt.Errorf("sources: update: %w", err)
	}
	creds, err := OpenCredentials(m.box, src.Credentials)
	if err != nil && !in.ClearToken && in.Token.IsZero() {
		return View{}, fmt.Errorf("sources: update %q: %w", id, err)
	}
	switch {
	case in.ClearToken:
		creds = Credentials{}
	case !in.Token.IsZero():
		creds = Credentials{Token: in.Token}
	}
	in.Kind = src.Kind
	if err := m.check(in, creds.Token); err != nil {
		return View{}, err
	}
	if src.Credentials, err = SealCredentials(m.box, creds); err != nil {
		return View{}, fmt.Errorf("sources: update: %w", err)
	}
	src.Name, src.Settings, src.Enabled, src.UpdatedAt = strings.TrimSpace(in.Name), in.Settings.JSON(), in.Enabled, m.clk.Now().UTC()
	if err := m.st.UpdateSource(ctx, src); err != nil {
		return View{}, fmt.Errorf("sources: update: %w", err)
	}
	if err := m.sync(ctx); err != nil {
		return View{}, err
	}
	return m.view(src, nil), nil
}

// SetEnabled starts or stops a source.
func (m *Manager) SetEnabled(ctx context.Context, id string, enabled bool) error {
	src, err := m.st.SourceByID(ctx, id)
	if err != nil {
		return fmt.Errorf("sources: enable: %w", err)
	}
	src.Enabled, src.UpdatedAt = enabled, m.clk.Now().UTC()
	if err := m.st.UpdateSource(ctx, src); err != nil {
		return fmt.Errorf("sources: enable: %w", err)
	}
	return m.sync(ctx)
}

// Delete removes a source and its cursor, and stops it.
func (m *Manager) Delete(ctx context.Context, id string) error {
	if err := m.st.DeleteSource(ctx, id); err != nil {
		return fmt.Errorf("sources: delete: %w", err)
	}
	return m.sync(ctx)
}

// Get returns one source.
func (m *Manager) Get(ctx context.Context, id string) (View, error) {
	src, err := m.st.SourceByID(ctx, id)
	if err != nil {
		return View{}, err
	}
	return m.view(src, m.statuses()), nil
}

// List returns every source with its status.
func (m *Manager) List(ctx context.Context) ([]View, error) {
	srcs, err := m.st.Sources(ctx)
	if err != nil {
		return nil, err
	}
	sts := m.statuses()
	out := make([]View, len(srcs))
	for i, src := range srcs {
		out[i] = m.view(src, sts)
	}
	return out, nil
}

// ErrNotWebhook is WebhookSecret asked for a source that is not an enabled webhook.
var ErrNotWebhook = errors.New("not an enabled webhook source")

// WebhookSecret returns the signing secret of an enabled webhook source, for verifying its requests.
func (m *Manager) WebhookSecret(ctx context.Context, id string) (secret.Secret, error) {
	src, err := m.st.SourceByID(ctx, id)
	if err != nil {
		return secret.Secret{}, err
	}
	if src.Kind != store.SourceWebhook || !src.Enabled {
		return secret.Secret{}, ErrNotWebhook
	}
	creds, err := OpenCredentials(m.box, src.Credentials)
	if err != nil {
		return secret.Secret{}, fmt.Errorf("sources: webhook %q: %w", id, err)
	}
	if creds.Token.IsZero() {
		return secret.Secret{}, ErrNotWebhook
	}
	return creds.Token, nil
}

func (m *Manager) check(in Input, token secret.Secret) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); n == 0 || n > MaxNameLen {
		return ErrName
	}
	if err := in.Settings.Validate(in.Kind, Credentials{Token: token}); err != nil {
		return err
	}
	// An address that is private at the time of saving is refused now, with a clear message; names
	// are checked again on every connection, against what they resolve to then.
	if in.Settings.URL != "" && !m.allowPrivate && (m.sup == nil || !m.sup.cfg.AllowPrivate) {
		if u, err := url.Parse(in.Settings.URL); err == nil {
			if err := source.CheckHost(u.Hostname()); err != nil {
				return fmt.Errorf("source URL: %w", err)
			}
		}
	}
	return nil
}

func (m *Manager) sync(ctx context.Context) error {
	if m.sup == nil {
		return nil
	}
	if err := m.sup.Sync(ctx); err != nil && !errors.Is(err, ErrNotRunning) {
		return fmt.Errorf("sources: saved, but not yet applied: %w", err)
	}
	return nil
}

func (m *Manager) statuses() map[string]Status {
	if m.sup == nil {
		return nil
	}
	return m.sup.Statuses()
}

func (m *Manager) view(src store.Source, sts map[string]Status) View {
	v := View{ID: src.ID, Kind: src.Kind, Name: src.Name, Enabled: src.Enabled, HasToken: src.Credentials != "", Status: sts[src.ID]}
	set, err := ParseSettings(src.Settings)
	if err != nil {
		v.Invalid = err.Error()
	}
	v.Settings = set
	v.Status.ID = src.ID
	return v
}

// idAlphabet leaves out letters that read alike (0/o, 1/l/i), since people read ids aloud from URLs.
const idAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newID returns a random source id such as "s4k9tz2qa7hx": the webhook URL carries it, so it is long
// enough not to be guessed, though the signature is what guards the webhook.
func newID() string {
	var b [11]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	id := make([]byte, 1, 12)
	id[0] = 's'
	for _, c := range b {
		id = append(id, idAlphabet[int(c)%len(idAlphabet)])
	}
	return string(id)
}
