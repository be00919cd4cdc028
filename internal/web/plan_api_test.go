package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// TestAPIPlanIfMatch: GET /api/v1/plan gives the version as its ETag, and a PUT with If-Match saves
// only on top of that version; without If-Match a PUT saves as before.
func TestAPIPlanIfMatch(t *testing.T) {
	h := newHarness(t)
	token := h.token(h.user(auth.Admin))
	src := startingPlan(t, h)
	put := func(ifMatch, body string) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPut, h.srv.URL+"/api/v1/plan", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/yaml")
		if ifMatch != "" {
			req.Header.Set("If-Match", ifMatch)
		}
		return (&browser{h: h, c: &http.Client{}}).do(req)
	}
	if got := h.api(http.MethodGet, "/api/v1/plan", token, "", nil).header.Get("ETag"); got != `"0"` {
		t.Fatalf("ETag %q, want \"0\"", got)
	}
	tests := []struct {
		name    string
		ifMatch string
		body    string
		status  int
		version int64 // the newest version afterwards
	}{
		{"on the newest version", `"0"`, "# one\n" + src, http.StatusOK, 1},
		{"on a version someone saved over", `"0"`, "# late\n" + src, http.StatusPreconditionFailed, 1},
		{"an If-Match that is no version", `"abc"`, "# bad\n" + src, http.StatusBadRequest, 1},
		{"unquoted, as some clients send it", `1`, "# two\n" + src, http.StatusOK, 2},
		{"without If-Match", "", "# three\n" + src, http.StatusOK, 3},
	}
	for _, tt := range tests {
		r := put(tt.ifMatch, tt.body)
		if r.status != tt.status {
			t.Fatalf("%s: status %d, want %d: %s", tt.name, r.status, tt.status, r.body)
		}
		if _, version := currentPlan(t, h); version != tt.version {
			t.Fatalf("%s: version %d, want %d", tt.name, version, tt.version)
		}
	}
	if got := h.api(http.MethodGet, "/api/v1/plan?format=json", token, "", nil).header.Get("ETag"); got != `"3"` {
		t.Errorf("ETag %q after three saves, want \"3\"", got)
	}
}
