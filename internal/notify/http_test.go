package notify

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	const date = "Fri, 20 Nov 2026 10:00:00 GMT"
	tests := []struct {
		value, date string
		want        time.Duration
	}{
		{"", date, 0},
		{"0", date, 0},
		{"-5", date, 0},
		{"120", "", 2 * time.Minute},
		{" 7 ", "", 7 * time.Second},
		{"86400", "", time.Hour},
		{"99999999999999999999", "", 0}, // does not parse as int64, nor as a date
		{"Fri, 20 Nov 2026 10:00:30 GMT", date, 30 * time.Second},
		{"Fri, 20 Nov 2026 09:00:00 GMT", date, 0},
		{"Fri, 20 Nov 2026 10:00:30 GMT", "", 0}, // a date without the server's Date: use the backoff
		{"Sat, 21 Nov 2026 10:00:00 GMT", date, time.Hour},
		{"soon", date, 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.value, tt.date); got != tt.want {
			t.Errorf("parseRetryAfter(%q, %q) = %v, want %v", tt.value, tt.date, got, tt.want)
		}
	}
}

func TestHost(t *testing.T) {
	tests := map[string]string{
		"https://hooks.slack.com/services/T000/B000/XXXX":      "hooks.slack.com",
		"https://user:pass@example.org:8443/hook?token=s3cret": "example.org:8443",
		"not a url":   "(invalid url)",
		"/relative/x": "(invalid url)",
	}
	for in, want := range tests {
		if got := Host(in); got != want {
			t.Errorf("Host(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	f.Add("120", "")
	f.Add("Fri, 20 Nov 2026 10:00:30 GMT", "Fri, 20 Nov 2026 10:00:00 GMT")
	f.Add("-1", "x")
	f.Fuzz(func(t *testing.T, value, date string) {
		if d := parseRetryAfter(value, date); d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q, %q) = %v, outside 0..%v", value, date, d, maxRetryAfter)
		}
	})
}
