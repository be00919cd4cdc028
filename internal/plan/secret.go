package plan

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSecretUnset is returned by Resolve for a secret whose environment variable is not set.
var ErrSecretUnset = errors.New("plan: secret not set")

// Resolve reads the secret s refers to: the environment variable of env:NAME through lookupEnv, or the
// file of file:PATH through readFile, without its trailing newline. They are parameters so that the
// caller decides where secrets come from and tests need no real environment. An unset secret (no Ref)
// is "".
func (s Secret) Resolve(lookupEnv func(string) (string, bool), readFile func(string) ([]byte, error)) (string, error) {
	if s.Ref == "" {
		return "", nil
	}
	kind, rest, _ := strings.Cut(s.Ref, ":")
	switch {
	case kind == "env" && envName.MatchString(rest):
		v, ok := lookupEnv(rest)
		if !ok {
			return "", fmt.Errorf("%w: environment variable %s", ErrSecretUnset, rest)
		}
		return v, nil
	case kind == "file" && strings.TrimSpace(rest) != "":
		b, err := readFile(rest)
		if err != nil {
			return "", fmt.Errorf("plan: secret %s: %w", s.Ref, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", fmt.Errorf("plan: secret %q: want env:NAME or file:PATH", s.Ref)
}
