package bluesky

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeEvent feeds arbitrary messages through the Jetstream decoder and the post mapping: nothing
// may panic, and every post that comes out must be valid and point at the commit it came from. The seed
// corpus in testdata/fuzz/FuzzDecodeEvent holds the recorded stream's events and facet edge cases.
func FuzzDecodeEvent(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := DecodeEvent(data)
		if err != nil {
			return
		}
		p, err := ToPost(ev, "someone.example")
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid post: %v\n%+v", err, p)
		}
		if want := "at://" + ev.DID + "/app.bsky.feed.post/" + ev.Commit.RKey; p.ID != want {
			t.Fatalf("id %q, want %q", p.ID, want)
		}
		if !utf8.ValidString(p.Text) || p.Author.ID != ev.DID {
			t.Fatalf("text %q author %q", p.Text, p.Author.ID)
		}
		if p.ReplyTo != "" && !strings.HasPrefix(p.ReplyTo, "at://") {
			t.Fatalf("reply_to %q", p.ReplyTo)
		}
		if p.QuoteOf != "" && !strings.HasPrefix(p.QuoteOf, "at://") {
			t.Fatalf("quote_of %q", p.QuoteOf)
		}
	})
}
