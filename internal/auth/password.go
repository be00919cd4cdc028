package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits. The minimum follows current NIST guidance for memorised secrets; the maximum
// only keeps a hostile form post from making hashing expensive.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// Params are the argon2id cost parameters. The zero value means DefaultParams.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams follows the OWASP password storage recommendation for argon2id (64 MiB, one pass,
// parallelism 2): about 50 ms on a small server, with memory hardness doing the work.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}
}

func (p Params) orDefault() Params {
	if p == (Params{}) {
		return DefaultParams()
	}
	return p
}

func (p Params) validate() error {
	switch {
	case p.Memory < 8*uint32(p.Threads) || p.Memory == 0:
		return fmt.Errorf("argon2 memory %d KiB is below 8 KiB per thread", p.Memory)
	case p.Time < 1:
		return errors.New("argon2 time must be at least 1")
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.SaltLen < 8:
		return errors.New("argon2 salt must be at least 8 bytes")
	case p.KeyLen < 16:
		return errors.New("argon2 key must be at least 16 bytes")
	}
	return nil
}

// CheckPassword reports whether password is acceptable as a new password.
func CheckPassword(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return fmt.Errorf("%w: invalid UTF-8", ErrWeakPassword)
	case n < MinPasswordLen:
		return fmt.Errorf("%w: %d characters, at least %d needed", ErrWeakPassword, n, MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrWeakPassword, MaxPasswordLen)
	}
	return nil
}

// HashPassword returns the argon2id hash of password in the PHC string format
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash>, with unpadded standard base64 as the format prescribes.
func HashPassword(password string, p Params) (string, error) {
	p = p.orDefault()
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded hash. The parameters are read from the
// hash, so hashes made with older parameters keep working after the defaults change. The comparison
// takes the same time whatever the position of the first differing byte.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// errBadHash says a stored hash cannot be read. It never reaches a user; it points at a damaged row.
var errBadHash = errors.New("auth: stored password hash is not a valid argon2id PHC string")

// maxHashMemory bounds the memory a stored hash may ask for, so a tampered row cannot exhaust the server.
const maxHashMemory = 4 << 20 // KiB, 4 GiB

func decodeHash(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errBadHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, fmt.Errorf("%w: unsupported version %q", errBadHash, parts[2])
	}
	var p Params
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return Params{}, nil, nil, errBadHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Params{}, nil, nil, fmt.Errorf("%w: parameter %s: %w", errBadHash, k, err)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return Params{}, nil, nil, fmt.Errorf("%w: parallelism %d", errBadHash, n)
			}
			p.Threads = uint8(n)
		default:
			return Params{}, nil, nil, fmt.Errorf("%w: unknown parameter %q", errBadHash, k)
		}
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: salt: %w", errBadHash, err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: hash: %w", errBadHash, err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: %w", errBadHash, err)
	}
	if p.Memory > maxHashMemory || p.Time > 64 {
		return Params{}, nil, nil, fmt.Errorf("%w: cost too high", errBadHash)
	}
	return p, salt, key, nil
}
