package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

func line(id, text string, at time.Time) string {
	return fmt.Sprintf(`{"id":%q,"platform":"bluesky","text":%q,"created_at":%q,"lang":"nl","author":{"handle":"anna"}}`,
		id, text, at.Format(time.RFC3339))
}

func decodeIngest(t *testing.T, r response) ingestResult {
	t.Helper()
	var res ingestResult
	if err := json.Unmarshal([]byte(r.body), &res); err != nil {
		t.Fatalf("ingest answer %q: %v", r.body, err)
	}
	return res
}

func TestIngestMixedLinesAndReingest(t *testing.T) {
	h := newHarness(t)
	token := h.token(h.user(auth.Responder))
	body := strings.Join([]string{
		line("1", "storing bij de bank", now.Add(-time.Hour)),
		`{"id":"2","platform":"bluesky","text":"x","created_at":"yesterday"}`,
		line("3", "alles werkt weer", now.Add(-30*time.Minute)),
		``,
		`not json`,
		`{"id":"6","platform":"myspace","text":"x","created_at":"2026-11-20T10:00:00Z"}`,
		line("7", "datalek gemeld", now.Add(-10*time.Minute)),
	}, "\n") + "\n"

	r := h.api("POST", "/api/v1/posts", token, "application/x-ndjson", strings.NewReader(body))
	if r.status != http.StatusMultiStatus {
		t.Fatalf("status %d, want 207\n%s", r.status, r.body)
	}
	res := decodeIngest(t, r)
	if res.Received != 6 || res.Inserted != 3 || res.Duplicates != 0 || len(res.Errors) != 3 {
		t.Fatalf("result %+v", res)
	}
	wantLines := []int{2, 5, 6}
	for i, e := range res.Errors {
		if e.Line != wantLines[i] || !strings.HasPrefix(e.Error, fmt.Sprintf("line %d: ", wantLines[i])) {
			t.Errorf("error %d = %+v, want line %d", i, e, wantLines[i])
		}
	}
	if !strings.Contains(res.Errors[0].Error, "created_at") || !strings.Contains(res.Errors[2].Error, "platform") {
		t.Errorf("errors do not name the field: %+v", res.Errors)
	}
	if n, err := h.st.CountPosts(context.Background()); err != nil || n != 3 {
		t.Fatalf("stored %d posts, %v; want 3", n, err)
	}

	// The same body again stores nothing new.
	r = h.api("POST", "/api/v1/posts", token, "application/x-ndjson", strings.NewReader(body))
	res = decodeIngest(t, r)
	if r.status != http.StatusMultiStatus || res.Inserted != 0 || res.Duplicates != 3 {
		t.Fatalf("re-ingest: %d %+v", r.status, res)
	}
	if n, _ := h.st.CountPosts(context.Background()); n != 3 {
		t.Fatalf("re-ingest changed the count to %d", n)
	}
}

func TestIngestStatuses(t *testing.T) {
	h := newHarness(t)
	token := h.token(h.user(auth.Admin))
	arr, err := json.Marshal([]post.Post{
		testPost("a1", "mastodon", "eerste", now.Add(-time.Hour), "nl"),
		testPost("a2", "x", "second", now.Add(-time.Hour), "en"),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                        string
		body                        string
		status                      int
		received, inserted, nErrors int
		firstItem                   int
	}{
		{"array, all good", string(arr), http.StatusOK, 2, 2, 0, 0},
		{"array again", string(arr), http.StatusOK, 2, 0, 0, 0},
		{"array with a bad element", `[` + line("b1", "ok", now) + `,{"id":"b2"}]`, http.StatusMultiStatus, 2, 1, 1, 2},
		{"all bad", "nope\n{}\n", http.StatusBadRequest, 2, 0, 2, 0},
		{"empty", "", http.StatusOK, 0, 0, 0, 0},
		{"empty array", "[]", http.StatusOK, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.api("POST", "/api/v1/posts", token, "application/json", strings.NewReader(tt.body))
			res := decodeIngest(t, r)
			if r.status != tt.status || res.Received != tt.received || res.Inserted != tt.inserted || len(res.Errors) != tt.nErrors {
				t.Fatalf("status %d %+v, want %d received %d inserted %d errors %d", r.status, res, tt.status, tt.received, tt.inserted, tt.nErrors)
			}
			if tt.firstItem != 0 && res.Errors[0].Item != tt.firstItem {
				t.Fatalf("error %+v, want item %d", res.Errors[0], tt.firstItem)
			}
			if res.Errors == nil {
				t.Fatal("errors is null, want []")
			}
			if !strings.Contains(r.body, `"errors":[`) {
				t.Fatalf("errors not an array in %s", r.body)
			}
		})
	}
}

func TestIngestBodyLimit(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxBodyBytes = 4 << 10 })
	token := h.token(h.user(auth.Responder))
	var small, big bytes.Buffer
	for i := range 5 {
		fmt.Fprintln(&small, line(fmt.Sprint("s", i), "kort", now))
	}
	for i := 0; big.Len() <= 4<<10; i++ {
		fmt.Fprintln(&big, line(fmt.Sprint("b", i), strings.Repeat("lang ", 20), now))
	}
	if r := h.api("POST", "/api/v1/posts", token, "application/x-ndjson", &small); r.status != http.StatusOK {
		t.Fatalf("small body: %d %s", r.status, r.body)
	}
	r := h.api("POST", "/api/v1/posts", token, "application/x-ndjson", &big)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, `"error"`) {
		t.Fatalf("big body: %d %s", r.status, r.body)
	}
	if n, _ := h.st.CountPosts(context.Background()); n != 5 {
		t.Fatalf("%d posts stored, want only the 5 of the small body", n)
	}
}

func TestAPISearch(t *testing.T) {
	h := newHarness(t)
	token := h.token(h.user(auth.Viewer))
	h.insert(
		testPost("p1", "bluesky", "Storing bij de bank, niemand kan pinnen", now.Add(-2*time.Hour), "nl"),
		testPost("p2", "mastodon", "Outage at the bank again", now.Add(-90*time.Minute), "en"),
		testPost("p3", "bluesky", "Mooi weer vandaag", now.Add(-30*time.Minute), "nl"),
		testPost("p4", "x", "Storing voorbij, dank", now.Add(-10*time.Minute), "nl"),
	)
	tests := []struct {
		name   string
		query  url.Values
		status int
		ids    []string // newest first
		param  string   // for 400
	}{
		{"all newest first", url.Values{}, 200, []string{"p4", "p3", "p2", "p1"}, ""},
		{"text", url.Values{"q": {"storing"}}, 200, []string{"p4", "p1"}, ""},
		{"text and platform", url.Values{"q": {"storing"}, "platform": {"bluesky"}}, 200, []string{"p1"}, ""},
		{"lang", url.Values{"lang": {"en"}}, 200, []string{"p2"}, ""},
		{"since", url.Values{"since": {now.Add(-time.Hour).Format(time.RFC3339)}}, 200, []string{"p4", "p3"}, ""},
		{"until exclusive", url.Values{"until": {now.Add(-90 * time.Minute).Format(time.RFC3339)}}, 200, []string{"p1"}, ""},
		{"date", url.Values{"since": {"2026-11-20"}, "until": {"2026-11-21"}}, 200, []string{"p4", "p3", "p2", "p1"}, ""},
		{"limit", url.Values{"limit": {"2"}}, 200, []string{"p4", "p3"}, ""},
		{"no match", url.Values{"q": {"zzz"}}, 200, []string{}, ""},
		{"bad platform", url.Values{"platform": {"myspace"}}, 400, nil, "platform"},
		{"bad lang", url.Values{"lang": {"Dutch"}}, 400, nil, "lang"},
		{"bad since", url.Values{"since": {"yesterday"}}, 400, nil, "since"},
		{"bad until", url.Values{"until": {"2026-13-01"}}, 400, nil, "until"},
		{"until before since", url.Values{"since": {"2026-11-20"}, "until": {"2026-11-19"}}, 400, nil, "until"},
		{"limit zero", url.Values{"limit": {"0"}}, 400, nil, "limit"},
		{"limit too big", url.Values{"limit": {"1001"}}, 400, nil, "limit"},
		{"limit not a number", url.Values{"limit": {"ten"}}, 400, nil, "limit"},
		{"q too long", url.Values{"q": {strings.Repeat("a", maxQueryLen+1)}}, 400, nil, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.api("GET", "/api/v1/posts?"+tt.query.Encode(), token, "", nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != 200 {
				var e apiError
				if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Parameter != tt.param || !strings.Contains(e.Error, tt.param) {
					t.Fatalf("error %s, want one naming %q", r.body, tt.param)
				}
				return
			}
			var res struct {
				Posts []post.Post `json:"posts"`
			}
			if err := json.Unmarshal([]byte(r.body), &res); err != nil {
				t.Fatal(err)
			}
			if res.Posts == nil {
				t.Fatalf("posts is null in %s", r.body)
			}
			got := []string{}
			for _, p := range res.Posts {
				got = append(got, p.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.ids, ",") {
				t.Fatalf("got %v, want %v", got, tt.ids)
			}
		})
	}
}

// TestOpenAPICoversRoutes checks that the document describes every /api/v1 route with its method, and
// that its schemas hold every field of the Post contract.
func TestOpenAPICoversRoutes(t *testing.T) {
	h := newHarness(t)
	r := h.api("GET", "/api/v1/openapi.json", "", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Servers []struct{ URL string }                `json:"servers"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
			Security map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("openapi %q servers %+v", doc.OpenAPI, doc.Servers)
	}
	if _, ok := doc.Comps.Security["bearerAuth"]; !ok {
		t.Error("no bearer security scheme")
	}
	n := 0
	for _, rt := range h.web.routes {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		n++
		rel := strings.TrimPrefix(path, "/api/v1")
		if _, ok := doc.Paths[rel][strings.ToLower(method)]; !ok {
			t.Errorf("route %q is not in the OpenAPI document", rt.pattern)
		}
	}
	if n < 3 {
		t.Fatalf("only %d API routes found", n)
	}
	for schema, v := range map[string]any{"Post": post.Post{}, "Author": post.Author{}, "Metrics": post.Metrics{}, "IngestResult": ingestResult{}} {
		b, _ := json.Marshal(v)
		var fields map[string]any
		json.Unmarshal(b, &fields)
		if schema == "IngestResult" {
			fields["errors_omitted"] = 0
		}
		for f := range fields {
			if _, ok := doc.Comps.Schemas[schema].Properties[f]; !ok {
				t.Errorf("schema %s lacks field %q", schema, f)
			}
		}
	}
	for _, p := range post.Platforms {
		if !strings.Contains(r.body, `"`+p+`"`) {
			t.Errorf("platform %q is not in the document", p)
		}
	}
}

func TestProbesAndMetrics(t *testing.T) {
	h := newHarness(t)
	if r := h.api("GET", "/healthz", "", "", nil); r.status != 200 {
		t.Fatalf("healthz %d", r.status)
	}
	if r := h.api("GET", "/readyz", "", "", nil); r.status != 200 {
		t.Fatalf("readyz %d", r.status)
	}
	h.api("GET", "/no/such/thing/123", "", "", nil)
	if r := h.api("GET", "/metrics", "", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("metrics without a token: %d, want 401", r.status)
	}
	r := h.api("GET", "/metrics", h.token(h.user(auth.Viewer)), "", nil)
	for _, want := range []string{
		`crisisdesk_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`crisisdesk_http_requests_total{code="404",method="other",route="unmatched"} 1`,
		`crisisdesk_http_request_duration_seconds_bucket{method="GET",route="/readyz"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(r.body, "/no/such/thing") {
		t.Error("a raw path became a metric label")
	}
	// A closed store is not ready.
	h.st.Close()
	if r := h.api("GET", "/readyz", "", "", nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store: %d", r.status)
	}
	if r := h.api("GET", "/healthz", "", "", nil); r.status != 200 {
		t.Fatalf("healthz with a closed store: %d", r.status)
	}
}
