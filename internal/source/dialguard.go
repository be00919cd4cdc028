package source

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// EnvAllowPrivate names the setting that lets sources reach private, loopback and link-local
// addresses: intranet feeds, a Jetstream or Mastodon instance on the same network, and tests.
const EnvAllowPrivate = "CRISISDESK_SOURCES_ALLOW_PRIVATE"

// ErrBlockedAddress is a connection refused because it would reach an address that sources may not
// reach: whoever may configure a source could otherwise make the server read its own network, such as
// a cloud's metadata service with its credentials, and show the answer in a source's errors.
var ErrBlockedAddress = errors.New("sources may only connect to public addresses")

// BlockedError says which address was refused and why.
type BlockedError struct {
	Addr string // the IP address, or the host name refused before any lookup
	Why  string // loopback, private, link-local, …
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("%s is a %s address; %v unless %s is set", e.Addr, e.Why, ErrBlockedAddress, EnvAllowPrivate)
}

// Is makes errors.Is(err, ErrBlockedAddress) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlockedAddress }

// blockedPrefixes are ranges that netip's own tests do not name but that are no public internet.
var blockedPrefixes = []struct {
	p   netip.Prefix
	why string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "reserved"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"}, // also Alibaba Cloud's metadata service
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // includes the broadcast address
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{nat64Local, "local-use NAT64"},
	{siteLocal, "site-local"},
	{teredo, "Teredo tunnel"},
	{v4Compat, "IPv4-compatible"},
}

// IPv6 ranges that carry an IPv4 address, and ranges that are no public internet however they are
// routed.
var (
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
	teredo      = netip.MustParsePrefix("2001::/32")
	v4Compat    = netip.MustParsePrefix("::/96")
	nat64Local  = netip.MustParsePrefix("64:ff9b:1::/48")
	siteLocal   = netip.MustParsePrefix("fec0::/10")
	unspecified = netip.IPv6Unspecified()
	loopback6   = netip.IPv6Loopback()
)

// embeddedV4 is the IPv4 address an IPv6 address reaches through a translation or tunnel: NAT64 and
// IPv4-compatible addresses carry it in their last 32 bits, 6to4 in bits 16 to 47, and Teredo as the
// client's address with every bit flipped in its last 32 bits.
func embeddedV4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	case teredo.Contains(ip):
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	case v4Compat.Contains(ip) && ip != unspecified && ip != loopback6:
		return netip.AddrFrom4([4]byte(b[12:16])), true
	}
	return netip.Addr{}, false
}

// CheckAddr returns a *BlockedError when ip is not a public unicast address. IPv4 addresses inside
// IPv6 (mapped, NAT64, 6to4, Teredo and IPv4-compatible) are checked as the IPv4 address they carry,
// since they reach it; Teredo and IPv4-compatible addresses are refused even when that one is public,
// as are local-use NAT64 (64:ff9b:1::/48) and site-local (fec0::/10) addresses, which no public
// server has.
func CheckAddr(ip netip.Addr) error {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return &BlockedError{Addr: "an invalid address", Why: "invalid"}
	}
	if ip.Is6() {
		if v4, ok := embeddedV4(ip); ok {
			if err := CheckAddr(v4); err != nil {
				return &BlockedError{Addr: ip.String(), Why: err.(*BlockedError).Why}
			}
		}
	}
	why := ""
	switch {
	case ip.IsLoopback():
		why = "loopback"
	case ip.IsPrivate():
		why = "private"
	case ip.IsLinkLocalUnicast():
		why = "link-local" // 169.254.169.254, the metadata service of most clouds, is one
	case ip.IsUnspecified():
		why = "unspecified"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		why = "multicast"
	}
	for _, b := range blockedPrefixes {
		if why == "" && b.p.Contains(ip) {
			why = b.why
		}
	}
	if why != "" {
		return &BlockedError{Addr: ip.String(), Why: why}
	}
	return nil
}

// CheckHost refuses, before any lookup, a host that is an address CheckAddr refuses or a name that
// always means this machine or a cloud's metadata service. Other names are checked when they are
// dialled, against every address they resolve to then, which also catches DNS rebinding.
func CheckHost(host string) error {
	h := strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if ip, err := netip.ParseAddr(h); err == nil {
		return CheckAddr(ip)
	}
	switch {
	case h == "localhost" || strings.HasSuffix(h, ".localhost"):
		return &BlockedError{Addr: host, Why: "loopback"}
	case h == "metadata" || h == "metadata.google.internal" || strings.HasSuffix(h, ".internal"):
		return &BlockedError{Addr: host, Why: "internal"}
	}
	return nil
}

// Guard decides which addresses a source may connect to. The zero Guard allows only public ones.
type Guard struct {
	AllowPrivate bool
}

// Control is a net.Dialer Control function: it runs after the name was resolved and before each
// connection attempt, with the address actually dialled, so a name that resolves to a public address
// when a source is saved and to a private one later is still refused.
func (g Guard) Control(network, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &BlockedError{Addr: address, Why: "unparsable"}
	}
	return CheckAddr(ap.Addr())
}

// HTTPClient returns a client for sources whose every connection, redirects and proxies included,
// passes Control. It sets no overall timeout, which would cut a stream; connectors bound their own
// requests.
func (g Guard) HTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: g.Control}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	// Through a proxy only the proxy's address is dialled here, so the target is checked before: a
	// literal address or a local name is refused; a name the proxy resolves is the proxy's to guard.
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if !g.AllowPrivate {
			if err := CheckHost(req.URL.Hostname()); err != nil {
				return nil, err
			}
		}
		return http.ProxyFromEnvironment(req)
	}
	return &http.Client{Transport: t}
}
