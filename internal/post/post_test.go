package post

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

const good = `{"id":"at://did:plc:abc/app.bsky.feed.post/3k","platform":"bluesky","text":"Storing bij de bank","created_at":"2026-11-20T10:00:00Z","lang":"nl","author":{"id":"did:plc:abc","handle":"anna.bsky.social","followers":1234,"created_at":"2023-04-01T00:00:00Z","kind":"person"},"metrics":{"likes":3,"reposts":1},"extra":"ignored"}`

func TestDecode(t *testing.T) {
	p, err := Decode([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if p.ID != "at://did:plc:abc/app.bsky.feed.post/3k" || p.Platform != "bluesky" || !p.CreatedAt.Equal(want) ||
		p.Author.Followers != 1234 || p.Author.CreatedAt == nil || p.Metrics.Reposts != 1 || p.Lang != "nl" {
		t.Fatalf("decoded %+v", p)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not json", `{"id":`, "invalid JSON"},
		{"array", `[1]`, "expected a JSON object"},
		{"missing id", `{"platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z"}`, "id: required"},
		{"blank id", `{"id":" ","platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z"}`, "id: required"},
		{"missing platform", `{"id":"1","text":"a","created_at":"2026-11-20T10:00:00Z"}`, "platform: required"},
		{"missing text", `{"id":"1","platform":"x","created_at":"2026-11-20T10:00:00Z"}`, "text: required"},
		{"missing time", `{"id":"1","platform":"x","text":"a"}`, "created_at: required"},
		{"bad time", `{"id":"1","platform":"x","text":"a","created_at":"gisteren"}`, `created_at: "gisteren" is not an RFC 3339 time`},
		{"bad author time", `{"id":"1","platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z","author":{"created_at":"2023"}}`, "author.created_at:"},
		{"bad platform", `{"id":"1","platform":"myspace","text":"a","created_at":"2026-11-20T10:00:00Z"}`, `platform: "myspace" is not one of`},
		{"bad kind", `{"id":"1","platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z","author":{"kind":"bot"}}`, `author.kind: "bot"`},
		{"wrong type", `{"id":1,"platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z"}`, "id: expected string, got number"},
		{"negative followers", `{"id":"1","platform":"x","text":"a","created_at":"2026-11-20T10:00:00Z","author":{"followers":-1}}`, "author.followers: negative"},
		{"invalid utf8", "{\"id\":\"1\",\"platform\":\"x\",\"text\":\"\xff\",\"created_at\":\"2026-11-20T10:00:00Z\"}", "invalid UTF-8"},
		{"text too long", `{"id":"1","platform":"x","text":"` + strings.Repeat("a", MaxTextBytes+1) + `","created_at":"2026-11-20T10:00:00Z"}`, "text: 65537 bytes, more than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decode error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// readAll drains a Reader into posts and error strings.
func readAll(t *testing.T, in string) (ids []string, errs []string) {
	t.Helper()
	r := NewReader(strings.NewReader(in))
	for {
		p, err := r.Next()
		if err == io.EOF {
			return ids, errs
		}
		var ie *InputError
		if errors.As(err, &ie) {
			errs = append(errs, ie.Error())
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		ids = append(ids, p.ID)
	}
}

func line(id string) string {
	return `{"id":"` + id + `","platform":"x","text":"t","created_at":"2026-11-20T10:00:00Z"}`
}

func TestReaderJSONL(t *testing.T) {
	in := line("a") + "\n\n" + `{"id":"b"}` + "\r\n" + "not json\n" + line("c") + "\r\n" +
		strings.Repeat("x", MaxLineBytes+10) + "\n" + line("d")
	ids, errs := readAll(t, in)
	if strings.Join(ids, ",") != "a,c,d" {
		t.Errorf("ids = %v, want a,c,d", ids)
	}
	want := []string{"line 3: platform: required", "line 4: invalid JSON", "line 6: line longer than"}
	if len(errs) != len(want) {
		t.Fatalf("errs = %q, want %d errors", errs, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i], w) {
			t.Errorf("errs[%d] = %q, want prefix %q", i, errs[i], w)
		}
	}
}

func TestReaderArray(t *testing.T) {
	in := "  [" + line("a") + `,{"id":"b","platform":"x"},` + line("c") + "]\n"
	ids, errs := readAll(t, in)
	if strings.Join(ids, ",") != "a,c" {
		t.Errorf("ids = %v, want a,c", ids)
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "item 2: text: required") {
		t.Errorf("errs = %q", errs)
	}
}

func TestReaderArraySyntaxErrorKeepsEarlierItems(t *testing.T) {
	ids, errs := readAll(t, "["+line("a")+", {oops")
	if strings.Join(ids, ",") != "a" || len(errs) != 1 || !strings.HasPrefix(errs[0], "item 2: invalid JSON") {
		t.Fatalf("ids = %v, errs = %q", ids, errs)
	}
}

func TestReaderEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "   ", "[]", " [ ] "} {
		ids, errs := readAll(t, in)
		if len(ids) != 0 || len(errs) != 0 {
			t.Errorf("%q: ids = %v, errs = %v", in, ids, errs)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(line("z")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Decode accepted a post that Validate rejects: %v", err)
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add(line("a") + "\n" + line("b"))
	f.Add("[" + line("a") + "]")
	f.Add("x\n\n{}\n")
	f.Fuzz(func(t *testing.T, in string) {
		r := NewReader(strings.NewReader(in))
		for i := 0; i <= len(in)+1; i++ {
			_, err := r.Next()
			if err == io.EOF {
				return
			}
			var ie *InputError
			if err != nil && !errors.As(err, &ie) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
		}
		t.Fatal("reader did not reach EOF")
	})
}

func TestReaderPos(t *testing.T) {
	r := NewReader(strings.NewReader("\n" + line("a") + "\n\nbad\n" + line("b") + "\n"))
	var got []int
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		got = append(got, r.Pos())
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 5 {
		t.Fatalf("positions = %v, want [2 4 5]", got)
	}
}
