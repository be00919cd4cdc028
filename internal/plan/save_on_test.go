package plan_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// TestSaveOn saves on a real store: a save on the newest version is the next version, one on an
// older version is a conflict, and an invalid plan is refused before the store is asked; neither
// stores anything.
func TestSaveOn(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "plan.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, src, _, err := plan.Current(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	bad := bytes.Replace(src, []byte("wait: 15"), []byte("wait: 0"), 1)
	tests := []struct {
		name     string
		src      []byte
		base     int64
		want     int64 // the new version; 0 when refused
		conflict bool
	}{
		{"the first plan", src, 0, 1, false},
		{"the next on the newest", append([]byte("# v2\n"), src...), 1, 2, false},
		{"on an older version", append([]byte("# late\n"), src...), 1, 0, true},
		{"an invalid plan on the newest", bad, 2, 0, false},
		{"on the newest again", append([]byte("# v3\n"), src...), 2, 3, false},
	}
	for _, tt := range tests {
		_, got, err := plan.SaveOn(ctx, st, tt.src, "anna@example.org", now, tt.base)
		switch {
		case tt.conflict:
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("%s: %v, want ErrConflict", tt.name, err)
			}
		case tt.want == 0:
			var errs plan.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("%s: %v, want the plan's problems", tt.name, err)
			}
		case err != nil || got != tt.want:
			t.Fatalf("%s: version %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
	vs, err := st.PlanVersions(ctx)
	if err != nil || len(vs) != 3 || !bytes.HasPrefix([]byte(vs[0].YAML), []byte("# v3\n")) {
		t.Fatalf("stored %d versions (%v), want 3 ending with v3", len(vs), err)
	}
}
