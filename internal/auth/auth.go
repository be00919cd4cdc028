// Package auth owns who may use crisisdesk: users and their argon2id password hashes, roles and
// permissions, browser sessions with their CSRF secrets, API tokens, and the setup of the first admin.
// Only SHA-256 hashes of session cookies, API tokens and the setup token are kept; the clear values are
// handed out once.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Errors callers tell apart. Each carries a reason that is safe to show the user who caused it.
var (
	ErrWeakPassword       = errors.New("password does not meet the rules")
	ErrInvalidEmail       = errors.New("invalid email address")
	ErrInvalidRole        = errors.New("invalid role")
	ErrInvalidLanguage    = errors.New("invalid language")
	ErrInvalidTokenName   = errors.New("invalid token name")
	ErrUserExists         = errors.New("a user with this email address already exists")
	ErrInvalidCredentials = errors.New("wrong email address or password")
	ErrUnauthenticated    = errors.New("not authenticated")
	ErrLastAdmin          = errors.New("this would leave no active admin")
	ErrSetupClosed        = errors.New("setup is not open: the link was used, is wrong, or users exist")
)

// Store is the part of the store auth needs. store.Store satisfies it.
type Store interface {
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u *store.User) error
	UserByID(ctx context.Context, id int64) (store.User, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	Users(ctx context.Context) ([]store.User, error)
	UpdateUser(ctx context.Context, u store.User) error

	CreateSession(ctx context.Context, s store.Session) error
	SessionByHash(ctx context.Context, hash []byte) (store.Session, error)
	DeleteSession(ctx context.Context, hash []byte) error
	DeleteSessionsBefore(ctx context.Context, t time.Time) (int, error)

	CreateAPIToken(ctx context.Context, t *store.APIToken) error
	APITokenByHash(ctx context.Context, hash []byte) (store.APIToken, error)
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	APITokensByUser(ctx context.Context, userID int64) ([]store.APIToken, error)
	DeleteAPIToken(ctx context.Context, userID, id int64) error
}

// Config tunes the service. The zero value is usable.
type Config struct {
	// Params are the argon2id costs for new hashes; zero means DefaultParams. Tests use cheap ones.
	Params Params
	// SessionTTL is how long a browser session lasts from login; zero means 12 hours. Sessions do not
	// slide: a crisis shift ends with a fresh login, and a stolen cookie dies within one shift.
	SessionTTL time.Duration
	// MaxConcurrentHashes bounds simultaneous argon2 runs, each of which takes Params.Memory; zero
	// means 4. Further logins wait their turn instead of exhausting memory.
	MaxConcurrentHashes int
	Logger              *slog.Logger
}

// DefaultSessionTTL is the session lifetime when Config leaves it zero.
const DefaultSessionTTL = 12 * time.Hour

// TokenPrefix starts every API token, so a leaked token is recognisable in logs and by secret scanners.
const TokenPrefix = "cdk_"

// DefaultAdminEmail is the first admin's address when none is given.
const DefaultAdminEmail = "admin@localhost"

// touchEvery limits how often a token's last use is written, so busy API clients cost no write each.
const touchEvery = time.Minute

// Service authenticates users and manages accounts, sessions and tokens. It is safe for concurrent use.
type Service struct {
	st     Store
	clk    clock.Clock
	params Params
	ttl    time.Duration
	log    *slog.Logger
	sem    chan struct{}

	dummyOnce sync.Once
	dummyHash string // hashed on first use, so unknown emails take as long as wrong passwords

	adminMu sync.Mutex // serialises role and status changes, so two admins cannot demote each other at once

	setupMu   sync.Mutex
	setupHash [sha256.Size]byte
	setupOpen bool
}

// New returns a Service over st.
func New(st Store, clk clock.Clock, cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	if cfg.MaxConcurrentHashes <= 0 {
		cfg.MaxConcurrentHashes = 4
	}
	return &Service{
		st:     st,
		clk:    clk,
		params: cfg.Params.orDefault(),
		ttl:    cfg.SessionTTL,
		log:    cfg.Logger.With("component", "auth"),
		sem:    make(chan struct{}, cfg.MaxConcurrentHashes),
	}
}

// Identity is an authenticated user and how they came in.
type Identity struct {
	User store.User
	Role Role
	// CSRF is the session's CSRF secret; it is empty for API tokens, which need none.
	CSRF string
	// TokenID is the API token used, or 0 for a browser session.
	TokenID int64
}

// Can reports whether the identity holds permission p.
func (id Identity) Can(p Permission) bool { return Can(id.Role, p) }

// ViaToken reports whether the identity came with an API token rather than a browser session.
func (id Identity) ViaToken() bool { return id.TokenID != 0 }

// NormalizeEmail trims and lower-cases an address and checks that it is a bare address such as
// anna@example.nl, without a display name.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" || len(e) > 254 {
		return "", fmt.Errorf("%w: %q", ErrInvalidEmail, email)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", fmt.Errorf("%w: %q", ErrInvalidEmail, email)
	}
	return e, nil
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	return HashPassword(password, s.params)
}

func (s *Service) verify(ctx context.Context, password, encoded string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer s.release()
	return VerifyPassword(password, encoded)
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("auth: waiting to hash: %w", ctx.Err())
	}
}

func (s *Service) release() { <-s.sem }

// CreateUser adds a user with the given role. The language starts empty, which means "as the browser or
// the server default says".
func (s *Service) CreateUser(ctx context.Context, email, password string, role Role) (store.User, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return store.User{}, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return store.User{}, err
	}
	if err := CheckPassword(password); err != nil {
		return store.User{}, err
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return store.User{}, fmt.Errorf("auth: hash password: %w", err)
	}
	u := store.User{Email: e, PasswordHash: h, Role: string(role), CreatedAt: s.clk.Now()}
	if err := s.st.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return store.User{}, fmt.Errorf("%w: %s", ErrUserExists, e)
		}
		return store.User{}, fmt.Errorf("auth: create user %s: %w", e, err)
	}
	s.log.Info("user created", "user_id", u.ID, "email", e, "role", role)
	return u, nil
}

// Login checks an email address and password and starts a session. It returns the clear session token,
// to be set as a cookie, and when the session ends. Unknown addresses, wrong passwords and disabled
// accounts all give ErrInvalidCredentials after the same amount of work, so the answer does not tell
// which addresses exist.
func (s *Service) Login(ctx context.Context, email, password string) (token string, expires time.Time, err error) {
	e, err := NormalizeEmail(email)
	if err != nil || len(password) > MaxPasswordLen {
		s.burnHash(ctx, password)
		return "", time.Time{}, ErrInvalidCredentials
	}
	u, err := s.st.UserByEmail(ctx, e)
	if errors.Is(err, store.ErrNotFound) {
		s.burnHash(ctx, password)
		return "", time.Time{}, ErrInvalidCredentials
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: login %s: %w", e, err)
	}
	ok, err := s.verify(ctx, password, u.PasswordHash)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: login %s: %w", e, err)
	}
	if !ok || u.Disabled {
		s.log.Info("login refused", "email", e, "disabled", u.Disabled)
		return "", time.Time{}, ErrInvalidCredentials
	}
	s.upgradeHash(ctx, u, password)
	token, expires, err = s.startSession(ctx, u.ID)
	if err != nil {
		return "", time.Time{}, err
	}
	s.log.Info("login", "user_id", u.ID)
	return token, expires, nil
}

// burnHash spends the time of one verification on a throwaway hash.
func (s *Service) burnHash(ctx context.Context, password string) {
	s.dummyOnce.Do(func() {
		h, err := HashPassword("not a real password, only for timing", s.params)
		if err != nil {
			s.log.Error("make timing hash", "err", err)
		}
		s.dummyHash = h
	})
	if s.dummyHash == "" {
		return
	}
	if _, err := s.verify(ctx, password, s.dummyHash); err != nil {
		s.log.Debug("timing hash", "err", err)
	}
}

// upgradeHash rehashes a password whose stored hash used other parameters than today's, so raising
// the costs reaches every active user. A failure is logged: the login itself succeeded.
func (s *Service) upgradeHash(ctx context.Context, u store.User, password string) {
	p, _, _, err := decodeHash(u.PasswordHash)
	if err != nil || (p.Memory == s.params.Memory && p.Time == s.params.Time && p.Threads == s.params.Threads &&
		p.KeyLen == s.params.KeyLen && p.SaltLen == s.params.SaltLen) {
		return
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		s.log.Warn("rehash password", "user_id", u.ID, "err", err)
		return
	}
	u.PasswordHash = h
	if err := s.st.UpdateUser(ctx, u); err != nil {
		s.log.Warn("store rehashed password", "user_id", u.ID, "err", err)
	}
}

func (s *Service) startSession(ctx context.Context, userID int64) (string, time.Time, error) {
	token, err := randomString(32)
	if err != nil {
		return "", time.Time{}, err
	}
	csrf, err := randomString(32)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.clk.Now()
	sess := store.Session{Hash: hashToken(token), UserID: userID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: create session for user %d: %w", userID, err)
	}
	return token, sess.ExpiresAt, nil
}

// sessionTokenLen is the length of a base64url-encoded 32-byte token.
var sessionTokenLen = base64.RawURLEncoding.EncodedLen(32)

// AuthenticateSession returns the identity behind a session cookie. A missing, unknown or expired
// session, or a disabled user, is ErrUnauthenticated. The user is read on every call, so disabling an
// account or changing a role takes effect at once.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (Identity, error) {
	if len(token) != sessionTokenLen {
		return Identity{}, ErrUnauthenticated
	}
	h := hashToken(token)
	sess, err := s.st.SessionByHash(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, ErrUnauthenticated
	}
	if err != nil {
		return Identity{}, fmt.Errorf("auth: read session: %w", err)
	}
	if !s.clk.Now().Before(sess.ExpiresAt) {
		if err := s.st.DeleteSession(ctx, h); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("delete expired session", "err", err)
		}
		return Identity{}, ErrUnauthenticated
	}
	id, err := s.identity(ctx, sess.UserID)
	if err != nil {
		return Identity{}, err
	}
	id.CSRF = sess.CSRF
	return id, nil
}

// AuthenticateToken returns the identity behind an API token.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (Identity, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) != len(TokenPrefix)+sessionTokenLen {
		return Identity{}, ErrUnauthenticated
	}
	t, err := s.st.APITokenByHash(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, ErrUnauthenticated
	}
	if err != nil {
		return Identity{}, fmt.Errorf("auth: read API token: %w", err)
	}
	id, err := s.identity(ctx, t.UserID)
	if err != nil {
		return Identity{}, err
	}
	id.TokenID = t.ID
	if now := s.clk.Now(); t.LastUsed.IsZero() || now.Sub(t.LastUsed) >= touchEvery {
		if err := s.st.TouchAPIToken(ctx, t.ID, now); err != nil {
			s.log.Warn("record token use", "token_id", t.ID, "err", err)
		}
	}
	return id, nil
}

func (s *Service) identity(ctx context.Context, userID int64) (Identity, error) {
	u, err := s.st.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return Identity{}, ErrUnauthenticated
	}
	if err != nil {
		return Identity{}, fmt.Errorf("auth: read user %d: %w", userID, err)
	}
	if u.Disabled {
		return Identity{}, ErrUnauthenticated
	}
	r, err := ParseRole(u.Role)
	if err != nil {
		s.log.Error("user has an unknown role; refusing access", "user_id", u.ID, "role", u.Role)
		return Identity{}, ErrUnauthenticated
	}
	return Identity{User: u, Role: r}, nil
}

// Logout ends the session with the given cookie value. Ending a session that does not exist is not an
// error: the outcome is the same.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if err := s.st.DeleteSession(ctx, hashToken(token)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("auth: delete session: %w", err)
	}
	return nil
}

// PurgeExpiredSessions deletes sessions that have ended and returns how many.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int, error) {
	n, err := s.st.DeleteSessionsBefore(ctx, s.clk.Now())
	if err != nil {
		return 0, fmt.Errorf("auth: purge sessions: %w", err)
	}
	return n, nil
}

// RunJanitor purges expired sessions every interval until ctx is cancelled. A failed purge is logged and
// retried at the next tick.
func (s *Service) RunJanitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.PurgeExpiredSessions(ctx); err != nil {
				s.log.Warn("purge sessions", "err", err)
			} else if n > 0 {
				s.log.Debug("purged sessions", "count", n)
			}
		}
	}
}

// Users returns every user.
func (s *Service) Users(ctx context.Context) ([]store.User, error) {
	us, err := s.st.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: list users: %w", err)
	}
	return us, nil
}

// SetRole changes the role of user id. Demoting the last active admin is ErrLastAdmin.
func (s *Service) SetRole(ctx context.Context, id int64, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return s.changeUser(ctx, id, func(u *store.User) { u.Role = string(role) })
}

// SetDisabled disables or enables user id. A disabled user cannot log in, and their sessions and
// tokens stop working at once. Disabling the last active admin is ErrLastAdmin.
func (s *Service) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.changeUser(ctx, id, func(u *store.User) { u.Disabled = disabled })
}

func (s *Service) changeUser(ctx context.Context, id int64, change func(*store.User)) error {
	s.adminMu.Lock()
	defer s.adminMu.Unlock()
	us, err := s.st.Users(ctx)
	if err != nil {
		return fmt.Errorf("auth: list users: %w", err)
	}
	var target *store.User
	activeAdmins := 0
	for i := range us {
		if us[i].ID == id {
			target = &us[i]
		}
		if us[i].Role == string(Admin) && !us[i].Disabled {
			activeAdmins++
		}
	}
	if target == nil {
		return fmt.Errorf("auth: user %d: %w", id, store.ErrNotFound)
	}
	wasAdmin := target.Role == string(Admin) && !target.Disabled
	change(target)
	if wasAdmin && (target.Role != string(Admin) || target.Disabled) && activeAdmins <= 1 {
		return ErrLastAdmin
	}
	if err := s.st.UpdateUser(ctx, *target); err != nil {
		return fmt.Errorf("auth: update user %d: %w", id, err)
	}
	s.log.Info("user changed", "user_id", id, "role", target.Role, "disabled", target.Disabled)
	return nil
}

// SetLanguage records the preferred UI language of user id, a two-letter code such as nl or en.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) error {
	if len(lang) != 2 || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z' {
		return fmt.Errorf("%w: %q", ErrInvalidLanguage, lang)
	}
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return fmt.Errorf("auth: read user %d: %w", id, err)
	}
	if u.Lang == lang {
		return nil
	}
	u.Lang = lang
	if err := s.st.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("auth: update user %d: %w", id, err)
	}
	return nil
}

// ChangePassword sets a new password for user id after checking the current one. A wrong current
// password is ErrInvalidCredentials.
func (s *Service) ChangePassword(ctx context.Context, id int64, current, next string) error {
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return fmt.Errorf("auth: read user %d: %w", id, err)
	}
	ok, err := s.verify(ctx, current, u.PasswordHash)
	if err != nil {
		return fmt.Errorf("auth: change password of user %d: %w", id, err)
	}
	if !ok {
		return ErrInvalidCredentials
	}
	return s.SetPassword(ctx, id, next)
}

// SetPassword sets a new password for user id without asking for the old one; it is for admins
// helping someone who forgot theirs.
func (s *Service) SetPassword(ctx context.Context, id int64, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return fmt.Errorf("auth: hash password: %w", err)
	}
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return fmt.Errorf("auth: read user %d: %w", id, err)
	}
	u.PasswordHash = h
	if err := s.st.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("auth: update user %d: %w", id, err)
	}
	s.log.Info("password changed", "user_id", id)
	return nil
}

// MaxTokenNameLen bounds an API token's name.
const MaxTokenNameLen = 100

// CreateAPIToken makes an API token for the user with the given email address and returns it in the
// clear. Only its hash is stored, so this is the one chance to see it.
func (s *Service) CreateAPIToken(ctx context.Context, email, name string) (string, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	u, err := s.st.UserByEmail(ctx, e)
	if err != nil {
		return "", fmt.Errorf("auth: token for %s: %w", e, err)
	}
	if u.Disabled {
		return "", fmt.Errorf("auth: token for %s: the user is disabled", e)
	}
	token, _, err := s.CreateAPITokenFor(ctx, u.ID, name)
	return token, err
}

// CreateAPITokenFor makes an API token for user id and returns it in the clear with its stored record.
func (s *Service) CreateAPITokenFor(ctx context.Context, userID int64, name string) (string, store.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > MaxTokenNameLen {
		return "", store.APIToken{}, fmt.Errorf("%w: a name of 1 to %d characters is needed", ErrInvalidTokenName, MaxTokenNameLen)
	}
	secret, err := randomString(32)
	if err != nil {
		return "", store.APIToken{}, err
	}
	token := TokenPrefix + secret
	t := store.APIToken{UserID: userID, Name: name, Hash: hashToken(token), CreatedAt: s.clk.Now()}
	if err := s.st.CreateAPIToken(ctx, &t); err != nil {
		return "", store.APIToken{}, fmt.Errorf("auth: create token for user %d: %w", userID, err)
	}
	s.log.Info("API token created", "user_id", userID, "token_id", t.ID, "name", name)
	return token, t, nil
}

// APITokens returns the tokens of user id, newest first.
func (s *Service) APITokens(ctx context.Context, userID int64) ([]store.APIToken, error) {
	ts, err := s.st.APITokensByUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens of user %d: %w", userID, err)
	}
	return ts, nil
}

// RevokeAPIToken deletes token id of user userID. Another user's token is store.ErrNotFound.
func (s *Service) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	if err := s.st.DeleteAPIToken(ctx, userID, id); err != nil {
		return fmt.Errorf("auth: revoke token %d of user %d: %w", id, userID, err)
	}
	s.log.Info("API token revoked", "user_id", userID, "token_id", id)
	return nil
}

// EnsureFirstAdmin makes sure someone can administer a fresh installation. When users exist it does
// nothing. Otherwise, with a password it creates the admin at email (DefaultAdminEmail when empty); with
// no password it opens setup and returns a one-time setup token for the /setup page, which main shows
// in its log. The token stays valid until the first user exists or the process ends.
func (s *Service) EnsureFirstAdmin(ctx context.Context, email, password string) (setupToken string, err error) {
	n, err := s.st.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("auth: count users: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	if email == "" {
		email = DefaultAdminEmail
	}
	if password != "" {
		if _, err := s.CreateUser(ctx, email, password, Admin); err != nil {
			return "", fmt.Errorf("auth: create first admin: %w", err)
		}
		return "", nil
	}
	token, err := randomString(32)
	if err != nil {
		return "", err
	}
	s.setupMu.Lock()
	s.setupHash = sha256.Sum256([]byte(token))
	s.setupOpen = true
	s.setupMu.Unlock()
	return token, nil
}

// SetupOpen reports whether the first admin can still be made through setup.
func (s *Service) SetupOpen(ctx context.Context) (bool, error) {
	s.setupMu.Lock()
	open := s.setupOpen
	s.setupMu.Unlock()
	if !open {
		return false, nil
	}
	n, err := s.st.CountUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("auth: count users: %w", err)
	}
	return n == 0, nil
}

// CheckSetupToken reports whether token is the open setup token, without using it up.
func (s *Service) CheckSetupToken(ctx context.Context, token string) (bool, error) {
	open, err := s.SetupOpen(ctx)
	if err != nil || !open {
		return false, err
	}
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	h := sha256.Sum256([]byte(token))
	return s.setupOpen && subtle.ConstantTimeCompare(h[:], s.setupHash[:]) == 1, nil
}

// CompleteSetup creates the first admin with the setup token. The token works once: it closes on
// success, and it never works once any user exists. A rejected email address or password leaves it
// open, so the admin can try again.
func (s *Service) CompleteSetup(ctx context.Context, token, email, password string) (store.User, error) {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	h := sha256.Sum256([]byte(token))
	if !s.setupOpen || subtle.ConstantTimeCompare(h[:], s.setupHash[:]) != 1 {
		return store.User{}, ErrSetupClosed
	}
	n, err := s.st.CountUsers(ctx)
	if err != nil {
		return store.User{}, fmt.Errorf("auth: count users: %w", err)
	}
	if n > 0 {
		s.setupOpen = false
		return store.User{}, ErrSetupClosed
	}
	u, err := s.CreateUser(ctx, email, password, Admin)
	if err != nil {
		return store.User{}, err
	}
	s.setupOpen = false
	s.setupHash = [sha256.Size]byte{}
	return u, nil
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is how session cookies and API tokens are stored: the tokens carry 256 random bits, so a
// fast hash is enough, and a database leak does not give working credentials.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
