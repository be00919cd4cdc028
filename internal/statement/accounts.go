package statement

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// PlatformBluesky is the platform publishing accounts are for: Bluesky sources listen on Jetstream
// without an account, so publishing needs one of its own. Mastodon and X publish with their sources'
// tokens.
const PlatformBluesky = "bluesky"

// DefaultBlueskyService is the server of most Bluesky accounts.
const DefaultBlueskyService = "https://bsky.social"

// AccountInput is what a user submits for a publishing account. AppPassword is write-only: on an
// update an empty one keeps the stored one.
type AccountInput struct {
	Name        string
	Handle      string
	Service     string
	AppPassword secret.Secret
	Enabled     bool
}

// AccountView is an account as pages and logs may show it: never its password, only whether it has
// one.
type AccountView struct {
	ID          string
	Platform    string
	Name        string
	Handle      string
	Service     string
	Enabled     bool
	HasPassword bool
	UpdatedAt   time.Time
}

// Accounts manages publishing accounts, sealing their app passwords with box.
type Accounts struct {
	st    store.PublishAccounts
	box   *secret.Box
	clk   clock.Clock
	guard source.Guard
}

// NewAccounts returns the account manager. guard decides which servers an account may name: the same
// one the publishing client dials through, so a server on a private or metadata address is refused
// when the account is saved, not only when it publishes.
func NewAccounts(st store.PublishAccounts, box *secret.Box, clk clock.Clock, guard source.Guard) *Accounts {
	return &Accounts{st: st, box: box, clk: clk, guard: guard}
}

func accountView(a store.PublishAccount) AccountView {
	return AccountView{ID: a.ID, Platform: a.Platform, Name: a.Name, Handle: a.Handle, Service: a.Service,
		Enabled: a.Enabled, HasPassword: a.Credentials != "", UpdatedAt: a.UpdatedAt}
}

// List returns every account.
func (m *Accounts) List(ctx context.Context) ([]AccountView, error) {
	all, err := m.st.PublishAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("statement: accounts: %w", err)
	}
	out := make([]AccountView, len(all))
	for i, a := range all {
		out[i] = accountView(a)
	}
	return out, nil
}

// handleRE is a Bluesky handle: a domain name of at least two labels.
var handleRE = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

// didRE is a DID as AT Protocol accepts it.
var didRE = regexp.MustCompile(`^did:[a-z]+:[a-zA-Z0-9._:%-]+$`)

// check tidies in and refuses what cannot publish or what guard forbids: it returns the first problem.
// A server named by a private address or a local name is refused here; a name that resolves to one is
// refused by the guarded client when it is dialled.
func (in *AccountInput) check(needPassword bool, guard source.Guard) error {
	in.Name, in.Handle, in.Service = strings.TrimSpace(in.Name), strings.TrimPrefix(strings.TrimSpace(in.Handle), "@"), strings.TrimSpace(in.Service)
	if in.Service == "" {
		in.Service = DefaultBlueskyService
	}
	switch {
	case in.Name == "":
		return refuse("account_name")
	case len(in.Handle) > 2048 || !handleRE.MatchString(in.Handle) && !didRE.MatchString(in.Handle):
		return refuse("account_handle", in.Handle)
	}
	u, err := url.Parse(in.Service)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return refuse("account_service", in.Service)
	}
	if !guard.AllowPrivate && source.CheckHost(u.Hostname()) != nil {
		return refuse("account_service_private", u.Hostname())
	}
	in.Service = strings.TrimRight(in.Service, "/")
	if needPassword && strings.TrimSpace(in.AppPassword.Reveal()) == "" {
		return refuse("account_password")
	}
	return nil
}

// Create stores a new Bluesky account with its app password sealed.
func (m *Accounts) Create(ctx context.Context, in AccountInput) (AccountView, error) {
	if err := in.check(true, m.guard); err != nil {
		return AccountView{}, err
	}
	sealed, err := m.box.Seal([]byte(strings.TrimSpace(in.AppPassword.Reveal())))
	if err != nil {
		return AccountView{}, fmt.Errorf("statement: account: seal: %w", err)
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return AccountView{}, fmt.Errorf("statement: account id: %w", err)
	}
	now := m.clk.Now()
	a := store.PublishAccount{ID: PlatformBluesky + "-" + hex.EncodeToString(b[:]), Platform: PlatformBluesky, Name: in.Name,
		Handle: in.Handle, Service: in.Service, Credentials: sealed, Enabled: in.Enabled, CreatedAt: now, UpdatedAt: now}
	if err := m.st.CreatePublishAccount(ctx, a); err != nil {
		return AccountView{}, fmt.Errorf("statement: account: %w", err)
	}
	return accountView(a), nil
}

// Update changes an account; an empty AppPassword keeps the stored one, unless the handle or the
// server changes: the stored password is then asked for again, so that whoever may edit an account
// cannot make the server send its password to another host or use it for another account.
func (m *Accounts) Update(ctx context.Context, id string, in AccountInput) (AccountView, error) {
	a, err := m.st.PublishAccountByID(ctx, id)
	if err != nil {
		return AccountView{}, fmt.Errorf("statement: account %q: %w", id, err)
	}
	if err := in.check(a.Credentials == "", m.guard); err != nil {
		return AccountView{}, err
	}
	if strings.TrimSpace(in.AppPassword.Reveal()) == "" && (!strings.EqualFold(in.Handle, a.Handle) || !sameServer(in.Service, a.Service)) {
		return AccountView{}, refuse("account_password_again")
	}
	if pw := strings.TrimSpace(in.AppPassword.Reveal()); pw != "" {
		if a.Credentials, err = m.box.Seal([]byte(pw)); err != nil {
			return AccountView{}, fmt.Errorf("statement: account: seal: %w", err)
		}
	}
	a.Name, a.Handle, a.Service, a.Enabled, a.UpdatedAt = in.Name, in.Handle, in.Service, in.Enabled, m.clk.Now()
	if err := m.st.UpdatePublishAccount(ctx, a); err != nil {
		return AccountView{}, fmt.Errorf("statement: account %q: %w", id, err)
	}
	return accountView(a), nil
}

// sameServer tells whether two server addresses reach the same host in the same way: scheme, host and
// port, without regard to case or path.
func sameServer(a, b string) bool {
	ua, erra := url.Parse(a)
	ub, errb := url.Parse(b)
	return erra == nil && errb == nil && strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

// Delete removes an account; what it published stays on the statements' records.
func (m *Accounts) Delete(ctx context.Context, id string) error {
	if err := m.st.DeletePublishAccount(ctx, id); err != nil {
		return fmt.Errorf("statement: account %q: %w", id, err)
	}
	return nil
}

// Password opens the app password of a stored account.
func (m *Accounts) Password(a store.PublishAccount) (secret.Secret, error) {
	if a.Credentials == "" {
		return secret.Secret{}, fmt.Errorf("statement: account %q has no app password", a.ID)
	}
	b, err := m.box.Open(a.Credentials)
	if err != nil {
		return secret.Secret{}, fmt.Errorf("statement: account %q: %w", a.ID, err)
	}
	return secret.New(string(b)), nil
}

// Enabled returns the stored accounts that are switched on, for the channel list.
func (m *Accounts) Enabled(ctx context.Context) ([]store.PublishAccount, error) {
	all, err := m.st.PublishAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("statement: accounts: %w", err)
	}
	var out []store.PublishAccount
	for _, a := range all {
		if a.Enabled {
			out = append(out, a)
		}
	}
	return out, nil
}
