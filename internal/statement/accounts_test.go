package statement

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

func TestAccountInputCheck(t *testing.T) {
	tests := []struct {
		name     string
		in       AccountInput
		create   bool
		wantCode string
		service  string
	}{
		{"handle with @ and default server", AccountInput{Name: "G", Handle: "@gemeente.bsky.social", AppPassword: secret.New("p")}, true, "", DefaultBlueskyService},
		{"DID and own PDS", AccountInput{Name: "G", Handle: "did:plc:abc123", Service: "https://pds.example.nl/", AppPassword: secret.New("p")}, true, "", "https://pds.example.nl"},
		{"no name", AccountInput{Handle: "g.bsky.social", AppPassword: secret.New("p")}, true, "account_name", ""},
		{"one label", AccountInput{Name: "G", Handle: "gemeente", AppPassword: secret.New("p")}, true, "account_handle", ""},
		{"spaces", AccountInput{Name: "G", Handle: "ge meente.nl", AppPassword: secret.New("p")}, true, "account_handle", ""},
		{"server with password", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "https://u:p@pds.example.nl", AppPassword: secret.New("p")}, true, "account_service", ""},
		{"server not http", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "ftp://pds.example.nl", AppPassword: secret.New("p")}, true, "account_service", ""},
		{"no password on create", AccountInput{Name: "G", Handle: "g.bsky.social"}, true, "account_password", ""},
		{"no password on update", AccountInput{Name: "G", Handle: "g.bsky.social"}, false, "", DefaultBlueskyService},
		{"loopback server", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "http://127.0.0.1:2583", AppPassword: secret.New("p")}, true, "account_service_private", ""},
		{"metadata server", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "http://169.254.169.254/", AppPassword: secret.New("p")}, true, "account_service_private", ""},
		{"internal name", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "http://metadata.google.internal", AppPassword: secret.New("p")}, true, "account_service_private", ""},
		{"localhost", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "https://LOCALHOST:8443", AppPassword: secret.New("p")}, true, "account_service_private", ""},
		{"private IPv6", AccountInput{Name: "G", Handle: "g.bsky.social", Service: "https://[fd00::1]/", AppPassword: secret.New("p")}, true, "account_service_private", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.check(tt.create, source.Guard{})
			if tt.wantCode == "" {
				if err != nil || in.Service != tt.service || strings.HasPrefix(in.Handle, "@") {
					t.Fatalf("check = %v, service %q handle %q", err, in.Service, in.Handle)
				}
				return
			}
			e, ok := IsRefusal(err)
			if !ok || e.Code != tt.wantCode {
				t.Fatalf("check = %v, want %s", err, tt.wantCode)
			}
		})
	}
}

// FuzzAccountInput checks that any handle and server either pass as a usable account or are refused
// with a reason in both languages.
func FuzzAccountInput(f *testing.F) {
	f.Add("gemeente.bsky.social", "")
	f.Add("did:plc:abc", "https://pds.example.nl/")
	f.Add("@x", "http://[::1]:8080")
	f.Add("a..b", "https://u@h")
	f.Add("xn--bcher-kva.example", "https://h/path?q=1")
	f.Fuzz(func(t *testing.T, handle, service string) {
		in := AccountInput{Name: "G", Handle: handle, Service: service, AppPassword: secret.New("p")}
		err := in.check(true, source.Guard{})
		if err != nil {
			e, ok := IsRefusal(err)
			if !ok || e.Message("nl") == "" || e.Message("en") == "" || e.Message("nl") == e.Message("en") {
				t.Fatalf("check(%q, %q) = %v", handle, service, err)
			}
			return
		}
		u, perr := url.Parse(in.Service)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || in.Handle == "" || source.CheckHost(u.Hostname()) != nil {
			t.Fatalf("accepted handle %q service %q", in.Handle, in.Service)
		}
	})
}

// TestAccountServerGuard checks that a private server is allowed only when the guard allows private
// addresses, with the refusal worded in both languages.
func TestAccountServerGuard(t *testing.T) {
	in := AccountInput{Name: "G", Handle: "g.bsky.social", Service: "http://10.0.0.5:2583/", AppPassword: secret.New("p")}
	err := in.check(true, source.Guard{})
	e, ok := IsRefusal(err)
	if !ok || e.Code != "account_service_private" || !strings.Contains(e.Message("nl"), "10.0.0.5") ||
		!strings.Contains(e.Message("en"), source.EnvAllowPrivate) || e.Message("nl") == e.Message("en") {
		t.Fatalf("check = %v", err)
	}
	in = AccountInput{Name: "G", Handle: "g.bsky.social", Service: "http://10.0.0.5:2583/", AppPassword: secret.New("p")}
	if err := in.check(true, source.Guard{AllowPrivate: true}); err != nil || in.Service != "http://10.0.0.5:2583" {
		t.Fatalf("with private addresses allowed: check = %v, service %q", err, in.Service)
	}
}

// TestAccountUpdateAsksPasswordAgain checks that an update which points the account at another server
// or handle needs the app password again, and that the stored one is kept otherwise.
func TestAccountUpdateAsksPasswordAgain(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := secret.NewBox([]byte(strings.Repeat("k", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	m := NewAccounts(st, box, clock.NewSim(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)), source.Guard{})
	acc, err := m.Create(ctx, AccountInput{Name: "G", Handle: "gemeente.bsky.social", Service: "https://pds.example.nl",
		AppPassword: secret.New("old-pass"), Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       AccountInput
		wantCode string
	}{
		{"other host", AccountInput{Name: "G", Handle: "gemeente.bsky.social", Service: "https://evil.example.com"}, "account_password_again"},
		{"other port", AccountInput{Name: "G", Handle: "gemeente.bsky.social", Service: "https://pds.example.nl:8443"}, "account_password_again"},
		{"plain http", AccountInput{Name: "G", Handle: "gemeente.bsky.social", Service: "http://pds.example.nl"}, "account_password_again"},
		{"other handle", AccountInput{Name: "G", Handle: "ander.bsky.social", Service: "https://pds.example.nl"}, "account_password_again"},
		{"same server, other case and slash", AccountInput{Name: "G2", Handle: "@Gemeente.bsky.social", Service: "https://PDS.example.nl/"}, ""},
		{"other host with password", AccountInput{Name: "G", Handle: "gemeente.bsky.social", Service: "https://pds2.example.nl", AppPassword: secret.New("new-pass")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := st.PublishAccountByID(ctx, acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Update(ctx, acc.ID, tt.in)
			after, gerr := st.PublishAccountByID(ctx, acc.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if tt.wantCode != "" {
				e, ok := IsRefusal(err)
				if !ok || e.Code != tt.wantCode || e.Message("nl") == e.Message("en") {
					t.Fatalf("Update = %v, want %s", err, tt.wantCode)
				}
				if after.Service != before.Service || after.Handle != before.Handle || after.Credentials != before.Credentials {
					t.Fatalf("a refused update changed the account: %+v", after)
				}
				return
			}
			if err != nil {
				t.Fatalf("Update = %v", err)
			}
			pw, err := m.Password(after)
			want := "old-pass"
			if tt.in.AppPassword.Reveal() != "" {
				want = tt.in.AppPassword.Reveal()
			}
			if err != nil || pw.Reveal() != want {
				t.Fatalf("password after update = %v, want the %s one", err, want)
			}
		})
	}
	if _, err := m.Update(ctx, "bluesky-none", AccountInput{Name: "G", Handle: "g.bsky.social"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Update of a missing account = %v", err)
	}
}
