package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps a receiver's Retry-After, so that a wrong header cannot park a page for days.
const maxRetryAfter = time.Hour

// PostJSON posts body to url with the given extra headers and classifies the outcome for the retry
// stage: a 2xx is success; 408, 425, 429 and 5xx are retryable, with the receiver's Retry-After kept
// in the *HTTPError; any other status is permanent; a transport error (refused, reset, timeout) is
// retryable. Errors name only the host of url.
func PostJSON(ctx context.Context, client *http.Client, url string, body []byte, header http.Header) (retryable bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("notify: request to %s: %w", Host(url), RedactURLError(err))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		// A cancelled ctx means crisisdesk is stopping; the outbox lease hands the row to the next run.
		return true, fmt.Errorf("notify: post to %s: %w", Host(url), RedactURLError(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	// Drain a little more so the connection can be reused; a receiver that sends megabytes is not our
	// concern beyond that.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	he := &HTTPError{Host: Host(url), Status: resp.StatusCode, Body: strings.TrimSpace(strings.ToValidUTF8(string(snippet), "\uFFFD"))}
	he.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), resp.Header.Get("Date"))
	return RetryableStatus(resp.StatusCode), he
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date. A date is measured against the
// response's own Date header, so the two clocks need not agree; without one, a date is ignored and the
// backoff applies.
func parseRetryAfter(v, date string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else {
		at, err1 := http.ParseTime(v)
		now, err2 := http.ParseTime(date)
		if errors.Join(err1, err2) != nil {
			return 0
		}
		d = at.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
