package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// TestSituationMigrationBackfills: a database whose posts were stored before migrations 0120 to 0122
// gets their facts when it is opened, so the situation of an incident declared after an upgrade
// counts the posts from before it.
func TestSituationMigrationBackfills(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crisisdesk.db")
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedSituationPosts(t, s)
	want, err := s.Situation(t.Context(), storetest.SituationTestQuery())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Take the database back to before 0120: the posts stay, their facts go.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER post_monitor_facts_insert`, `DROP TRIGGER post_monitor_facts_update`,
		`DROP TRIGGER post_monitor_facts_delete`, `DROP TABLE post_monitor_facts`,
		`DELETE FROM schema_migrations WHERE version IN (120, 121, 122)`} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("reopen, migrating again: %v", err)
	}
	defer s.Close()
	got, err := s.Situation(t.Context(), storetest.SituationTestQuery())
	if err != nil {
		t.Fatal(err)
	}
	if want.Posts == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("after the backfill:\n%+v\nwant\n%+v", got, want)
	}
}
