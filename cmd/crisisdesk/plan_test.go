package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// runPlan runs crisisdesk plan with a data directory of the test's own.
func runPlan(t *testing.T, data string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"plan", args[0], "--data", data, "--log-level", "error"}, args[1:]...)
	code = run(full, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestPlanRoundTrip(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()

	// Nothing stored: export writes the default plan.
	code, first, stderr := runPlan(t, data, "", "export")
	if code != exitOK {
		t.Fatalf("export: exit %d, stderr %s", code, stderr)
	}
	p, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, err := plan.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if first != string(want) {
		t.Fatalf("export of an empty store is not the default plan:\n%s", first)
	}

	// export → import → export is byte-identical, through a file.
	file := filepath.Join(dir, "plan.yaml")
	if code, _, stderr := runPlan(t, data, "", "export", file); code != exitOK {
		t.Fatalf("export %s: exit %d, %s", file, code, stderr)
	}
	code, stdout, stderr := runPlan(t, data, "", "import", "--author", "anna@example.org", file)
	if code != exitOK {
		t.Fatalf("import: exit %d, stderr %s", code, stderr)
	}
	if !regexp.MustCompile(`^\{"version":1,"author":"anna@example.org","created_at":"[^"]+"\}\n$`).MatchString(stdout) {
		t.Errorf("import wrote %q", stdout)
	}
	code, second, _ := runPlan(t, data, "", "export", "-")
	if code != exitOK || second != first {
		t.Fatalf("export after import differs (exit %d):\n%s", code, second)
	}

	// An edited plan with a comment is stored as written.
	edited := "# Herzien door het crisisteam\n" + strings.Replace(first, "name: Voorbeeld B.V.", "name: Gemeente Voorbeeld", 1)
	if code, _, stderr := runPlan(t, data, edited, "import", "-"); code != exitOK {
		t.Fatalf("import of the edited plan: exit %d, %s", code, stderr)
	}
	if _, third, _ := runPlan(t, data, "", "export"); third != edited {
		t.Errorf("export after the second import:\n%s\nwant:\n%s", third, edited)
	}
}

// A plan with errors is refused whole: every error is printed, nothing is stored, and the exit code is 2.
func TestPlanImportInvalidLeavesStoredPlan(t *testing.T) {
	data := t.TempDir()
	_, good, _ := runPlan(t, data, "", "export")
	if code, _, stderr := runPlan(t, data, good, "import", "-"); code != exitOK {
		t.Fatalf("import: exit %d, %s", code, stderr)
	}

	bad := strings.Replace(good, "wait: 15", "wait: 0", 1)
	bad = strings.Replace(bad, "name: Anna de Vries", "naem: Anna de Vries", 1)
	bad = strings.Replace(bad, "- bram\n", "- bran\n", 1)
	file := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runPlan(t, data, "", "import", file)
	if code != exitUsage {
		t.Errorf("import of an invalid plan: exit %d, want %d", code, exitUsage)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	wantLines := []*regexp.Regexp{
		regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:8:5: people\[0\]\.naem: unknown field "naem" \(did you mean "name"\?\)$`),
		regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:\d+:\d+: people\[0\]\.name: is required$`),
		regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:\d+:\d+: schedules\[1\]\.rotations\[0\]\.people\[1\]: no person with id "bran"$`),
		regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:\d+:\d+: escalation\.policies\[0\]\.steps\[0\]\.wait: must be > 0$`),
	}
	if len(lines) != len(wantLines) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(wantLines), stderr)
	}
	for _, re := range wantLines {
		found := false
		for _, l := range lines {
			found = found || re.MatchString(l)
		}
		if !found {
			t.Errorf("stderr has no line matching %s:\n%s", re, stderr)
		}
	}

	if _, after, _ := runPlan(t, data, "", "export"); after != good {
		t.Errorf("the stored plan changed after a refused import")
	}
	st, err := openStore(t.Context(), config{Data: data}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if vs, err := st.PlanVersions(t.Context()); err != nil || len(vs) != 1 {
		t.Errorf("PlanVersions = %d versions, %v; want 1", len(vs), err)
	}
}

func TestPlanCommandErrors(t *testing.T) {
	data := t.TempDir()
	bad := "organisation:\n  name: X\n  lang: de\n"
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"no subcommand", []string{"plan"}, "", exitUsage, "usage: crisisdesk plan export"},
		{"unknown subcommand", []string{"plan", "show"}, "", exitUsage, "usage: crisisdesk plan export"},
		{"help", []string{"plan", "-h"}, "", exitOK, "all or nothing"},
		{"import without a file", []string{"plan", "import", "--data", data}, "", exitUsage, "usage:"},
		{"bad language", []string{"plan", "check", "--data", data, "--lang", "de", "-"}, "", exitUsage, "usage:"},
		{"missing file", []string{"plan", "import", "--data", data, "nope.yaml"}, "", exitUsage, "nope.yaml"},
		{"check in English", []string{"plan", "check", "--data", data, "-"}, bad, exitUsage,
			`-:3:9: organisation.lang: "de" is not allowed: must be one of nl, en`},
		{"check in Dutch", []string{"plan", "check", "--data", data, "--lang", "nl", "-"}, bad, exitUsage,
			`-:3:9: organisation.lang: "de" mag niet: moet een van nl, en zijn`},
		{"empty plan", []string{"plan", "check", "--data", data, "-"}, "", exitUsage, "-: the plan is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, errb.String(), tt.code, tt.stderr)
			}
		})
	}
}

func TestPlanCheckValid(t *testing.T) {
	data := t.TempDir()
	_, good, _ := runPlan(t, data, "", "export")
	if code, _, stderr := runPlan(t, data, good, "check", "-"); code != exitOK {
		t.Errorf("check of the default plan: exit %d, %s", code, stderr)
	}
}
