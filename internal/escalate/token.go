package escalate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token errors. The web app shows ErrTokenInvalid and ErrTokenExpired the same way to a visitor, and
// ErrTokenUsed as "already acknowledged".
var (
	ErrTokenInvalid = errors.New("escalate: acknowledge link is not valid")
	ErrTokenExpired = errors.New("escalate: acknowledge link has expired")
	ErrTokenUsed    = errors.New("escalate: acknowledge link was already used")
)

// tokenPurpose separates ack-token MACs from anything else the same secret might sign.
const tokenPurpose = "crisisdesk-ack-v1."

// tokenClaims is what an acknowledge link carries: which alert, which recipient, until when.
type tokenClaims struct {
	Alert     string `json:"a"`
	Recipient string `json:"r"`
	Expires   int64  `json:"e"` // Unix seconds
}

// signToken returns base64url(claims) "." base64url(HMAC-SHA256(purpose + claims)). The link needs no
// login because only crisisdesk knows the secret; single use is enforced by the store, which records
// one acknowledgement per (alert, recipient).
func signToken(secret []byte, c tokenClaims) string {
	payload, _ := json.Marshal(c) // strings and an integer always encode
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(secret, p))
}

func tokenMAC(secret []byte, payload string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(tokenPurpose))
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// parseToken checks a token's MAC and expiry at now and returns its claims.
func parseToken(secret []byte, token string, now time.Time) (tokenClaims, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 2048 {
		return tokenClaims{}, ErrTokenInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, tokenMAC(secret, p)) {
		return tokenClaims{}, ErrTokenInvalid
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return tokenClaims{}, ErrTokenInvalid
	}
	var c tokenClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.Alert == "" || c.Recipient == "" {
		return tokenClaims{}, ErrTokenInvalid
	}
	if !now.Before(time.Unix(c.Expires, 0)) {
		return tokenClaims{}, fmt.Errorf("%w (at %s)", ErrTokenExpired, time.Unix(c.Expires, 0).UTC().Format(time.RFC3339))
	}
	return c, nil
}
