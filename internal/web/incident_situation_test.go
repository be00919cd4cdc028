package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// situationPosts stores posts that monitor m1 matched, at the given minutes after now, each negative
// or not as neg says.
func (h *harness) situationPosts(prefix string, minutes []int, neg []bool, texts []string) {
	h.t.Helper()
	var sps []store.StoredPost
	for i, m := range minutes {
		sentiment := "neutral"
		if neg[i] {
			sentiment = "negative"
		}
		sps = append(sps, store.StoredPost{
			Post: post.Post{ID: fmt.Sprintf("%s%d", prefix, i), Platform: "bluesky", Text: texts[i], Lang: "en",
				CreatedAt: now.Add(time.Duration(m) * time.Minute), URL: "https://bsky.example/" + prefix + strconv.Itoa(i),
				Author:  post.Author{Handle: fmt.Sprintf("%s%d.example", prefix, i%2), Name: "Author " + prefix, Followers: int64(100 * (i%2 + 1))},
				Metrics: post.Metrics{Likes: int64(i)}},
			Analysis: store.Analysis{Lang: "en", LangConfidence: 0.9, Sentiment: sentiment},
			Monitors: []string{"m1"},
		})
	}
	if _, err := h.st.InsertStoredPosts(context.Background(), sps); err != nil {
		h.t.Fatal(err)
	}
}

// TestIncidentSituation: the room sums up the affected monitor's posts since the onset, draws them
// with a mark for the published statement, says how the negative share moved after it, and groups
// the questions people ask.
func TestIncidentSituation(t *testing.T) {
	h := newHarness(t)
	b, room := declareFromAlert(t, h) // alert a1 of monitor m1, opened ten minutes ago
	id, err := strconv.ParseInt(strings.TrimPrefix(room, "/incidents/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if page := b.get(room).body; !strings.Contains(page, `id="situation-empty"`) {
		t.Error("a room without posts does not say so")
	}
	h.situationPosts("before", []int{-9, -8, -7, -6}, []bool{true, true, true, false},
		[]string{"When will Acme fix this?", "when will ACME fix this??", "Acme is down again", "Still waiting"})
	h.clk.Advance(10 * time.Minute)
	if _, err := h.web.deps.Incidents.Record(context.Background(), id, incident.Event{Kind: incident.EntryStatementPublished,
		Author: "spokesperson@example.nl", Details: incident.Details{Statement: "#1 We are on it", Channel: "bluesky"}}); err != nil {
		t.Fatal(err)
	}
	h.situationPosts("after", []int{11, 12, 13, 14}, []bool{true, false, false, false},
		[]string{"Is my data safe?", "Thanks for the update", "Good to hear", "Clear answer"})
	h.clk.Advance(10 * time.Minute)

	r := b.get(room)
	if r.status != 200 {
		t.Fatalf("room: %d\n%s", r.status, r.body)
	}
	page := r.body
	for _, want := range []string{
		`id="situation"`, `class="statement-mark"`, `class="alert-mark"`, `href="/alerts/a1"`,
		`Statement #1 We are on it · bluesky`,
		"Before the first statement", "4 posts · 75% negative",
		"After statement #1 We are on it", "4 posts · 25% negative", "-50 percentage points against before",
		`<dd id="situation-posts">8</dd>`, `<dd id="situation-monitors"><a href="/monitors/m1/activity">m1</a></dd>`, `<dd id="situation-reach">600</dd>`,
		"Asked 2 times", "Is my data safe?", "https://bsky.example/after3",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the room lacks %q", want)
		}
	}
	// The questions group newest first: the single newer question before the pair.
	if i, j := strings.Index(page, "Is my data safe?"), strings.Index(page, "Asked 2 times"); i < 0 || j < 0 || i > j {
		t.Errorf("question groups are not newest first (%d, %d)", i, j)
	}

	// In Dutch too.
	if r := b.submit("/lang", url.Values{"lang": {"nl"}, "next": {room}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch to Dutch: %d", r.status)
	}
	page = b.get(room).body
	for _, want := range []string{"Situatie", "Vóór de eerste verklaring", "4 berichten · 75% negatief",
		"-50 procentpunt ten opzichte van ervoor", "2 keer gevraagd", "Verklaring #1 We are on it"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Dutch room lacks %q", want)
		}
	}
}
