package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planBaseCases are the subtests of saving a plan on top of a known version.
func planBaseCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PlanSaveOnBase", testPlanSaveOnBase},
		{"PlanSaveOnBaseRace", testPlanSaveOnBaseRace},
	}
}

func testPlanSaveOnBase(t *testing.T, s store.Store) {
	ctx := t.Context()
	save := func(name string, on int64) (store.PlanVersion, error) {
		v := store.PlanVersion{YAML: "organisation:\n  name: " + name + "\n", Author: name + "@example.org", CreatedAt: base}
		err := s.SavePlanOn(ctx, &v, on)
		return v, err
	}
	tests := []struct {
		name    string
		base    int64
		want    int64 // the new version; 0 when the save must be refused
		latest  int64 // the newest version afterwards
		comment string
	}{
		{"first", 0, 1, 1, "the first plan is saved on base 0"},
		{"second", 1, 2, 2, "a save on the newest version"},
		{"stale", 1, 0, 2, "a save on an older version is a conflict"},
		{"again-stale", 0, 0, 2, "a save on no plan when there is one is a conflict"},
		{"future", 7, 0, 2, "a version that does not exist yet is a conflict, not a gap"},
		{"third", 2, 3, 3, "after conflicts, a save on the newest version still works"},
	}
	for _, tt := range tests {
		v, err := save(tt.name, tt.base)
		switch {
		case tt.want == 0 && !errors.Is(err, store.ErrConflict):
			t.Fatalf("%s: SavePlanOn(%d) = %v, want ErrConflict", tt.comment, tt.base, err)
		case tt.want != 0 && err != nil:
			t.Fatalf("%s: SavePlanOn(%d): %v", tt.comment, tt.base, err)
		case tt.want != 0 && v.Version != tt.want:
			t.Fatalf("%s: version %d, want %d", tt.comment, v.Version, tt.want)
		}
		latest, err := s.LatestPlan(ctx)
		if err != nil {
			t.Fatalf("%s: LatestPlan: %v", tt.comment, err)
		}
		if latest.Version != tt.latest {
			t.Fatalf("%s: newest version %d, want %d", tt.comment, latest.Version, tt.latest)
		}
		if tt.want != 0 && !samePlan(latest, v) {
			t.Fatalf("%s: LatestPlan = %+v, want %+v", tt.comment, latest, v)
		}
	}
	// SavePlan and SavePlanOn share one history.
	plain := store.PlanVersion{YAML: "organisation:\n  name: cli\n", Author: "cli", CreatedAt: base}
	if err := s.SavePlan(ctx, &plain); err != nil || plain.Version != 4 {
		t.Fatalf("SavePlan after SavePlanOn: version %d, %v; want 4", plain.Version, err)
	}
	if _, err := save("behind", 3); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("SavePlanOn(3) after a plain save: %v, want ErrConflict", err)
	}
}

// Of n saves racing on the same base, exactly one is stored.
func testPlanSaveOnBaseRace(t *testing.T, s store.Store) {
	first := store.PlanVersion{YAML: "organisation:\n  name: start\n", Author: "cli", CreatedAt: base}
	if err := s.SavePlanOn(t.Context(), &first, 0); err != nil {
		t.Fatalf("SavePlanOn: %v", err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			v := store.PlanVersion{YAML: fmt.Sprintf("organisation:\n  name: racer %d\n", i), Author: "cli", CreatedAt: base}
			errs[i] = s.SavePlanOn(t.Context(), &v, 1)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Fatalf("racer %d: %v, want nil or ErrConflict", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d racing saves on one base were stored, want exactly 1", won, n)
	}
	vs, err := s.PlanVersions(t.Context())
	if err != nil || len(vs) != 2 {
		t.Fatalf("PlanVersions: %d versions, %v; want 2", len(vs), err)
	}
}
