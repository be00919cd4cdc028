package incident

import (
	"slices"
	"testing"
)

// TestChangedHook: every stored change of an incident is reported with its id, and an action that
// stores nothing (linking an alert twice) is not.
func TestChangedHook(t *testing.T) {
	var got []int64
	s, _, _, _ := newService(t, Config{Changed: func(id int64) { got = append(got, id) }})
	inc, err := s.Declare(t.Context(), Declaration{Title: "Leak", Lang: "en", Severity: SeverityHigh, Author: "a@example.nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(t.Context(), inc.ID, "note", "a@example.nl"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkAlert(t.Context(), inc.ID, "al-1", "a@example.nl"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkAlert(t.Context(), inc.ID, "al-1", "a@example.nl"); err != nil {
		t.Fatal(err)
	}
	if want := []int64{inc.ID, inc.ID, inc.ID}; !slices.Equal(got, want) {
		t.Fatalf("changes reported %v, want %v (declare, note, first link only)", got, want)
	}
}
