package plan

import (
	"errors"
	"io/fs"
	"testing"
)

func TestSecretResolve(t *testing.T) {
	env := map[string]string{"SMTP_PASSWORD": "s3cret", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	files := map[string]string{"/run/secrets/teams": "https://example.org/hook\n"}
	read := func(p string) ([]byte, error) {
		if v, ok := files[p]; ok {
			return []byte(v), nil
		}
		return nil, fs.ErrNotExist
	}
	tests := []struct {
		ref     string
		want    string
		wantErr error
		refused bool // not a reference at all
	}{
		{"", "", nil, false},
		{"env:SMTP_PASSWORD", "s3cret", nil, false},
		{"env:EMPTY", "", nil, false},
		{"env:MISSING", "", ErrSecretUnset, false},
		{"file:/run/secrets/teams", "https://example.org/hook", nil, false},
		{"file:/run/secrets/nope", "", fs.ErrNotExist, false},
		{"hunter2", "", nil, true},
		{"env:1BAD", "", nil, true},
	}
	for _, tt := range tests {
		got, err := Secret{Ref: tt.ref}.Resolve(lookup, read)
		switch {
		case tt.refused:
			if err == nil {
				t.Errorf("Resolve(%q) = %q, want an error", tt.ref, got)
			}
		case tt.wantErr != nil:
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Resolve(%q) error %v, want %v", tt.ref, err, tt.wantErr)
			}
		case err != nil || got != tt.want:
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
		}
	}
}

func TestTextIn(t *testing.T) {
	tests := []struct {
		text       Text
		lang, want string
	}{
		{Text{NL: "Laag", EN: "Low"}, "nl", "Laag"},
		{Text{NL: "Laag", EN: "Low"}, "en", "Low"},
		{Text{NL: "Laag"}, "en", "Laag"},
		{Text{EN: "Low"}, "nl", "Low"},
		{Text{NL: "Laag", EN: "Low"}, "de", "Low"},
	}
	for _, tt := range tests {
		if got := tt.text.In(tt.lang); got != tt.want {
			t.Errorf("%+v.In(%q) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}
