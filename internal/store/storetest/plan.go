package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planCases are the subtests of the plan history, which Run appends to its table.
func planCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PlanHistory", testPlanHistory},
		{"PlanConcurrentSaves", testPlanConcurrentSaves},
		{"PlanSaveCancelled", testPlanSaveCancelled},
	}
}

func testPlanHistory(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.LatestPlan(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LatestPlan on an empty store: %v, want ErrNotFound", err)
	}
	if vs, err := s.PlanVersions(ctx); err != nil || vs == nil || len(vs) != 0 {
		t.Fatalf("PlanVersions on an empty store = %v, %v; want an empty list", vs, err)
	}
	var saved []store.PlanVersion
	for i, text := range []string{
		"organisation:\n  name: Eén\n", // comments and non-ASCII text are kept as written
		"# reviewed\norganisation:\n  name: Twee\n",
		"organisation:\n  name: \"Drie 🚨\"\n",
	} {
		v := store.PlanVersion{YAML: text, Author: fmt.Sprintf("user%d@example.org", i),
			CreatedAt: base.Add(time.Duration(i)*time.Minute + 123*time.Nanosecond)}
		if err := s.SavePlan(ctx, &v); err != nil {
			t.Fatalf("SavePlan %d: %v", i, err)
		}
		if v.Version != int64(i+1) {
			t.Errorf("SavePlan %d set version %d, want %d", i, v.Version, i+1)
		}
		saved = append(saved, v)
	}
	latest, err := s.LatestPlan(ctx)
	if err != nil {
		t.Fatalf("LatestPlan: %v", err)
	}
	if !samePlan(latest, saved[2]) {
		t.Errorf("LatestPlan = %+v, want %+v", latest, saved[2])
	}
	vs, err := s.PlanVersions(ctx)
	if err != nil {
		t.Fatalf("PlanVersions: %v", err)
	}
	if len(vs) != 3 {
		t.Fatalf("PlanVersions returned %d versions, want 3", len(vs))
	}
	for i, v := range vs {
		if want := saved[2-i]; !samePlan(v, want) {
			t.Errorf("PlanVersions[%d] = %+v, want %+v", i, v, want)
		}
	}
}

func samePlan(a, b store.PlanVersion) bool {
	return a.Version == b.Version && a.YAML == b.YAML && a.Author == b.Author && a.CreatedAt.Equal(b.CreatedAt)
}

// Concurrent saves get distinct, consecutive versions, and each is stored once.
func testPlanConcurrentSaves(t *testing.T, s store.Store) {
	const n = 8
	var wg sync.WaitGroup
	versions := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			v := store.PlanVersion{YAML: fmt.Sprintf("organisation:\n  name: plan %d\n", i), Author: "cli", CreatedAt: base}
			errs[i] = s.SavePlan(t.Context(), &v)
			versions[i] = v.Version
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("SavePlan %d: %v", i, err)
		}
	}
	slices.Sort(versions)
	for i, v := range versions {
		if v != int64(i+1) {
			t.Fatalf("versions %v, want 1..%d", versions, n)
		}
	}
	vs, err := s.PlanVersions(t.Context())
	if err != nil || len(vs) != n {
		t.Fatalf("PlanVersions: %d versions, %v; want %d", len(vs), err, n)
	}
}

// A save that fails stores nothing.
func testPlanSaveCancelled(t *testing.T, s store.Store) {
	first := store.PlanVersion{YAML: "organisation:\n  name: Eerste\n", Author: "cli", CreatedAt: base}
	if err := s.SavePlan(t.Context(), &first); err != nil {
		t.Fatalf("SavePlan: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	second := store.PlanVersion{YAML: "organisation:\n  name: Tweede\n", Author: "cli", CreatedAt: base}
	if err := s.SavePlan(ctx, &second); err == nil {
		t.Fatal("SavePlan with a cancelled context succeeded")
	}
	latest, err := s.LatestPlan(t.Context())
	if err != nil {
		t.Fatalf("LatestPlan: %v", err)
	}
	if !samePlan(latest, first) {
		t.Errorf("after a failed save LatestPlan = %+v, want %+v", latest, first)
	}
}
