package supervisor

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/source"
)

// TestPrivateAddressesRefused: without AllowPrivate the manager refuses a source whose URL names a
// private address, and a source whose name leads to one (stored before, or by DNS) is stopped at the
// connection, with a problem that says why, and never reaches the server.
func TestPrivateAddressesRefused(t *testing.T) {
	e := newEnv(t)
	feed := &feedServer{items: []string{"Interne storing"}}
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)

	sup, _ := e.start(t, func(c *Config) { c.AllowPrivate = false })
	mgr, err := NewManager(e.st, e.box, sup, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{srv.URL + "/rss", "http://169.254.169.254/latest/meta-data/", "http://localhost:8080/feed", "http://[::1]/rss"} {
		_, err := mgr.Create(t.Context(), Input{Kind: "rss", Name: "Intranet", Settings: Settings{URL: u}, Enabled: true})
		if !errors.Is(err, source.ErrBlockedAddress) {
			t.Errorf("Create with %s = %v, want refused", u, err)
		}
	}

	// Stored earlier, or by a name that resolves to loopback: the connection itself is refused.
	if err := e.st.CreateSource(t.Context(), rssSource("oost", srv.URL+"/rss")); err != nil {
		t.Fatal(err)
	}
	syncWhenRunning(t, sup)
	deadline := time.After(5 * time.Second)
	for {
		st := sup.Statuses()["oost"]
		if st.Problem != "" {
			if !strings.Contains(st.Problem, "loopback") || !strings.Contains(st.Problem, source.EnvAllowPrivate) {
				t.Errorf("problem = %q, want it to say the address is loopback and name the setting", st.Problem)
			}
			break
		}
		select {
		case <-deadline:
			t.Fatalf("no problem reported: %+v", st)
		default:
			runtimeGosched()
		}
	}
	if n := feed.count(); n != 0 {
		t.Errorf("the feed server was asked %d times, want never", n)
	}
}
