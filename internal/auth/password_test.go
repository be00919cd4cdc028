package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and the verification do not depend on the cost.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not in the PHC format", h)
	}
	h2, err := HashPassword("correct horse battery", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{"correct horse battery ", false},
	}
	for _, tt := range tests {
		got, err := VerifyPassword(tt.password, h)
		if err != nil {
			t.Fatalf("verify %q: %v", tt.password, err)
		}
		if got != tt.want {
			t.Errorf("verify %q = %v, want %v", tt.password, got, tt.want)
		}
	}
}

func TestDefaultParamsFormat(t *testing.T) {
	h, err := HashPassword("a long enough password", Params{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Fatalf("default hash %q does not use m=64MiB t=1 p=2", h)
	}
	ok, err := VerifyPassword("a long enough password", h)
	if err != nil || !ok {
		t.Fatalf("verify = %v, %v", ok, err)
	}
}

// The parameters written into a hash must be the ones read back: they, not today's defaults, decide
// how an old hash is verified.
func TestDecodeHashParams(t *testing.T) {
	h, err := HashPassword("password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	p, salt, key, err := decodeHash(h)
	if err != nil {
		t.Fatal(err)
	}
	if p.Memory != 64 || p.Time != 1 || p.Threads != 1 || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("decoded %+v salt %d key %d", p, len(salt), len(key))
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	good, err := HashPassword("password123", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuv"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"old version", strings.Replace(good, "v=19", "v=16", 1)},
		{"missing part", strings.Join(parts[:5], "$")},
		{"bad number", strings.Replace(good, "m=64", "m=x", 1)},
		{"unknown parameter", strings.Replace(good, "p=1", "q=1", 1)},
		{"bad salt", strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$")},
		{"short key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$")},
		{"huge memory", strings.Replace(good, "m=64", "m=99999999", 1)},
		{"zero time", strings.Replace(good, "t=1", "t=0", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword("password123", tt.hash)
			if err == nil || ok {
				t.Fatalf("VerifyPassword = %v, %v; want an error", ok, err)
			}
			if !errors.Is(err, errBadHash) {
				t.Fatalf("error %v is not errBadHash", err)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"", false},
		{"123456789", false},
		{"1234567890", true},
		{"ëëëëëëëëë", false}, // nine characters, eighteen bytes: characters count, not bytes
		{"ëëëëëëëëëë", true},
		{strings.Repeat("a", MaxPasswordLen), true},
		{strings.Repeat("a", MaxPasswordLen+1), false},
		{"abcdefghij\xff", false},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.password)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrWeakPassword) {
			t.Errorf("CheckPassword(%q) = %v, not ErrWeakPassword", tt.password, err)
		}
	}
}
