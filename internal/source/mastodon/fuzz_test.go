package mastodon

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzStatus feeds arbitrary JSON through status decoding and mapping: nothing may panic, and every post
// that comes out must be valid. The seed corpus in testdata/fuzz/FuzzStatus holds the recorded statuses
// and malformed ones.
func FuzzStatus(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := DecodeStatus(data)
		if err != nil {
			return
		}
		p, err := ToPost("social.example", st)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("invalid post: %v\n%+v", err, p)
		}
		if p.Platform != "mastodon" || !utf8.ValidString(p.Text) {
			t.Fatalf("post %+v", p)
		}
		if st.Reblog != nil && p.RepostOf != st.Reblog.URI {
			t.Fatalf("repost_of %q, want %q", p.RepostOf, st.Reblog.URI)
		}
	})
}

// FuzzSSE feeds arbitrary bytes to the event-stream reader: it must end with an error (io.EOF at the
// latest) without panicking, and never return an event larger than its limit. Seeds are in
// testdata/fuzz/FuzzSSE.
func FuzzSSE(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 64
		r := newSSEReader(strings.NewReader(string(data)), limit, nil)
		for range len(data) + 1 {
			ev, err := r.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, errEventTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if len(ev.Data) > limit {
				t.Fatalf("event of %d bytes passed a limit of %d", len(ev.Data), limit)
			}
		}
		t.Fatal("reader did not reach the end of its input")
	})
}
