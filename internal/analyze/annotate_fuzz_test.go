package analyze

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzAnnotate checks that no text makes Annotate panic or break the output contract.
func FuzzAnnotate(f *testing.F) {
	for _, s := range []string{
		"", "Groot datalek bij de bank!", "@KPN al 3 dagen geen internet 😡", "not bad /s", "#DataLek #fail",
		"niet niet niet goed", "life hack: lekker", "\xff\xfe", "e-mailadres", "can't log in", "🙄🙄🙄",
	} {
		f.Add(s, "nl")
		f.Add(s, "")
	}
	a, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s, hint string) {
		an := a.AnnotateText("f", s, hint)
		if an.Categories == nil {
			t.Fatal("nil categories")
		}
		if math.IsNaN(an.Sentiment.Score) || an.Sentiment.Score < -1 || an.Sentiment.Score > 1 {
			t.Fatalf("sentiment score %v", an.Sentiment.Score)
		}
		if math.IsNaN(an.ComplaintScore) || an.ComplaintScore < 0 || an.ComplaintScore > 1 {
			t.Fatalf("complaint score %v", an.ComplaintScore)
		}
		if _, err := json.Marshal(an); err != nil {
			t.Fatal(err)
		}
		for c, ev := range an.Evidence {
			for _, e := range ev {
				if e == "" || (utf8.ValidString(s) && !utf8.ValidString(e)) {
					t.Fatalf("category %s: bad evidence %q", c, e)
				}
			}
		}
	})
}
