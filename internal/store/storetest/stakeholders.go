package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func stakeholderCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StakeholderMarks", testStakeholderMarks},
	}
}

func testStakeholderMarks(t *testing.T, s store.Store) {
	ctx := t.Context()
	inc := newIncident("Storing", base)
	if err := s.CreateIncident(ctx, inc, nil); err != nil {
		t.Fatal(err)
	}
	other := newIncident("Elsewhere", base)
	if err := s.CreateIncident(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.StakeholderMarks(ctx, inc.ID); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("marks of a new incident: %v, %v; want an empty list", got, err)
	}
	marks := []store.StakeholderMark{
		{IncidentID: inc.ID, Stakeholder: "person:anna", InformedAt: base.Add(5 * time.Minute), InformedBy: "bram@example.org"},
		{IncidentID: inc.ID, Stakeholder: "contact:press", InformedAt: base.Add(20 * time.Minute), InformedBy: "anna@example.org"},
		// Telling someone again is a second mark, not a change of the first.
		{IncidentID: inc.ID, Stakeholder: "person:anna", InformedAt: base.Add(50 * time.Minute), InformedBy: "anna@example.org"},
		{IncidentID: other.ID, Stakeholder: "person:anna", InformedAt: base, InformedBy: "bram@example.org"},
	}
	for i := range marks {
		if err := s.MarkStakeholderInformed(ctx, &marks[i]); err != nil {
			t.Fatalf("mark %d: %v", i, err)
		}
		if marks[i].ID == 0 {
			t.Fatalf("mark %d has no id", i)
		}
	}
	got, err := s.StakeholderMarks(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d marks, want 3: %+v", len(got), got)
	}
	for i, m := range got {
		want := marks[i]
		if m.ID != want.ID || m.IncidentID != want.IncidentID || m.Stakeholder != want.Stakeholder ||
			!m.InformedAt.Equal(want.InformedAt) || m.InformedBy != want.InformedBy {
			t.Errorf("mark %d: got %+v, want %+v", i, m, want)
		}
	}
	err = s.MarkStakeholderInformed(ctx, &store.StakeholderMark{IncidentID: 999999, Stakeholder: "person:anna",
		InformedAt: base, InformedBy: "anna@example.org"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("mark for a missing incident: %v, want ErrNotFound", err)
	}
}
