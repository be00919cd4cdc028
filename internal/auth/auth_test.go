package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// Every store implementation can back the service.
var _ auth.Store = store.Store(nil)

var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*auth.Service, *sqlite.Store, *clock.Sim) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "auth.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(t0)
	return auth.New(st, clk, auth.Config{Params: cheap}), st, clk
}

func TestCreateUserValidates(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	if _, err := svc.CreateUser(ctx, "Anna@Example.NL ", "correct horse", auth.Responder); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, email, password string
		role                  auth.Role
		want                  error
	}{
		{"short password", "b@example.nl", "short", auth.Viewer, auth.ErrWeakPassword},
		{"nine characters", "b@example.nl", "123456789", auth.Viewer, auth.ErrWeakPassword},
		{"bad email", "not an email", "long enough pw", auth.Viewer, auth.ErrInvalidEmail},
		{"display name", "Bob <b@example.nl>", "long enough pw", auth.Viewer, auth.ErrInvalidEmail},
		{"unknown role", "b@example.nl", "long enough pw", auth.Role("root"), auth.ErrInvalidRole},
		{"same email other case", "anna@example.nl", "long enough pw", auth.Viewer, auth.ErrUserExists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.CreateUser(ctx, tt.email, tt.password, tt.role)
			if !errors.Is(err, tt.want) {
				t.Fatalf("CreateUser = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLoginAndSessions(t *testing.T) {
	svc, st, clk := newService(t)
	ctx := context.Background()
	u, err := svc.CreateUser(ctx, "anna@example.nl", "correct horse", auth.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$") {
		t.Fatalf("stored hash %q is not argon2id PHC", u.PasswordHash)
	}

	for _, bad := range []struct{ email, password string }{
		{"anna@example.nl", "wrong horse!"},
		{"nobody@example.nl", "correct horse"},
		{"", ""},
	} {
		if _, _, err := svc.Login(ctx, bad.email, bad.password); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("Login(%q, %q) = %v, want ErrInvalidCredentials", bad.email, bad.password, err)
		}
	}

	token, expires, err := svc.Login(ctx, " ANNA@example.nl", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(auth.DefaultSessionTTL); !expires.Equal(want) {
		t.Errorf("expires %v, want %v", expires, want)
	}
	id, err := svc.AuthenticateSession(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if id.User.ID != u.ID || id.Role != auth.Viewer || id.CSRF == "" || id.ViaToken() {
		t.Fatalf("identity %+v", id)
	}
	// The cookie value is not what is stored.
	if _, err := st.SessionByHash(ctx, []byte(token)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session found by its clear token: %v", err)
	}

	// A second login gets its own CSRF secret.
	token2, _, err := svc.Login(ctx, "anna@example.nl", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	id2, err := svc.AuthenticateSession(ctx, token2)
	if err != nil {
		t.Fatal(err)
	}
	if id2.CSRF == id.CSRF || token2 == token {
		t.Fatal("two sessions share a token or CSRF secret")
	}

	// Logout ends only that session.
	if err := svc.Logout(ctx, token2); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateSession(ctx, token2); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("after logout: %v", err)
	}
	if _, err := svc.AuthenticateSession(ctx, token); err != nil {
		t.Fatalf("other session after logout: %v", err)
	}

	// Disabling the user ends access at once; enabling restores it.
	if _, err := svc.CreateUser(ctx, "root@example.nl", "admin password", auth.Admin); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateSession(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("disabled user: %v", err)
	}
	if _, _, err := svc.Login(ctx, "anna@example.nl", "correct horse"); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("disabled user login: %v", err)
	}
	if err := svc.SetDisabled(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateSession(ctx, token); err != nil {
		t.Fatalf("enabled user: %v", err)
	}

	// Sessions end after the TTL, and the janitor removes them.
	clk.Advance(auth.DefaultSessionTTL - time.Second)
	if _, err := svc.AuthenticateSession(ctx, token); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := svc.AuthenticateSession(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("at expiry: %v", err)
	}
	if _, err := svc.PurgeExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}

	for _, garbage := range []string{"", "x", strings.Repeat("a", 43), "cdk_" + strings.Repeat("a", 43)} {
		if _, err := svc.AuthenticateSession(ctx, garbage); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("AuthenticateSession(%q) = %v", garbage, err)
		}
	}
}

func TestAPITokens(t *testing.T) {
	svc, _, clk := newService(t)
	ctx := context.Background()
	anna, err := svc.CreateUser(ctx, "anna@example.nl", "correct horse", auth.Responder)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := svc.CreateUser(ctx, "bob@example.nl", "correct horse", auth.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateAPIToken(ctx, "anna@example.nl", "  "); !errors.Is(err, auth.ErrInvalidTokenName) {
		t.Fatalf("blank name: %v", err)
	}
	if _, err := svc.CreateAPIToken(ctx, "nobody@example.nl", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	clear, err := svc.CreateAPIToken(ctx, "anna@example.nl", "webhook import")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(clear, auth.TokenPrefix) {
		t.Fatalf("token %q lacks the prefix", clear)
	}
	id, err := svc.AuthenticateToken(ctx, clear)
	if err != nil {
		t.Fatal(err)
	}
	if id.User.ID != anna.ID || !id.ViaToken() || id.CSRF != "" || !id.Can(auth.IngestPosts) {
		t.Fatalf("identity %+v", id)
	}
	ts, err := svc.APITokens(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Name != "webhook import" || !ts[0].LastUsed.Equal(t0) {
		t.Fatalf("tokens %+v", ts)
	}
	clk.Advance(time.Hour)

	// Another user cannot revoke it.
	if err := svc.RevokeAPIToken(ctx, bob.ID, ts[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoke by another user: %v", err)
	}
	if err := svc.RevokeAPIToken(ctx, anna.ID, ts[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AuthenticateToken(ctx, clear); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("revoked token: %v", err)
	}
	for _, garbage := range []string{"", "cdk_", "cdk_short", clear[:len(clear)-1] + "A", "Bearer " + clear} {
		if _, err := svc.AuthenticateToken(ctx, garbage); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("AuthenticateToken(%q) = %v", garbage, err)
		}
	}
}

func TestLastAdminIsKept(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	a, err := svc.CreateUser(ctx, "a@example.nl", "correct horse", auth.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetRole(ctx, a.ID, auth.Viewer); !errors.Is(err, auth.ErrLastAdmin) {
		t.Fatalf("demote last admin: %v", err)
	}
	if err := svc.SetDisabled(ctx, a.ID, true); !errors.Is(err, auth.ErrLastAdmin) {
		t.Fatalf("disable last admin: %v", err)
	}
	b, err := svc.CreateUser(ctx, "b@example.nl", "correct horse", auth.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetRole(ctx, b.ID, auth.Admin); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetRole(ctx, a.ID, auth.Viewer); err != nil {
		t.Fatalf("demote with another admin: %v", err)
	}
	if err := svc.SetRole(ctx, 9999, auth.Viewer); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if err := svc.SetRole(ctx, b.ID, auth.Role("boss")); !errors.Is(err, auth.ErrInvalidRole) {
		t.Fatalf("bad role: %v", err)
	}
}

func TestFirstAdminWithPassword(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	tok, err := svc.EnsureFirstAdmin(ctx, "", "from the environment")
	if err != nil || tok != "" {
		t.Fatalf("EnsureFirstAdmin = %q, %v", tok, err)
	}
	u, err := st.UserByEmail(ctx, auth.DefaultAdminEmail)
	if err != nil || u.Role != string(auth.Admin) {
		t.Fatalf("first admin %+v, %v", u, err)
	}
	// With users present it does nothing, whatever it is given.
	tok, err = svc.EnsureFirstAdmin(ctx, "other@example.nl", "")
	if err != nil || tok != "" {
		t.Fatalf("second EnsureFirstAdmin = %q, %v", tok, err)
	}
	if n, _ := st.CountUsers(ctx); n != 1 {
		t.Fatalf("%d users", n)
	}
	if _, err := svc.EnsureFirstAdmin(context.Background(), "", "short"); err != nil {
		t.Fatalf("users exist, so a bad password is not even looked at: %v", err)
	}
}

func TestFirstAdminWeakPassword(t *testing.T) {
	svc, _, _ := newService(t)
	if _, err := svc.EnsureFirstAdmin(context.Background(), "", "short"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Fatalf("EnsureFirstAdmin with a short password = %v", err)
	}
}

func TestSetupTokenIsSingleUse(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	if open, err := svc.SetupOpen(ctx); err != nil || open {
		t.Fatalf("setup open before EnsureFirstAdmin: %v %v", open, err)
	}
	tok, err := svc.EnsureFirstAdmin(ctx, "", "")
	if err != nil || len(tok) < 40 {
		t.Fatalf("EnsureFirstAdmin = %q, %v", tok, err)
	}
	if ok, err := svc.CheckSetupToken(ctx, tok); !ok || err != nil {
		t.Fatalf("CheckSetupToken = %v, %v", ok, err)
	}
	if ok, _ := svc.CheckSetupToken(ctx, tok+"x"); ok {
		t.Fatal("a wrong token passes")
	}
	if _, err := svc.CompleteSetup(ctx, "wrong", "boss@example.nl", "correct horse"); !errors.Is(err, auth.ErrSetupClosed) {
		t.Fatalf("wrong token: %v", err)
	}
	// A weak password leaves the token usable.
	if _, err := svc.CompleteSetup(ctx, tok, "boss@example.nl", "short"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Fatalf("weak password: %v", err)
	}

	// Two concurrent attempts: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.CompleteSetup(ctx, tok, []string{"boss@example.nl", "mallory@example.nl"}[i], "correct horse")
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, auth.ErrSetupClosed):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d setups succeeded, want 1 (%v)", wins, errs)
	}
	if _, err := svc.CompleteSetup(ctx, tok, "again@example.nl", "correct horse"); !errors.Is(err, auth.ErrSetupClosed) {
		t.Fatalf("reuse: %v", err)
	}
	if open, _ := svc.SetupOpen(ctx); open {
		t.Fatal("setup still open")
	}
	if ok, _ := svc.CheckSetupToken(ctx, tok); ok {
		t.Fatal("used token still checks out")
	}
}

func TestSetupClosesWhenAUserAppears(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	tok, err := svc.EnsureFirstAdmin(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	// Someone adds a user from the command line meanwhile.
	if _, err := svc.CreateUser(ctx, "cli@example.nl", "correct horse", auth.Admin); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CompleteSetup(ctx, tok, "boss@example.nl", "correct horse"); !errors.Is(err, auth.ErrSetupClosed) {
		t.Fatalf("setup after a user exists: %v", err)
	}
}

func TestLanguagePreference(t *testing.T) {
	svc, st, _ := newService(t)
	ctx := context.Background()
	u, err := svc.CreateUser(ctx, "anna@example.nl", "correct horse", auth.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetLanguage(ctx, u.ID, "nl"); err != nil {
		t.Fatal(err)
	}
	got, err := st.UserByID(ctx, u.ID)
	if err != nil || got.Lang != "nl" {
		t.Fatalf("lang %q, %v", got.Lang, err)
	}
	for _, bad := range []string{"", "NL", "dutch", "n1"} {
		if err := svc.SetLanguage(ctx, u.ID, bad); !errors.Is(err, auth.ErrInvalidLanguage) {
			t.Errorf("SetLanguage(%q) = %v", bad, err)
		}
	}
}

func TestRehashOnLogin(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "auth.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clk := clock.NewSim(t0)
	old := auth.New(st, clk, auth.Config{Params: cheap})
	if _, err := old.CreateUser(ctx, "anna@example.nl", "correct horse", auth.Viewer); err != nil {
		t.Fatal(err)
	}
	stronger := cheap
	stronger.Memory = 128
	svc := auth.New(st, clk, auth.Config{Params: stronger})
	if _, _, err := svc.Login(ctx, "anna@example.nl", "correct horse"); err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByEmail(ctx, "anna@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.PasswordHash, "m=128,") {
		t.Fatalf("hash %q was not upgraded", u.PasswordHash)
	}
	if _, _, err := svc.Login(ctx, "anna@example.nl", "correct horse"); err != nil {
		t.Fatalf("login with the upgraded hash: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	u, err := svc.CreateUser(ctx, "anna@example.nl", "correct horse", auth.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, current, next string
		want                error
	}{
		{"wrong current", "wrong horse!", "battery staple", auth.ErrInvalidCredentials},
		{"weak new", "correct horse", "short", auth.ErrWeakPassword},
		{"good", "correct horse", "battery staple", nil},
		{"old one no longer current", "correct horse", "another one!", auth.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := svc.ChangePassword(ctx, u.ID, tt.current, tt.next); !errors.Is(err, tt.want) {
				t.Fatalf("ChangePassword = %v, want %v", err, tt.want)
			}
		})
	}
	if _, _, err := svc.Login(ctx, "anna@example.nl", "battery staple"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	if _, _, err := svc.Login(ctx, "anna@example.nl", "correct horse"); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("login with the old password: %v", err)
	}
	if err := svc.SetPassword(ctx, u.ID, "set by an admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Login(ctx, "anna@example.nl", "set by an admin"); err != nil {
		t.Fatalf("login with the reset password: %v", err)
	}
	if err := svc.SetPassword(ctx, 9999, "set by an admin"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}
