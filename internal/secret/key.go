package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Environment variables that carry the key. The _FILE variant lets the key live in a mounted secret
// instead of the process environment.
const (
	EnvKey     = "CRISISDESK_SECRET_KEY"
	EnvKeyFile = "CRISISDESK_SECRET_KEY_FILE"
)

// GeneratedKeyFile is the name of the key file serve creates inside the data directory when no key is
// configured.
const GeneratedKeyFile = "secret.key"

// KeySource says where LoadKey found the key, so serve can log it (never the key itself).
type KeySource string

const (
	FromEnv       KeySource = "env"
	FromFile      KeySource = "file"
	FromGenerated KeySource = "generated" // created now in the data directory
	FromDataDir   KeySource = "data_dir"  // created by an earlier start in the data directory
)

// ParseKey decodes a base64 key (standard or URL alphabet, padded or not), surrounding whitespace
// ignored, as a key file written by hand usually ends in a newline.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("secret: key is %d bytes, want %d", len(k), KeySize)
			}
			return k, nil
		}
	}
	return nil, errors.New("secret: key is not base64")
}

// LoadKey finds the key: getenv(EnvKey), else the file named by getenv(EnvKeyFile), else
// dataDir/GeneratedKeyFile, which it creates with mode 0600 when it does not exist. dataDir "" means
// there is nowhere to generate a key, and LoadKey fails instead.
//
// The generated key sits next to the database it protects, so it guards against a leaked database
// dump or backup of the database alone, not against someone who can read the whole data directory.
func LoadKey(getenv func(string) string, dataDir string) ([]byte, KeySource, error) {
	if v := getenv(EnvKey); v != "" {
		k, err := ParseKey(v)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", EnvKey, err)
		}
		return k, FromEnv, nil
	}
	if name := getenv(EnvKeyFile); name != "" {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", EnvKeyFile, err)
		}
		k, err := ParseKey(string(b))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", EnvKeyFile, err)
		}
		return k, FromFile, nil
	}
	if dataDir == "" {
		return nil, "", fmt.Errorf("secret: no key: set %s or %s", EnvKey, EnvKeyFile)
	}
	name := filepath.Join(dataDir, GeneratedKeyFile)
	b, err := os.ReadFile(name)
	if err == nil {
		k, err := ParseKey(string(b))
		if err != nil {
			return nil, "", fmt.Errorf("secret: %s: %w", name, err)
		}
		return k, FromDataDir, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("secret: read key: %w", err)
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, "", fmt.Errorf("secret: generate key: %w", err)
	}
	// O_EXCL: two processes starting at once must not each write a different key.
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadKey(getenv, dataDir)
	}
	if err != nil {
		return nil, "", fmt.Errorf("secret: create key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, "", fmt.Errorf("secret: write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, "", fmt.Errorf("secret: write key file: %w", err)
	}
	return k, FromGenerated, nil
}
