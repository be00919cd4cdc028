package main

import (
	"bytes"
	"strings"
	"testing"
)

// -events takes all, even or odd and nothing else; the table says the first-week false alerts apart.
func TestEventsFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-seeds", "0", "-events", "half"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `-events "half"`) {
		t.Errorf("-events half: exit %d, stderr %q; want 2 and the flag named", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"-seeds", "1", "-weeks", "2", "-data", t.TempDir(), "-events", "odd"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "False alerts in a new monitor's first week:") {
		t.Errorf("output lacks the first-week line:\n%s", out.String())
	}
}
