package x

import (
	"os"
	"strings"
	"testing"
)

// FuzzStreamLine feeds arbitrary stream lines to the decoder and the mapping: neither may panic, and every
// post that comes out must be valid.
func FuzzStreamLine(f *testing.F) {
	b, err := os.ReadFile("testdata/stream.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		sl, err := DecodeStreamLine(line)
		if err != nil || sl.Data == nil {
			return
		}
		users := map[string]User{}
		for _, u := range sl.Includes.Users {
			users[u.ID] = u
		}
		p, err := ToPost(*sl.Data, users)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ToPost gave an invalid post: %v\n%+v", err, p)
		}
	})
}
