package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMatchCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("monitors.jsonl", `{"id":"ing-storing","query":"(ing OR @ingnl) (storing* OR outage OR \"werkt niet\")"}

{"id":"pers","query":"authorKind:press lang:nl"}
{"id":"cafe","query":"\"cafe de flore\" NOT gesloten"}
`)
	posts := `{"id":"1","platform":"x","text":"Storing bij ING, de app werkt niet!","created_at":"2026-11-20T10:00:00Z","lang":"nl"}
{"id":"2","platform":"x","text":"Mooie dag vandaag","created_at":"2026-11-20T10:00:00Z"}
not json
{"id":"4","platform":"bluesky","text":"Café de Flore is weer open. De koffie is er nog steeds goed en de mensen zijn vriendelijk.","created_at":"2026-11-20T10:00:00Z","lang":"nl","author":{"kind":"press"}}
`
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{
			name: "matches", args: []string{"--monitors", good}, stdin: posts, wantCode: exitFindings,
			wantOut: `{"id":"1","monitors":["ing-storing"]}
{"id":"2","monitors":[]}
{"id":"4","monitors":["cafe","pers"]}
`,
			wantStderr: "line 3: invalid JSON",
		},
		{name: "no posts", args: []string{"--monitors", good}, stdin: "", wantCode: exitOK},
		{
			name:     "bad query",
			args:     []string{"--monitors", write("bad.jsonl", "{\"id\":\"a\",\"query\":\"storing\"}\n{\"id\":\"b\",\"query\":\"storing AND (ing OR abn\"}\n")},
			wantCode: exitUsage, wantStderr: "bad.jsonl:2:13: unbalanced parenthesis\n  storing AND (ing OR abn\n              ^",
		},
		{
			name:     "bad query on its second line",
			args:     []string{"--monitors", write("bad2.jsonl", `{"id":"a","query":"storing\nautor:bob"}`)},
			wantCode: exitUsage, wantStderr: `bad2.jsonl:1:1: unknown field "autor" (did you mean author?) (line 2 of the query)`,
		},
		{
			name:     "duplicate id",
			args:     []string{"--monitors", write("dup.jsonl", "{\"id\":\"a\",\"query\":\"x1\"}\n{\"id\":\"a\",\"query\":\"x2\"}\n")},
			wantCode: exitUsage, wantStderr: `dup.jsonl:2: duplicate monitor id "a", first on line 1`,
		},
		{
			name:     "bad monitor line",
			args:     []string{"--monitors", write("json.jsonl", "{\"id\":\"a\"}\n")},
			wantCode: exitUsage, wantStderr: "json.jsonl:1: query: required",
		},
		{name: "missing file", args: []string{"--monitors", filepath.Join(dir, "nope.jsonl")}, wantCode: exitUsage, wantStderr: "no such file"},
		{name: "no flag", args: nil, wantCode: exitUsage, wantStderr: "usage: crisisdesk match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := cmdMatch(tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.wantCode, errb.String())
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tt.wantOut)
			}
			if !strings.Contains(errb.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tt.wantStderr)
			}
		})
	}
}
