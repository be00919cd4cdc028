package x

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"

// line is one recorded stream line, and the tweet id it carries.
type line struct {
	raw []byte
	id  string
}

func loadLines(t *testing.T) []line {
	t.Helper()
	f, err := os.Open("testdata/stream.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []line
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		sl, err := DecodeStreamLine(sc.Bytes())
		if err != nil {
			t.Fatalf("recorded line %d: %v", len(out)+1, err)
		}
		out = append(out, line{raw: slices.Clone(sc.Bytes()), id: sl.Data.ID})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// connScript is what one stream connection does.
type connScript struct {
	send       []int    // indexes of recorded lines to send, with keep-alives in between
	extra      []string // raw lines to send after them (malformed lines, errors objects)
	drop       bool     // cut the connection abruptly afterwards
	end        bool     // end the response cleanly afterwards
	status     int      // refuse the connection with this status
	resetAfter time.Duration
}

// fakeX follows the X API v2 documentation for the filtered stream, its rules, recent search and posting,
// and insists on the documented request shapes. Tweets listed in posted are visible to recent search.
type fakeX struct {
	t     *testing.T
	now   time.Time // what the rate-limit headers count from
	lines []line

	mu           sync.Mutex
	scripts      []connScript
	posted       int // recorded lines posted so far: visible to recent search
	rules        []Rule
	nextRule     int
	searches     []map[string]string
	streams      int
	maxRule      int
	searchStatus []int // statuses to answer recent search with before answering normally
	created      []map[string]any
}

// createTweet follows POST /2/tweets: a JSON body with text and optionally reply.in_reply_to_tweet_id,
// 201 with data.id, and 403 for a duplicate of a recent post, as X refuses those.
func (x *fakeX) createTweet(w http.ResponseWriter, r *http.Request) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var body map[string]any
	dec := json.NewDecoder(r.Body)
	if r.Header.Get("Content-Type") != "application/json" || dec.Decode(&body) != nil {
		problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", nil)
		return
	}
	text, _ := body["text"].(string)
	for k := range body {
		if k != "text" && k != "reply" {
			problem(w, http.StatusBadRequest, "Invalid Request", "unknown field "+k, nil)
			return
		}
	}
	if reply, ok := body["reply"].(map[string]any); ok {
		id, _ := reply["in_reply_to_tweet_id"].(string)
		if !isTweetID(id) || len(reply) != 1 {
			problem(w, http.StatusBadRequest, "Invalid Request", "reply.in_reply_to_tweet_id", nil)
			return
		}
	}
	for _, c := range x.created {
		if c["text"] == text {
			problem(w, http.StatusForbidden, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", nil)
			return
		}
	}
	x.created = append(x.created, body)
	id := strconv.Itoa(1859300000000000000 + len(x.created))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"id": id, "text": text, "edit_history_tweet_ids": []string{id}}})
}

func newFakeX(t *testing.T) *fakeX {
	return &fakeX{t: t, lines: loadLines(t), now: time.Date(2026, 11, 20, 10, 1, 0, 0, time.UTC), maxRule: DefaultMaxRuleLength,
		nextRule: 1859100000000000101}
}

func problem(w http.ResponseWriter, status int, title, detail string, h map[string]string) {
	for k, v := range h {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": status})
}

func (x *fakeX) limitHeaders(w http.ResponseWriter, remaining int) {
	w.Header().Set("x-rate-limit-limit", "450")
	w.Header().Set("x-rate-limit-remaining", strconv.Itoa(remaining))
	w.Header().Set("x-rate-limit-reset", strconv.FormatInt(x.now.Add(15*time.Minute).Unix(), 10))
}

func (x *fakeX) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+testToken {
		problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", nil)
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == StreamPath:
		x.stream(w, r)
	case r.URL.Path == RulesPath:
		x.rulesEndpoint(w, r)
	case r.Method == "GET" && r.URL.Path == SearchPath:
		x.search(w, r)
	case r.Method == "POST" && r.URL.Path == TweetsPath:
		x.createTweet(w, r)
	default:
		problem(w, http.StatusNotFound, "Not Found Error", r.Method+" "+r.URL.Path, nil)
	}
}

func (x *fakeX) checkFields(r *http.Request) bool {
	q := r.URL.Query()
	return q.Get("expansions") == Expansions && strings.Contains(Expansions, "author_id") && strings.Contains(q.Get("tweet.fields"), "created_at") &&
		strings.Contains(q.Get("tweet.fields"), "referenced_tweets") && strings.Contains(q.Get("user.fields"), "public_metrics")
}

func (x *fakeX) stream(w http.ResponseWriter, r *http.Request) {
	if !x.checkFields(r) {
		problem(w, http.StatusBadRequest, "Invalid Request", "missing fields", nil)
		return
	}
	x.mu.Lock()
	x.streams++
	var sc connScript
	if len(x.scripts) > 0 {
		sc = x.scripts[0]
		x.scripts = x.scripts[1:]
	}
	x.mu.Unlock()
	if sc.status != 0 {
		h := map[string]string{"x-rate-limit-limit": "50", "x-rate-limit-remaining": "0",
			"x-rate-limit-reset": strconv.FormatInt(x.now.Add(sc.resetAfter).Unix(), 10)}
		problem(w, sc.status, "ConnectionException", "This stream is currently at the maximum allowed connection limit.", h)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	fl := w.(http.Flusher)
	io.WriteString(w, "\r\n")
	fl.Flush()
	for _, i := range sc.send {
		x.mu.Lock()
		x.posted = max(x.posted, i+1)
		x.mu.Unlock()
		w.Write(x.lines[i].raw)
		io.WriteString(w, "\r\n\r\n") // a keep-alive after each tweet
		fl.Flush()
	}
	for _, l := range sc.extra {
		io.WriteString(w, l+"\r\n")
		fl.Flush()
	}
	if sc.drop {
		panic(http.ErrAbortHandler)
	}
	if sc.end {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(5 * time.Millisecond):
			if _, err := io.WriteString(w, "\r\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

func (x *fakeX) rulesEndpoint(w http.ResponseWriter, r *http.Request) {
	x.mu.Lock()
	defer x.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	sent := x.now.Format(time.RFC3339Nano)
	if r.Method == "GET" {
		json.NewEncoder(w).Encode(map[string]any{"data": x.rules, "meta": map[string]any{"sent": sent, "result_count": len(x.rules)}})
		return
	}
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" {
		problem(w, http.StatusBadRequest, "Invalid Request", "POST a JSON body", nil)
		return
	}
	dry := r.URL.Query().Get("dry_run") == "true"
	var body struct {
		Add    []map[string]any `json:"add"`
		Delete *struct {
			IDs []string `json:"ids"`
		} `json:"delete"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || (body.Add == nil) == (body.Delete == nil) {
		problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", nil)
		return
	}
	if body.Delete != nil {
		deleted, notDeleted := 0, 0
		var errs []map[string]any
		for _, id := range body.Delete.IDs {
			i := slices.IndexFunc(x.rules, func(r Rule) bool { return r.ID == id })
			if i < 0 {
				notDeleted++
				errs = append(errs, map[string]any{"value": id, "details": []string{"Rule does not exist"}, "title": "Invalid Rule"})
				continue
			}
			deleted++
			if !dry {
				x.rules = slices.Delete(x.rules, i, i+1)
			}
		}
		ans := map[string]any{"meta": map[string]any{"sent": sent, "summary": map[string]int{"deleted": deleted, "not_deleted": notDeleted}}}
		if errs != nil {
			ans["errors"] = errs
		}
		json.NewEncoder(w).Encode(ans)
		return
	}
	var created []Rule
	var errs []map[string]any
	for _, a := range body.Add {
		v, _ := a["value"].(string)
		tag, _ := a["tag"].(string)
		if len(a) > 2 || v == "" {
			problem(w, http.StatusBadRequest, "Invalid Request", "rules have value and tag only", nil)
			return
		}
		if n := len([]rune(v)); n > x.maxRule {
			errs = append(errs, map[string]any{"value": v, "details": []string{fmt.Sprintf("Rule is too long (%d > %d)", n, x.maxRule)},
				"title": "Invalid Rule", "type": "https://api.twitter.com/2/problems/invalid-rules"})
			continue
		}
		if slices.ContainsFunc(x.rules, func(r Rule) bool { return r.Value == v }) {
			errs = append(errs, map[string]any{"value": v, "id": "", "title": "DuplicateRule", "type": "https://api.twitter.com/2/problems/duplicate-rules"})
			continue
		}
		rule := Rule{ID: strconv.Itoa(x.nextRule), Value: v, Tag: tag}
		x.nextRule++
		created = append(created, rule)
		if !dry {
			x.rules = append(x.rules, rule)
		}
	}
	ans := map[string]any{"data": created, "meta": map[string]any{"sent": sent,
		"summary": map[string]int{"created": len(created), "not_created": len(errs), "valid": len(created), "invalid": len(errs)}}}
	if errs != nil {
		ans["errors"] = errs
	}
	json.NewEncoder(w).Encode(ans)
}

// search answers recent search: the posted tweets after since_id, newest first, max_results per page,
// with next_token for the rest.
func (x *fakeX) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	x.mu.Lock()
	rec := map[string]string{}
	for k := range q {
		rec[k] = q.Get(k)
	}
	x.searches = append(x.searches, rec)
	posted := x.posted
	var status int
	if len(x.searchStatus) > 0 {
		status, x.searchStatus = x.searchStatus[0], x.searchStatus[1:]
	}
	x.mu.Unlock()
	if status != 0 {
		x.limitHeaders(w, 0)
		problem(w, status, "Too Many Requests", "Too Many Requests", nil)
		return
	}
	max, err := strconv.Atoi(q.Get("max_results"))
	if !x.checkFields(r) || q.Get("query") == "" || err != nil || max < 10 || max > 100 {
		problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", nil)
		return
	}
	since := q.Get("since_id")
	var hits []line
	for i := posted - 1; i >= 0; i-- {
		if since == "" || idLess(since, x.lines[i].id) {
			hits = append(hits, x.lines[i])
		}
	}
	// The fake pages by two regardless of max_results, so paging is exercised with few tweets.
	start := 0
	if tok := q.Get("next_token"); tok != "" {
		if start, err = strconv.Atoi(strings.TrimPrefix(tok, "b26v89c19zqg8o3f")); err != nil {
			problem(w, http.StatusBadRequest, "Invalid Request", "bad next_token", nil)
			return
		}
	}
	end := min(start+2, len(hits))
	var data []json.RawMessage
	var users, tweets []json.RawMessage
	for _, h := range hits[start:end] {
		var sl struct {
			Data     json.RawMessage `json:"data"`
			Includes struct {
				Users  []json.RawMessage `json:"users"`
				Tweets []json.RawMessage `json:"tweets"`
			} `json:"includes"`
		}
		json.Unmarshal(h.raw, &sl)
		data = append(data, sl.Data)
		users = append(users, sl.Includes.Users...)
		tweets = append(tweets, sl.Includes.Tweets...)
	}
	meta := map[string]any{"result_count": len(data)}
	if len(data) > 0 {
		meta["newest_id"] = hits[start].id
		meta["oldest_id"] = hits[end-1].id
	}
	if end < len(hits) {
		meta["next_token"] = "b26v89c19zqg8o3f" + strconv.Itoa(end)
	}
	x.limitHeaders(w, 449)
	w.Header().Set("Content-Type", "application/json")
	ans := map[string]any{"meta": meta}
	if len(data) > 0 {
		ans["data"] = data
		inc := map[string]any{"users": users}
		if len(tweets) > 0 {
			inc["tweets"] = tweets // the expansion of referenced_tweets.id
		}
		ans["includes"] = inc
	}
	var b bytes.Buffer
	json.NewEncoder(&b).Encode(ans)
	w.Write(b.Bytes())
}
