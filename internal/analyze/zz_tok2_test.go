//go:build analyzetmp

package analyze

import (
	"fmt"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

func TestZZTok2(t *testing.T) {
	for _, s := range []string{"/s", "m'n", "can't stand", "e. coli", "502 bad gateway", "#metoo", "4g", "no-one", "i've", "what's going on", "kind of"} {
		for _, tk := range text.Tokenize(s) {
			fmt.Printf("%q/%q/%v/%d ", tk.Text, tk.Norm, tk.Kind, tk.Flags)
		}
		fmt.Println()
	}
}
