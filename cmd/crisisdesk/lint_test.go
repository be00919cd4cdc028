package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLintCommand(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rules, []byte("forbidden:\n  - word: incident\n    instead: storing\njargon:\n  - word: backend\nform: u\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badRules := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badRules, []byte("forbiden: [x]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := "We weten dat de app niet werkt en begrijpen dat dit vervelend is. Om 15.00 uur volgt een update op voorbeeld.nl/status.\n"
	tests := []struct {
		name      string
		args      []string
		stdin     string
		wantCode  int
		wantRules []string
		wantLen   string
	}{
		{"clean", []string{"--platform", "x", "--lang", "nl"}, good, exitOK, nil, `{"used":123,"limit":280,"unit":"weighted"}`},
		{"error finding exits 1", []string{"--platform", "bluesky", "--lang", "en"}, "We guarantee it is NOT OUR FAULT!!! Sorry. Update at 15:00.", exitFindings,
			[]string{"overpromise", "blame_shifting", "emotional", "emotional"}, `{"used":59,"limit":300,"unit":"graphemes"}`},
		{"warnings only exit 0", []string{"--platform", "linkedin", "--lang", "nl", "--form", "u"}, "Sorry, stuur je bericht naar info@voorbeeld.nl.", exitOK,
			[]string{"formality"}, `{"used":47,"limit":3000,"unit":"chars"}`},
		{"rules file", []string{"--platform", "email", "--lang", "nl", "--rules", rules}, "Sorry voor het incident met de backend; zie voorbeeld.nl.", exitFindings,
			[]string{"forbidden_word", "jargon"}, `{"used":57,"limit":0,"unit":"chars"}`},
		{"preventable", []string{"--platform", "x", "--lang", "en", "--preventable"}, "We understand this is annoying. Update at 15:00.", exitFindings,
			[]string{"no_empathy"}, ""},
		{"missing platform", []string{"--lang", "nl"}, good, exitUsage, nil, ""},
		{"missing lang", []string{"--platform", "x"}, good, exitUsage, nil, ""},
		{"bad platform", []string{"--platform", "myspace", "--lang", "nl"}, good, exitUsage, nil, ""},
		{"bad lang", []string{"--platform", "x", "--lang", "de"}, good, exitUsage, nil, ""},
		{"bad form", []string{"--platform", "x", "--lang", "nl", "--form", "gij"}, good, exitUsage, nil, ""},
		{"bad rules file", []string{"--platform", "x", "--lang", "nl", "--rules", badRules}, good, exitUsage, nil, ""},
		{"missing rules file", []string{"--platform", "x", "--lang", "nl", "--rules", filepath.Join(dir, "none.yaml")}, good, exitUsage, nil, ""},
		{"extra argument", []string{"--platform", "x", "--lang", "nl", "draft.txt"}, good, exitUsage, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"lint"}, tt.args...), strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if tt.wantCode == exitUsage {
				if stdout.Len() != 0 || stderr.Len() == 0 {
					t.Errorf("usage error: stdout %q, stderr %q", stdout.String(), stderr.String())
				}
				return
			}
			var res struct {
				OK       bool            `json:"ok"`
				Length   json.RawMessage `json:"length"`
				Findings []struct {
					Rule, Severity, Message, Suggestion string
					Start, End                          int
				} `json:"findings"`
			}
			dec := json.NewDecoder(bytes.NewReader(stdout.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&res); err != nil {
				t.Fatalf("output %q: %v", stdout.String(), err)
			}
			if res.OK != (tt.wantCode == exitOK) {
				t.Errorf("ok = %v with exit %d", res.OK, code)
			}
			if tt.wantLen != "" && string(res.Length) != tt.wantLen {
				t.Errorf("length %s, want %s", res.Length, tt.wantLen)
			}
			var rules []string
			for _, f := range res.Findings {
				rules = append(rules, f.Rule)
				if f.Start < 0 || f.End > len(tt.stdin) || f.Start > f.End || f.Message == "" || f.Suggestion == "" {
					t.Errorf("bad finding %+v", f)
				}
			}
			if strings.Join(rules, ",") != strings.Join(tt.wantRules, ",") {
				t.Errorf("rules %v, want %v; output %s", rules, tt.wantRules, stdout.String())
			}
			if !strings.HasPrefix(stdout.String(), `{"ok":`) || !strings.Contains(stdout.String(), `"findings":[`) {
				t.Errorf("output does not follow the contract: %s", stdout.String())
			}
		})
	}
}
