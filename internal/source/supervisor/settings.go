package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// DefaultJetstreamURL is the public Jetstream instance a Bluesky source listens to when no URL is set.
// Listening to Bluesky needs no account, so this default makes a Bluesky source work out of the box.
const DefaultJetstreamURL = "wss://jetstream2.us-east.bsky.network/subscribe"

// Mastodon streams a source may follow.
const (
	StreamPublic  = "public"
	StreamHashtag = "hashtag"
	StreamUser    = "user"
)

// MinInterval bounds a feed's polling interval from below, so a typo cannot hammer a news site.
const MinInterval = time.Minute

// Settings are a source's non-secret settings, kept as the JSON in store.Source.Settings. Each kind
// uses some of the fields; Validate says which.
type Settings struct {
	URL      string   `json:"url,omitempty"`      // Jetstream endpoint, Mastodon instance, feed, or X API base
	Langs    []string `json:"langs,omitempty"`    // bluesky: keep only posts in these languages; empty keeps all
	Stream   string   `json:"stream,omitempty"`   // mastodon: public, hashtag or user
	Hashtag  string   `json:"hashtag,omitempty"`  // mastodon: the tag of a hashtag stream, without #
	Interval string   `json:"interval,omitempty"` // rss: time between polls, as a Go duration ("5m")
	// SyncRules makes an X source replace the filtered stream's rules with those of the enabled
	// monitors each time it starts.
	SyncRules bool `json:"sync_rules,omitempty"`
	// Engagement makes a Bluesky source count likes and reposts of stored posts, so their engagement
	// grows and the viral-post detector sees them spread. It asks Jetstream for those records too,
	// several times the events of posts alone.
	Engagement bool `json:"engagement,omitempty"`
}

// ParseSettings reads the JSON of store.Source.Settings; "" is the zero Settings.
func ParseSettings(raw string) (Settings, error) {
	var s Settings
	if strings.TrimSpace(raw) == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return Settings{}, fmt.Errorf("source settings: %w", err)
	}
	return s, nil
}

// JSON is the form store.Source.Settings keeps.
func (s Settings) JSON() string {
	b, err := json.Marshal(s)
	if err != nil {
		// Settings holds only strings, a bool and a string slice, which always marshal.
		panic(fmt.Sprintf("supervisor: marshal settings: %v", err))
	}
	return string(b)
}

// Errors of Validate. The web app maps each to a message in the user's language.
var (
	ErrKind        = errors.New("unknown source kind")
	ErrURL         = errors.New("URL must be an absolute URL: ws or wss for Jetstream, http or https for the others")
	ErrURLRequired = errors.New("URL is required")
	ErrStream      = errors.New("stream must be public, hashtag or user")
	ErrHashtag     = errors.New("a hashtag stream needs a hashtag")
	ErrInterval    = errors.New("interval must be a duration of at least one minute, such as 5m")
	ErrLang        = errors.New("languages must be two-letter codes")
	ErrToken       = errors.New("this kind of source needs a token")
)

// Validate checks s for a source of kind with credentials creds.
func (s Settings) Validate(kind string, creds Credentials) error {
	if !slices.Contains(store.SourceKinds, kind) {
		return fmt.Errorf("%w: %q", ErrKind, kind)
	}
	if s.URL != "" {
		// Jetstream is a websocket; everything else speaks HTTP.
		schemes := []string{"http", "https"}
		if kind == store.SourceBluesky {
			schemes = []string{"ws", "wss"}
		}
		u, err := url.Parse(s.URL)
		if err != nil || !u.IsAbs() || u.Host == "" || !slices.Contains(schemes, u.Scheme) {
			return ErrURL
		}
	}
	for _, l := range s.Langs {
		if len(l) != 2 || strings.ToLower(l) != l {
			return ErrLang
		}
	}
	switch kind {
	case store.SourceMastodon:
		if s.URL == "" {
			return ErrURLRequired
		}
		switch s.Stream {
		case StreamPublic, StreamUser:
		case StreamHashtag:
			if strings.Trim(s.Hashtag, "# ") == "" {
				return ErrHashtag
			}
		default:
			return ErrStream
		}
		if s.Stream == StreamUser && creds.Token.IsZero() {
			return ErrToken
		}
	case store.SourceRSS:
		if s.URL == "" {
			return ErrURLRequired
		}
		if s.Interval != "" {
			d, err := time.ParseDuration(s.Interval)
			if err != nil || d < MinInterval {
				return ErrInterval
			}
		}
	case store.SourceX:
		if creds.Token.IsZero() {
			return ErrToken
		}
	case store.SourceWebhook:
		if creds.Token.IsZero() {
			return ErrToken
		}
	}
	return nil
}

// Credentials are a source's secrets: the Mastodon access token, the X bearer token, or the shared
// secret that signs a webhook's requests. They are kept sealed in store.Source.Credentials.
type Credentials struct {
	Token secret.Secret
}

// sealed is Credentials as JSON before sealing. secret.Secret marshals as "[redacted]" on purpose, so
// the plaintext form is spelled out here, the one place credentials are encoded.
type sealed struct {
	Token string `json:"token,omitempty"`
}

// SealCredentials seals c with box; no credentials seal to "".
func SealCredentials(box *secret.Box, c Credentials) (string, error) {
	if c.Token.IsZero() {
		return "", nil
	}
	b, err := json.Marshal(sealed{Token: c.Token.Reveal()})
	if err != nil {
		return "", fmt.Errorf("seal credentials: %w", err)
	}
	s, err := box.Seal(b)
	if err != nil {
		return "", fmt.Errorf("seal credentials: %w", err)
	}
	return s, nil
}

// OpenCredentials opens what SealCredentials returned.
func OpenCredentials(box *secret.Box, s string) (Credentials, error) {
	b, err := box.Open(s)
	if err != nil {
		return Credentials{}, fmt.Errorf("open credentials: %w", err)
	}
	if len(b) == 0 {
		return Credentials{}, nil
	}
	var v sealed
	if err := json.Unmarshal(b, &v); err != nil {
		return Credentials{}, fmt.Errorf("open credentials: %w", err)
	}
	return Credentials{Token: secret.New(v.Token)}, nil
}

// MastodonStreamURL is the streaming endpoint for an instance and stream, as the mastodon connector
// wants it.
func MastodonStreamURL(instance, stream, hashtag string) string {
	base := strings.TrimRight(instance, "/")
	switch stream {
	case StreamHashtag:
		return base + "/api/v1/streaming/hashtag?tag=" + url.QueryEscape(strings.Trim(hashtag, "# "))
	case StreamUser:
		return base + "/api/v1/streaming/user"
	}
	return base + "/api/v1/streaming/public"
}
