package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Failed logins allowed per client address within the window. Password hashing already makes each
// guess slow; this stops one address from guessing for long. It counts per address, not per account,
// so an attacker cannot lock a crisis team out of their own accounts by failing on purpose.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	loginMaxTracked  = 10000 // addresses remembered at once; bounds memory under a spread-out attack
)

type loginLimiter struct {
	mu    sync.Mutex
	fails map[string]failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newLoginLimiter() *loginLimiter { return &loginLimiter{fails: map[string]failWindow{}} }

// allowed reports whether addr may try to log in now.
func (l *loginLimiter) allowed(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.fails[addr]
	return !ok || now.Sub(f.start) >= loginWindow || f.n < loginMaxFailures
}

// failed counts a failed login from addr.
func (l *loginLimiter) failed(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.fails[addr]
	if !ok || now.Sub(f.start) >= loginWindow {
		if len(l.fails) >= loginMaxTracked {
			l.sweep(now)
		}
		f = failWindow{start: now}
	}
	f.n++
	l.fails[addr] = f
}

// succeeded forgets the failures of addr.
func (l *loginLimiter) succeeded(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, addr)
}

// sweep drops ended windows, and everything when that is not enough: forgetting some failures is
// better than growing without bound.
func (l *loginLimiter) sweep(now time.Time) {
	for k, f := range l.fails {
		if now.Sub(f.start) >= loginWindow {
			delete(l.fails, k)
		}
	}
	if len(l.fails) >= loginMaxTracked {
		clear(l.fails)
	}
}

// clientAddr is the address a request came from: the peer, or with TrustProxy the address the proxy
// saw, which it appends last to X-Forwarded-For.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
