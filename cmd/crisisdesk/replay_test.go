package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/scenario"
)

// replayInput writes a generated outage scenario: two days of normal traffic, then the outage.
func replayInput(t *testing.T) (monitors string, posts []byte, s *scenario.Scenario) {
	t.Helper()
	cfg := scenario.DefaultConfig()
	cfg.History = 2 * 24 * time.Hour
	cfg.After = time.Hour
	s, err := scenario.Generate("outage", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mon, buf bytes.Buffer
	if err := s.WriteMonitors(&mon); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteJSONL(&buf); err != nil {
		t.Fatal(err)
	}
	monitors = filepath.Join(t.TempDir(), "monitors.jsonl")
	if err := os.WriteFile(monitors, mon.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return monitors, buf.Bytes(), s
}

type replayLine struct {
	At       time.Time `json:"at"`
	Monitor  string    `json:"monitor"`
	Kind     string    `json:"kind"`
	Severity string    `json:"severity"`
	Summary  string    `json:"summary"`
	PostIDs  []string  `json:"post_ids"`
	Status   string    `json:"status"`
}

func TestReplay(t *testing.T) {
	monitors, posts, s := replayInput(t)
	// A broken line in the middle is reported by number and skipped.
	lines := bytes.SplitAfter(posts, []byte("\n"))
	bad := len(lines) / 2
	input := bytes.Join(lines[:bad], nil)
	input = append(input, []byte("{\"id\":\"broken\"\n")...)
	input = append(input, bytes.Join(lines[bad:], nil)...)

	tests := []struct {
		name     string
		args     []string
		in       []byte
		wantCode int
		wantErr  string
		lang     string
	}{
		{"English summaries", []string{"replay", "--monitors", monitors}, posts, exitOK, "", "en"},
		{"Dutch summaries", []string{"replay", "--monitors", monitors, "--lang", "nl"}, posts, exitOK, "", "nl"},
		{"a bad line", []string{"replay", "--monitors", monitors}, input, exitFindings, "line " + itoa(bad+1) + ":", "en"},
		{"no monitors", []string{"replay"}, posts, exitUsage, "usage", ""},
		{"a language we do not speak", []string{"replay", "--monitors", monitors, "--lang", "fr"}, posts, exitUsage, "language", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tt.args, bytes.NewReader(tt.in), &out, &errb)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, errb.String())
			}
			if !strings.Contains(errb.String(), tt.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errb.String(), tt.wantErr)
			}
			if tt.lang == "" {
				return
			}
			detected := false
			sc := bufio.NewScanner(&out)
			sc.Buffer(nil, 1<<20)
			n := 0
			for sc.Scan() {
				n++
				var l replayLine
				if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
					t.Fatalf("line %d: %v", n, err)
				}
				if l.At.IsZero() || l.Monitor == "" || l.Summary == "" || l.PostIDs == nil {
					t.Fatalf("line %d lacks contract fields: %s", n, sc.Bytes())
				}
				if !validKind(l.Kind) || !strings.Contains(" low medium high critical ", " "+l.Severity+" ") {
					t.Fatalf("line %d: kind %q severity %q", n, l.Kind, l.Severity)
				}
				if tt.lang == "nl" && l.Kind == "volume_spike" && !strings.Contains(l.Summary, "berichten") {
					t.Errorf("Dutch summary %q", l.Summary)
				}
				if l.Monitor == s.Target && !l.At.Before(s.Onset) && l.Status == "firing" && l.At.Sub(s.Onset) < 15*time.Minute {
					detected = true
				}
			}
			if !detected {
				t.Errorf("the outage at %v was not alerted within 15 minutes; %d events", s.Onset, n)
			}
		})
	}
}

func validKind(k string) bool {
	switch k {
	case "volume_spike", "negative_spike", "viral_post", "influential_author", "coordinated_campaign":
		return true
	}
	return strings.HasPrefix(k, "category:") && len(k) > len("category:")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
