package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestAnalyzeCommand(t *testing.T) {
	posts := `{"id":"1","platform":"x","text":"Groot datalek bij de bank, schandalig!","created_at":"2026-11-20T10:00:00Z","lang":"nl"}
{"id":"2","platform":"x","text":"Lovely day at the beach","created_at":"2026-11-20T10:00:00Z"}
not json

{"id":"4","platform":"x","created_at":"2026-11-20T10:00:00Z"}
`
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantLines  int
		wantStderr []string
	}{
		{"good and bad lines", nil, posts, exitFindings, 2, []string{"line 3: ", "line 5: "}},
		{"only good lines", nil, posts[:strings.Index(posts, "not json")], exitOK, 2, nil},
		{"empty input", nil, "", exitOK, 0, nil},
		{"unexpected argument", []string{"file.jsonl"}, posts, exitUsage, 0, []string{"unexpected argument"}},
		{"unknown flag", []string{"--nope"}, posts, exitUsage, 0, []string{"-nope"}},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(append([]string{"analyze"}, tt.args...), strings.NewReader(tt.stdin), &out, &errb)
		if code != tt.wantCode {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.wantCode, errb.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if out.Len() == 0 {
			lines = nil
		}
		if len(lines) != tt.wantLines {
			t.Errorf("%s: %d output lines, want %d:\n%s", tt.name, len(lines), tt.wantLines, out.String())
		}
		for _, w := range tt.wantStderr {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%s: stderr %q lacks %q", tt.name, errb.String(), w)
			}
		}
	}
}

func TestAnalyzeOutputContract(t *testing.T) {
	in := `{"id":"a1","platform":"x","text":"Groot datalek bij de bank, schandalig!","created_at":"2026-11-20T10:00:00Z","lang":"nl"}
{"id":"a2","platform":"x","text":"Goedemorgen","created_at":"2026-11-20T10:00:00Z","lang":"nl"}
`
	var out, errb bytes.Buffer
	if code := run([]string{"analyze"}, strings.NewReader(in), &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines", len(lines))
	}
	if !strings.HasPrefix(lines[0], `{"id":"a1","lang":"nl","lang_confidence":`) {
		t.Errorf("line 1 does not follow the contract: %s", lines[0])
	}
	var first struct {
		Sentiment  struct{ Label string } `json:"sentiment"`
		Categories []string               `json:"categories"`
		Evidence   map[string][]string    `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Sentiment.Label != "negative" || len(first.Categories) != 1 || first.Categories[0] != "data_breach" ||
		len(first.Evidence["data_breach"]) == 0 {
		t.Errorf("line 1: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"categories":[]`) {
		t.Errorf("an empty category list must be []: %s", lines[1])
	}
}

func TestEvalCommandUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"fit and tune together", []string{"-fit", "-tune"}, exitUsage, "usage"},
		{"stray argument", []string{"x"}, exitUsage, "usage"},
		{"missing data", []string{"--data", t.TempDir()}, exitUsage, "--data"},
		{"help", []string{"-h"}, exitOK, "usage"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(append([]string{"eval"}, tt.args...), strings.NewReader(""), &out, &errb)
		if code != tt.wantCode || !strings.Contains(errb.String(), tt.wantErr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, code, errb.String(), tt.wantCode, tt.wantErr)
		}
	}
}
