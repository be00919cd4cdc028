package respond

import (
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	long := "https://www.example.com/a/very/long/path/that/goes/on/and/on?query=1"
	tests := []struct {
		name string
		p    Platform
		s    string
		want Length
	}{
		{"x ascii", X, "hello", Length{5, 280, UnitWeighted}},
		{"x url counts 23", X, "see " + long, Length{4 + 23, 280, UnitWeighted}},
		{"x bare domain url", X, "zie nu.nl/artikel", Length{4 + 23, 280, UnitWeighted}},
		{"x cjk weighs 2", X, "日本語", Length{6, 280, UnitWeighted}},
		{"x emoji sequence weighs 2", X, "hi 👩‍👩‍👧‍👦", Length{3 + 2, 280, UnitWeighted}},
		{"x curly quotes weigh 1", X, "“ok”", Length{4, 280, UnitWeighted}},
		{"x accented latin weighs 1", X, "café", Length{4, 280, UnitWeighted}},
		{"x combining mark counts as code point", X, "cafe\u0301", Length{5, 280, UnitWeighted}},
		{"bluesky combining mark", Bluesky, "cafe\u0301", Length{4, 300, UnitGraphemes}},
		{"bluesky zwj family", Bluesky, "👩‍👩‍👧‍👦", Length{1, 300, UnitGraphemes}},
		{"bluesky flag", Bluesky, "🇳🇱🇬🇧", Length{2, 300, UnitGraphemes}},
		{"bluesky skin tone", Bluesky, "👍🏽 ok", Length{4, 300, UnitGraphemes}},
		{"bluesky keycap", Bluesky, "1️⃣", Length{1, 300, UnitGraphemes}},
		{"bluesky crlf", Bluesky, "a\r\nb", Length{3, 300, UnitGraphemes}},
		{"bluesky hangul jamo", Bluesky, "\u1100\u1161\u11A8", Length{1, 300, UnitGraphemes}},
		{"bluesky url is not shortened", Bluesky, "https://e.nl/abc", Length{16, 300, UnitGraphemes}},
		{"mastodon url 23", Mastodon, long, Length{23, 500, UnitChars}},
		{"mastodon bare domain is text", Mastodon, "nu.nl", Length{5, 500, UnitChars}},
		{"mastodon remote mention", Mastodon, "@anna@mastodon.social hoi", Length{5 + 4, 500, UnitChars}},
		{"threads", Threads, "héllo", Length{5, 500, UnitChars}},
		{"linkedin", LinkedIn, "", Length{0, 3000, UnitChars}},
		{"facebook", Facebook, "a", Length{1, 63206, UnitChars}},
		{"instagram", Instagram, "a b", Length{3, 2200, UnitChars}},
		{"email no limit", Email, strings.Repeat("a", 5000), Length{5000, 0, UnitChars}},
		{"press no limit", Press, "a", Length{1, 0, UnitChars}},
		{"invalid utf8 counts per byte", Bluesky, "a\xffb", Length{3, 300, UnitGraphemes}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.p, tt.s); got != tt.want {
				t.Errorf("Count(%s, %q) = %+v, want %+v", tt.p, tt.s, got, tt.want)
			}
		})
	}
}

func TestLengthOver(t *testing.T) {
	if !Count(X, strings.Repeat("a", 281)).Over() {
		t.Error("281 chars on X should be over")
	}
	if Count(X, strings.Repeat("a", 280)).Over() {
		t.Error("280 chars on X should fit")
	}
	if Count(Email, strings.Repeat("a", 100000)).Over() {
		t.Error("e-mail has no limit")
	}
}

func TestParsePlatform(t *testing.T) {
	for _, p := range Platforms() {
		if got, err := ParsePlatform(string(p)); err != nil || got != p {
			t.Errorf("ParsePlatform(%q) = %q, %v", p, got, err)
		}
	}
	if _, err := ParsePlatform("myspace"); err == nil {
		t.Error("ParsePlatform(myspace) should fail")
	}
}
