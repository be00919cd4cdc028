package web

import (
	"strings"
	"testing"
)

func joinDiff(ps []diffPart, added bool) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Added && !added || p.Removed && added {
			continue
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	got := wordDiff("We know there is a fault. Next update at 11:00.", "We know there is a fault in online banking. Next update at 12:00.")
	var marked []string
	for _, p := range got {
		if p.Added {
			marked = append(marked, "+"+p.Text)
		}
		if p.Removed {
			marked = append(marked, "-"+p.Text)
		}
	}
	want := []string{"-fault. ", "+fault in online banking. ", "-11:00.", "+12:00."}
	if strings.Join(marked, "|") != strings.Join(want, "|") {
		t.Errorf("wordDiff marks %q, want %q", marked, want)
	}
	if d := wordDiff("same text", "same text"); len(d) != 1 || d[0].Added || d[0].Removed {
		t.Errorf("an unchanged text: %+v", d)
	}
}

// FuzzWordDiff checks that a diff always rebuilds both texts.
func FuzzWordDiff(f *testing.F) {
	f.Add("We know there is {{issue}}.", "We know that there is {{issue}}.\nSorry.")
	f.Add("", "new")
	f.Add("  leading and  double  spaces ", "leading double spaces")
	f.Add("één twee\tdrie", "een twee drie")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := wordDiff(a, b)
		if joinDiff(d, false) != a || joinDiff(d, true) != b {
			t.Fatalf("wordDiff(%q, %q) = %+v does not rebuild both", a, b, d)
		}
	})
}
