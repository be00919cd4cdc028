// Package secret owns credentials at rest: it seals them with AES-256-GCM under a key that comes from
// the environment or a file, and it keeps them out of logs, JSON and format strings.
//
// A sealed value is text: "v1:" then the key id, ":" and the base64 of nonce||ciphertext. The key id is
// the first 8 hex digits of the SHA-256 of the key, so a value sealed under an older key is recognised
// (and reported as such) once keys are rotated, instead of failing as corrupt data.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Redacted is what a Secret prints as, whichever way it is printed.
const Redacted = "[redacted]"

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// version is the format of sealed values. A later format gets a new prefix, and Open keeps reading
// this one.
const version = "v1"

// Errors Open returns; callers tell a wrong key apart from damaged data with errors.Is.
var (
	// ErrMalformed is a sealed value that is not in the v1 format.
	ErrMalformed = errors.New("secret: malformed sealed value")
	// ErrUnknownKey is a value sealed under a key this Box does not hold.
	ErrUnknownKey = errors.New("secret: sealed under another key")
	// ErrDecrypt is a value whose ciphertext does not authenticate under the key: damaged or forged.
	ErrDecrypt = errors.New("secret: cannot decrypt")
)

// Secret is a credential in memory. Printing, logging or marshalling it shows Redacted; only Reveal
// gives the value, so every place that uses a credential is easy to find.
type Secret struct{ v string }

// New wraps a credential.
func New(v string) Secret { return Secret{v: v} }

// Reveal returns the credential itself.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether no credential is set.
func (s Secret) IsZero() bool { return s.v == "" }

func (s Secret) String() string   { return Redacted }
func (s Secret) GoString() string { return Redacted }

// Format covers every verb, %x and %q included, which would otherwise bypass String.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// Box seals and opens credentials under one key.
type Box struct {
	id   string
	aead cipher.AEAD
}

// NewBox returns a Box for a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: new gcm: %w", err)
	}
	sum := sha256.Sum256(key)
	return &Box{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// KeyID identifies the key without revealing it; it is safe to log.
func (b *Box) KeyID() string { return b.id }

// Seal encrypts plaintext with a fresh random nonce. The key id and version are authenticated as
// additional data, so a value cannot be relabelled to another key. An empty plaintext seals to "", so
// "no credential" needs no ciphertext.
func (b *Box) Seal(plaintext []byte) (string, error) {
	if len(plaintext) == 0 {
		return "", nil
	}
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: nonce: %w", err)
	}
	sealed := b.aead.Seal(nonce, nonce, plaintext, b.ad())
	return version + ":" + b.id + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value Seal returned. "" opens to nil.
func (b *Box) Open(sealed string) ([]byte, error) {
	if sealed == "" {
		return nil, nil
	}
	ver, rest, ok := strings.Cut(sealed, ":")
	if !ok || ver != version {
		return nil, ErrMalformed
	}
	id, body, ok := strings.Cut(rest, ":")
	if !ok || len(id) != 8 {
		return nil, ErrMalformed
	}
	if _, err := hex.DecodeString(id); err != nil {
		return nil, ErrMalformed
	}
	if id != b.id {
		return nil, fmt.Errorf("%w: key id %s, this key is %s", ErrUnknownKey, id, b.id)
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, ErrMalformed
	}
	nonce, ct := raw[:b.aead.NonceSize()], raw[b.aead.NonceSize():]
	plain, err := b.aead.Open(nil, nonce, ct, b.ad())
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

func (b *Box) ad() []byte { return []byte(version + ":" + b.id) }
