package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// TestPostLinkClaim: a responder links a post found on the posts page to a claim of an open incident;
// the claim lists it as a source in the room and the export, and the timeline says so. A viewer is
// not offered the form.
func TestPostLinkClaim(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h)
	id, err := strconv.ParseInt(strings.TrimPrefix(room, "/incidents/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := h.web.deps.Incidents.AddClaim(context.Background(), id, incident.ClaimInput{Text: "The leak is a hack"}, "lead@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	h.insert(testPost("leak-1", "bluesky", "Hackers broke into Acme, I read", now, "en"))

	page := b.get("/posts?q=hackers")
	key := strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(claim.ID, 10)
	for _, want := range []string{`action="/posts/claims"`, `value="` + key + `"`, "Acme data leak rumour — The leak is a hack"} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("the posts page lacks %q", want)
		}
	}
	r := b.submit("/posts/claims", url.Values{"claim": {key}, "platform": {"bluesky"}, "post": {"leak-1"}, "back": {"q=hackers"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/posts?linked=1&q=hackers" {
		t.Fatalf("link: %d to %q", r.status, r.header.Get("Location"))
	}
	if got := b.get(r.header.Get("Location")).body; !strings.Contains(got, "The post is linked to the claim") {
		t.Error("the posts page does not confirm the link")
	}
	if got := b.get(room).body; !strings.Contains(got, "Sources: Bluesky leak-1") ||
		!strings.Contains(got, "Post bluesky leak-1 linked as a source of the claim: The leak is a hack") {
		t.Errorf("the room lacks the source or its timeline entry")
	}
	if got := b.get(room + "/export.md").body; !strings.Contains(got, "bluesky: leak-1") {
		t.Errorf("the export lacks the source:\n%s", got)
	}

	// Bad input is refused with a clear answer; a claim of another incident is not found.
	if r := b.submit("/posts/claims", url.Values{"claim": {"nope"}, "platform": {"bluesky"}, "post": {"leak-1"}}); r.status != http.StatusBadRequest {
		t.Errorf("a malformed claim: %d", r.status)
	}
	if r := b.submit("/posts/claims", url.Values{"claim": {key}, "platform": {"bluesky"}}); r.status != http.StatusBadRequest {
		t.Errorf("no post: %d", r.status)
	}
	if r := b.submit("/posts/claims", url.Values{"claim": {strconv.FormatInt(id, 10) + ":999"}, "platform": {"bluesky"}, "post": {"leak-1"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown claim: %d", r.status)
	}

	viewer := h.loggedIn(auth.Viewer)
	if got := viewer.get("/posts?q=hackers").body; strings.Contains(got, `action="/posts/claims"`) {
		t.Error("a viewer is offered the claim link")
	}
}

func FuzzParseClaimKey(f *testing.F) {
	for _, s := range []string{"1:2", "0:1", "1:0", ":", "", "1:", ":2", "-1:2", "1:2:3", "99999999999999999999:1", "1 :2", "٣:٤"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		inc, claim, err := parseClaimKey(s)
		if err != nil {
			if inc != 0 || claim != 0 || err.Error() == "" {
				t.Fatalf("%q: error %v with values %d, %d", s, err, inc, claim)
			}
			return
		}
		if inc <= 0 || claim <= 0 {
			t.Fatalf("%q read as %d:%d", s, inc, claim)
		}
		// What was read writes back to a key that reads the same.
		again := strconv.FormatInt(inc, 10) + ":" + strconv.FormatInt(claim, 10)
		if i2, c2, err := parseClaimKey(again); err != nil || i2 != inc || c2 != claim {
			t.Fatalf("%q read as %s, which reads back as %d:%d, %v", s, again, i2, c2, err)
		}
	})
}
