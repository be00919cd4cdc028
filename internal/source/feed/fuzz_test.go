package feed

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// FuzzPosts feeds arbitrary documents through the parser and the item mapping: whatever a publisher
// serves, every post that comes out must be valid, unique by id and in time order, and nothing may panic.
// The seed corpus in testdata/fuzz/FuzzPosts holds RSS 2.0, Atom and JSON Feed documents.
func FuzzPosts(f *testing.F) {
	const feedURL = "https://example.org/feed"
	f.Fuzz(func(t *testing.T, doc []byte) {
		parsed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
		if err != nil {
			return
		}
		posts := Posts(feedURL, parsed, now)
		seen := make(map[string]bool)
		for i, p := range posts {
			if err := p.Validate(); err != nil {
				t.Fatalf("post %d invalid: %v\n%+v", i, err, p)
			}
			if p.Platform != "news" || p.Author.Kind != "press" {
				t.Fatalf("post %d platform %q kind %q", i, p.Platform, p.Author.Kind)
			}
			if p.Text == "" || !utf8.ValidString(p.Text) {
				t.Fatalf("post %d text %q", i, p.Text)
			}
			if seen[p.ID] {
				t.Fatalf("id %q emitted twice", p.ID)
			}
			seen[p.ID] = true
		}
	})
}
