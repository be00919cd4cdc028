package source

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr string
		why  string // "" means allowed
	}{
		{"93.184.216.34", ""},
		{"2606:4700::6810:84e5", ""},
		{"127.0.0.1", "loopback"},
		{"127.8.9.10", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"fd00:ec2::254", "private"}, // AWS's metadata service over IPv6
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "reserved"},
		{"100.100.100.200", "shared (carrier-grade NAT)"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "reserved"},
		{"198.18.0.1", "benchmarking"},
		{"::ffff:127.0.0.1", "loopback"},         // IPv4-mapped
		{"::ffff:169.254.169.254", "link-local"}, // IPv4-mapped
		{"64:ff9b::a9fe:a9fe", "link-local"},     // NAT64 of 169.254.169.254
		{"64:ff9b::5db8:d822", ""},               // NAT64 of a public address
		{"2002:7f00:1::", "loopback"},            // 6to4 of 127.0.0.1
		{"2002:5db8:d822::1", ""},                // 6to4 of a public address
		{"64:ff9b:1::a9fe:a9fe", "local-use NAT64"},
		{"64:ff9b:1:abcd::5db8:d822", "local-use NAT64"},
		{"2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"},   // Teredo, client 127.0.0.1
		{"2001:0:4136:e378:8000:63bf:5601:5601", "link-local"}, // Teredo, client 169.254.169.254
		{"2001:0:4136:e378:8000:63bf:a247:2ddd", "Teredo tunnel"},
		{"2001:4860:4860::8888", ""}, // just outside Teredo's 2001::/32
		{"fec0::1", "site-local"},
		{"feff:ffff::1", "site-local"},
		{"ff00::1", "multicast"},
		{"::7f00:1", "loopback"},      // IPv4-compatible 127.0.0.1
		{"::a9fe:a9fe", "link-local"}, // IPv4-compatible 169.254.169.254
		{"::a00:1", "private"},        // IPv4-compatible 10.0.0.1
		{"::5db8:d822", "IPv4-compatible"},
	}
	for _, tt := range tests {
		err := CheckAddr(netip.MustParseAddr(tt.addr))
		var be *BlockedError
		switch {
		case tt.why == "" && err != nil:
			t.Errorf("CheckAddr(%s) = %v, want allowed", tt.addr, err)
		case tt.why != "" && (!errors.As(err, &be) || be.Why != tt.why || !errors.Is(err, ErrBlockedAddress)):
			t.Errorf("CheckAddr(%s) = %v, want refused as %s", tt.addr, err, tt.why)
		}
	}
}

func TestCheckHost(t *testing.T) {
	tests := []struct {
		host    string
		blocked bool
	}{
		{"mastodon.social", false},
		{"feeds.nos.nl", false},
		{"localhost", true},
		{"LOCALHOST.", true},
		{"api.localhost", true},
		{"metadata.google.internal", true},
		{"metadata", true},
		{"[::1]", true},
		{"10.0.0.8", true},
		{"8.8.8.8", false},
	}
	for _, tt := range tests {
		if err := CheckHost(tt.host); (err != nil) != tt.blocked {
			t.Errorf("CheckHost(%q) = %v, want blocked %v", tt.host, err, tt.blocked)
		}
	}
}

// TestGuardedClient connects to a real server on loopback: refused by default, with an error that says
// why and names the setting, and reached when private addresses are allowed.
func TestGuardedClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()

	_, err := Guard{}.HTTPClient().Get(srv.URL)
	if !errors.Is(err, ErrBlockedAddress) || !strings.Contains(err.Error(), "loopback") || !strings.Contains(err.Error(), EnvAllowPrivate) {
		t.Fatalf("GET %s = %v, want refused as loopback, naming %s", srv.URL, err, EnvAllowPrivate)
	}
	// The dialer refuses by itself too, whatever name led to the address: this is what stops a name
	// that resolves to a public address when the source is saved and to a private one later.
	d := &net.Dialer{Control: Guard{}.Control}
	if c, err := d.Dial("tcp", srv.Listener.Addr().String()); !errors.Is(err, ErrBlockedAddress) {
		if c != nil {
			c.Close()
		}
		t.Fatalf("dial %s = %v, want refused", srv.Listener.Addr(), err)
	}
	allowed := Guard{AllowPrivate: true}.HTTPClient()
	resp, err := allowed.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET with private addresses allowed: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("body = %q", body)
	}
	// Reconnecting cannot fix a refused address.
	r := &Reconnector{Sleep: func(ctx context.Context, d time.Duration) error { t.Fatal("slept"); return nil }}
	if err := r.Run(t.Context(), func(ctx context.Context, up func()) error { return err0(Guard{}.HTTPClient(), srv.URL) }); !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("Reconnector.Run = %v, want it to give up on a refused address", err)
	}
}

func err0(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

func FuzzCheckHost(f *testing.F) {
	for _, s := range []string{"localhost", "10.0.0.1", "[::1]", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "fec0::1", "::7f00:1", "::5db8:d822", "mastodon.social", "", ".", "[", "%", "x.internal."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		err := CheckHost(host)
		if err != nil && !errors.Is(err, ErrBlockedAddress) {
			t.Fatalf("CheckHost(%q) = %v, not a blocked-address error", host, err)
		}
		if ip, perr := netip.ParseAddr(strings.Trim(host, "[]")); perr == nil && (CheckAddr(ip) == nil) != (err == nil) {
			t.Fatalf("CheckHost(%q) = %v, but CheckAddr says %v", host, err, CheckAddr(ip))
		}
	})
}
