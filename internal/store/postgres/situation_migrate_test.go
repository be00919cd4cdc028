package postgres_test

import (
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// TestSituationMigrationBackfills: a database whose posts were stored before migrations 0120 and 0121 gets their
// facts when it is opened, so the situation of an incident declared after an upgrade counts the posts
// from before it.
func TestSituationMigrationBackfills(t *testing.T) {
	dsn := freshSchema(t)
	s, err := postgres.Open(t.Context(), dsn, nil)
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
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER post_facts_insert ON posts`, `DROP TRIGGER post_facts_update ON posts`,
		`DROP TRIGGER post_facts_delete ON posts`, `DROP FUNCTION post_facts_sync()`,
		`DROP TABLE post_facts`, `DELETE FROM schema_migrations WHERE version IN (120, 121)`} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	conn.Close(t.Context())
	s, err = postgres.Open(t.Context(), dsn, nil)
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
