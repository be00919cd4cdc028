package analyze

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// AnnotateTokens, given the tokens of the text, must find exactly what AnnotateText finds, and must
// not keep or change the caller's tokens.
func TestAnnotateTokensSameAsText(t *testing.T) {
	a := mustAnalyzer(t)
	texts := []string{
		"",
		"Groot datalek bij de bank, schandalig!",
		"@united you lost my bag and nobody responds #fail",
		"Heerlijk gegeten, top service 😍",
		"Storing bij KPN: internet ligt er al uren uit https://status.example.nl/x ... niet bereikbaar",
		"Je suis très déçu du service client, toujours pas de réponse",
		"#DataLek bij @Gemeente — wat een #PRramp. Wachtrij van 2 uur!!",
		strings.Repeat("storing ", 500),
	}
	var tz text.Tokenizer
	var toks []text.Token
	for _, s := range texts {
		for _, hint := range []string{"", "nl", "en"} {
			want, _ := json.Marshal(a.AnnotateText("x", s, hint))
			toks = tz.Tokenize(toks[:0], s)
			before := append([]text.Token(nil), toks...)
			got, _ := json.Marshal(a.AnnotateTokens("x", s, hint, toks))
			if string(got) != string(want) {
				t.Errorf("%q hint %q:\n got %s\nwant %s", s, hint, got, want)
			}
			for i := range toks {
				if toks[i] != before[i] {
					t.Fatalf("%q: token %d changed from %+v to %+v", s, i, before[i], toks[i])
				}
			}
		}
	}
}
