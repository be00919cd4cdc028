package source

import (
	"errors"
	"net/netip"
	"testing"
)

// FuzzCheckAddr: every IPv6 address that carries a refused IPv4 address is refused, every address in
// a range that is never public is refused, and a refusal is always a *BlockedError.
func FuzzCheckAddr(f *testing.F) {
	for _, s := range []string{
		"93.184.216.34", "::1", "::", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::5db8:d822",
		"64:ff9b:1::a9fe:a9fe", "2002:7f00:1::", "2002:5db8:d822::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
		"2001:0:4136:e378:8000:63bf:a247:2ddd", "2001:4860:4860::8888", "fec0::1", "::7f00:1", "::5db8:d822",
		"fd00:ec2::254", "2606:4700::6810:84e5",
	} {
		b := netip.MustParseAddr(s).As16()
		f.Add(b[:])
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) != 16 {
			return
		}
		ip := netip.AddrFrom16([16]byte(raw))
		err := CheckAddr(ip)
		var be *BlockedError
		if err != nil && (!errors.As(err, &be) || !errors.Is(err, ErrBlockedAddress)) {
			t.Fatalf("CheckAddr(%s) = %v, not a *BlockedError", ip, err)
		}
		if v4, ok := embeddedV4(ip.Unmap()); ok && CheckAddr(v4) != nil && err == nil {
			t.Fatalf("CheckAddr(%s) allows it, but it reaches %s, which is refused", ip, v4)
		}
		for _, p := range []netip.Prefix{nat64Local, siteLocal, teredo, v4Compat} {
			if p.Contains(ip) && err == nil {
				t.Fatalf("CheckAddr(%s) allows an address in %s", ip, p)
			}
		}
	})
}
