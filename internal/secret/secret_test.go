package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSecretNeverPrints(t *testing.T) {
	s := New("hunter2-token")
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("x", "token", s)
	js, err := json.Marshal(struct{ T Secret }{s})
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%q": fmt.Sprintf("%q", s),
		"%x": fmt.Sprintf("%x", s), "%#v": fmt.Sprintf("%#v", s), "%+v": fmt.Sprintf("%+v", struct{ S Secret }{s}),
		"json": string(js), "slog": logBuf.String(),
	}
	for name, out := range outs {
		if strings.Contains(out, "hunter2") || !strings.Contains(out, Redacted) {
			t.Errorf("%s printed %q", name, out)
		}
	}
	if s.Reveal() != "hunter2-token" || s.IsZero() || !New("").IsZero() {
		t.Error("Reveal/IsZero wrong")
	}
}

func TestSealOpen(t *testing.T) {
	b, err := NewBox(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewBox(testKey(2))
	sealed, err := b.Seal([]byte("app-password"))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := b.Seal([]byte("app-password"))
	if sealed == again {
		t.Error("two seals of one value are equal: nonce not random")
	}
	if strings.Contains(sealed, "app-password") || !strings.HasPrefix(sealed, "v1:"+b.KeyID()+":") {
		t.Errorf("sealed = %q", sealed)
	}
	// Flip one ciphertext character, relabel to another key id, truncate.
	body := sealed[len("v1:")+9:]
	raw, _ := base64.RawStdEncoding.DecodeString(body)
	raw[len(raw)-1] ^= 1
	tampered := "v1:" + b.KeyID() + ":" + base64.RawStdEncoding.EncodeToString(raw)
	tests := []struct {
		name   string
		box    *Box
		in     string
		want   string
		wantEr error
	}{
		{"round trip", b, sealed, "app-password", nil},
		{"empty", b, "", "", nil},
		{"other key", other, sealed, "", ErrUnknownKey},
		{"relabelled", b, "v1:" + other.KeyID() + ":" + body, "", ErrUnknownKey},
		{"tampered", b, tampered, "", ErrDecrypt},
		{"wrong version", b, "v2" + sealed[2:], "", ErrMalformed},
		{"no body", b, "v1:" + b.KeyID(), "", ErrMalformed},
		{"short id", b, "v1:abc:" + body, "", ErrMalformed},
		{"bad base64", b, "v1:" + b.KeyID() + ":!!!", "", ErrMalformed},
		{"too short", b, "v1:" + b.KeyID() + ":AAAA", "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.in)
			if !errors.Is(err, tt.wantEr) || (tt.wantEr == nil && err != nil) {
				t.Fatalf("Open err = %v, want %v", err, tt.wantEr)
			}
			if string(got) != tt.want {
				t.Errorf("Open = %q, want %q", got, tt.want)
			}
		})
	}
	if s, _ := b.Seal(nil); s != "" {
		t.Errorf("Seal(nil) = %q", s)
	}
	if _, err := NewBox(testKey(1)[:16]); err == nil {
		t.Error("NewBox accepted a 16-byte key")
	}
}

func TestLoadKey(t *testing.T) {
	k := testKey(7)
	enc := base64.StdEncoding.EncodeToString(k)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k")
	if err := os.WriteFile(keyFile, []byte(enc+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		env     map[string]string
		dataDir string
		want    KeySource
		wantErr bool
	}{
		{"env", map[string]string{EnvKey: enc, EnvKeyFile: "/nonexistent"}, "", FromEnv, false},
		{"env url alphabet unpadded", map[string]string{EnvKey: base64.RawURLEncoding.EncodeToString(k)}, "", FromEnv, false},
		{"file", map[string]string{EnvKeyFile: keyFile}, "", FromFile, false},
		{"env short", map[string]string{EnvKey: base64.StdEncoding.EncodeToString(k[:16])}, "", "", true},
		{"env not base64", map[string]string{EnvKey: "not a key!"}, "", "", true},
		{"file missing", map[string]string{EnvKeyFile: filepath.Join(dir, "missing")}, "", "", true},
		{"nothing and no data dir", nil, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, src, err := LoadKey(env(tt.env), tt.dataDir)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && (src != tt.want || !bytes.Equal(got, k)) {
				t.Errorf("source %q, key equal %v", src, bytes.Equal(got, k))
			}
		})
	}
	t.Run("generated then reused", func(t *testing.T) {
		data := t.TempDir()
		k1, src1, err := LoadKey(env(nil), data)
		if err != nil || src1 != FromGenerated || len(k1) != KeySize {
			t.Fatalf("first: %v %q %d", err, src1, len(k1))
		}
		fi, err := os.Stat(filepath.Join(data, GeneratedKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
		}
		k2, src2, err := LoadKey(env(nil), data)
		if err != nil || src2 != FromDataDir || !bytes.Equal(k1, k2) {
			t.Fatalf("second: %v %q equal %v", err, src2, bytes.Equal(k1, k2))
		}
	})
}

// FuzzOpen feeds arbitrary text to the decoder: it must never panic, and anything it accepts must be
// a value that Seal could have produced, which round-trips.
func FuzzOpen(f *testing.F) {
	b, err := NewBox(testKey(3))
	if err != nil {
		f.Fatal(err)
	}
	good, _ := b.Seal([]byte("token"))
	for _, s := range []string{"", good, "v1:", "v1:" + b.KeyID() + ":", "v1:zzzzzzzz:AAAA", "v2:00000000:AAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, err := b.Open(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrDecrypt) {
				t.Fatalf("Open(%q) error %v is none of the sentinels", s, err)
			}
			return
		}
		resealed, err := b.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		back, err := b.Open(resealed)
		if err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("round trip of %q: %v", plain, err)
		}
	})
}
