//go:build analyzetmp

package analyze

import (
	"fmt"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

func TestZZTok(t *testing.T) {
	for _, s := range []string{"e-mailadres niet GOED!!! don't #fail #DataLek :) :-( 🙄 👍🏽 ❤️ sooo goeeed", "Bedankt hoor @KPN, al 3 dagen geen internet. Life hack: kutbedrijf"} {
		for _, tk := range text.Tokenize(s) {
			fmt.Printf("%q/%q/%v/%d ", tk.Text, tk.Norm, tk.Kind, tk.Flags)
		}
		fmt.Println()
	}
	a, _ := New()
	for _, s := range []string{"Bedankt hoor @KPN, al 3 dagen geen internet.", "Wat een geweldige service, top!", "Het eten was niet lekker", "Our customer data was leaked by hackers", "Great life hack for cooking", "Die saus was lekker", "@Ziggo storing in Utrecht?? al 2 uur geen internet en tv", "@united you lost my bag and nobody responds. I want a refund!"} {
		an := a.AnnotateText("x", s, "")
		fmt.Printf("%+v\n", an)
	}
}
