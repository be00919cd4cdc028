package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A small run end to end: one seed, two weeks, no CrisisLexT26 data, scenarios written out.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"-seeds", "1", "-weeks", "2", "-data", filepath.Join(dir, "missing"), "-write", dir}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, errb.String())
	}
	for _, want := range []string{"**Generated scenarios**", "| outage | 1 |", "Median time to detect", "Hourly baseline"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errb.String(), "CrisisLexT26 not found") {
		t.Errorf("stderr %q does not say the curves were skipped", errb.String())
	}
	for _, f := range []string{"outage-1.jsonl", "outage-1.monitors.jsonl", "outage-1.label.json", "normal-1.jsonl"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if code := run([]string{"-seeds", "x"}, &out, &errb); code != 2 {
		t.Errorf("a bad flag exited %d, want 2", code)
	}
}
