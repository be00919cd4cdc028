package supervisor

import (
	"errors"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func TestValidate(t *testing.T) {
	tok := Credentials{Token: secret.New("t0ken")}
	tests := []struct {
		name  string
		kind  string
		s     Settings
		creds Credentials
		want  error
	}{
		{"bluesky default url", store.SourceBluesky, Settings{}, Credentials{}, nil},
		{"bluesky own url and langs", store.SourceBluesky, Settings{URL: "wss://jetstream.example/subscribe", Langs: []string{"nl", "en"}}, Credentials{}, nil},
		{"bluesky http url", store.SourceBluesky, Settings{URL: "https://jetstream.example/subscribe"}, Credentials{}, ErrURL},
		{"rss websocket url", store.SourceRSS, Settings{URL: "wss://news.example/rss"}, Credentials{}, ErrURL},
		{"bluesky bad lang", store.SourceBluesky, Settings{Langs: []string{"Dutch"}}, Credentials{}, ErrLang},
		{"mastodon public", store.SourceMastodon, Settings{URL: "https://social.example", Stream: StreamPublic}, Credentials{}, nil},
		{"mastodon hashtag", store.SourceMastodon, Settings{URL: "https://social.example", Stream: StreamHashtag, Hashtag: "#storing"}, Credentials{}, nil},
		{"mastodon hashtag missing", store.SourceMastodon, Settings{URL: "https://social.example", Stream: StreamHashtag, Hashtag: " # "}, Credentials{}, ErrHashtag},
		{"mastodon user needs token", store.SourceMastodon, Settings{URL: "https://social.example", Stream: StreamUser}, Credentials{}, ErrToken},
		{"mastodon user", store.SourceMastodon, Settings{URL: "https://social.example", Stream: StreamUser}, tok, nil},
		{"mastodon no url", store.SourceMastodon, Settings{Stream: StreamPublic}, Credentials{}, ErrURLRequired},
		{"mastodon bad stream", store.SourceMastodon, Settings{URL: "https://social.example", Stream: "local"}, Credentials{}, ErrStream},
		{"rss", store.SourceRSS, Settings{URL: "https://news.example/rss", Interval: "15m"}, Credentials{}, nil},
		{"rss too often", store.SourceRSS, Settings{URL: "https://news.example/rss", Interval: "10s"}, Credentials{}, ErrInterval},
		{"rss no duration", store.SourceRSS, Settings{URL: "https://news.example/rss", Interval: "often"}, Credentials{}, ErrInterval},
		{"rss relative url", store.SourceRSS, Settings{URL: "/rss"}, Credentials{}, ErrURL},
		{"rss file url", store.SourceRSS, Settings{URL: "file:///etc/passwd"}, Credentials{}, ErrURL},
		{"x needs token", store.SourceX, Settings{SyncRules: true}, Credentials{}, ErrToken},
		{"x", store.SourceX, Settings{SyncRules: true}, tok, nil},
		{"webhook needs secret", store.SourceWebhook, Settings{}, Credentials{}, ErrToken},
		{"webhook", store.SourceWebhook, Settings{}, tok, nil},
		{"unknown kind", "facebook", Settings{}, tok, ErrKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Validate(tt.kind, tt.creds); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCredentialsSealed(t *testing.T) {
	box, err := secret.NewBox([]byte(strings.Repeat("b", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	sealedText, err := SealCredentials(box, Credentials{Token: secret.New("glpat-very-secret")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealedText, "very-secret") {
		t.Fatalf("sealed credentials show the token: %q", sealedText)
	}
	got, err := OpenCredentials(box, sealedText)
	if err != nil || got.Token.Reveal() != "glpat-very-secret" {
		t.Fatalf("OpenCredentials = %v, %v", got.Token.Reveal() == "glpat-very-secret", err)
	}
	if s, err := SealCredentials(box, Credentials{}); err != nil || s != "" {
		t.Errorf("no credentials sealed to %q, %v", s, err)
	}
	if c, err := OpenCredentials(box, ""); err != nil || !c.Token.IsZero() {
		t.Errorf("opening nothing = %v, %v", c, err)
	}
	if _, err := OpenCredentials(box, "v1:00000000:AAAA"); !errors.Is(err, secret.ErrUnknownKey) {
		t.Errorf("opening under another key = %v", err)
	}
}

func TestMastodonStreamURL(t *testing.T) {
	tests := []struct{ instance, stream, tag, want string }{
		{"https://social.example/", StreamPublic, "", "https://social.example/api/v1/streaming/public"},
		{"https://social.example", StreamHashtag, "#storing nu", "https://social.example/api/v1/streaming/hashtag?tag=storing+nu"},
		{"https://social.example", StreamUser, "", "https://social.example/api/v1/streaming/user"},
	}
	for _, tt := range tests {
		if got := MastodonStreamURL(tt.instance, tt.stream, tt.tag); got != tt.want {
			t.Errorf("MastodonStreamURL(%q, %q, %q) = %q, want %q", tt.instance, tt.stream, tt.tag, got, tt.want)
		}
	}
}

// FuzzParseSettings: stored settings JSON never panics the parser, and what parses survives a round trip.
func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{"", "{}", `{"url":"https://news.example/rss","interval":"5m"}`, `{"langs":["nl","en"]}`, `{"url":`, `[1]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := ParseSettings(raw)
		if err != nil {
			return
		}
		_ = s.Validate(store.SourceRSS, Credentials{})
		back, err := ParseSettings(s.JSON())
		if err != nil || back.JSON() != s.JSON() {
			t.Fatalf("round trip of %q: %q, %v", raw, back.JSON(), err)
		}
	})
}
