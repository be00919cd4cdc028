package statement

import (
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/secret"
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.check(tt.create)
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
		err := in.check(true)
		if err != nil {
			e, ok := IsRefusal(err)
			if !ok || e.Message("nl") == "" || e.Message("en") == "" || e.Message("nl") == e.Message("en") {
				t.Fatalf("check(%q, %q) = %v", handle, service, err)
			}
			return
		}
		u, perr := url.Parse(in.Service)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || in.Handle == "" {
			t.Fatalf("accepted handle %q service %q", in.Handle, in.Service)
		}
	})
}
