package statement_test

import (
	"slices"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// TestCheckUsesTheCurrentLinter: with Config.Linter set, every check uses the linter it returns at
// that moment, so conduct rules changed since the start count; nil from it keeps the linter compiled
// from Rules.
func TestCheckUsesTheCurrentLinter(t *testing.T) {
	var current *respond.Linter
	e := newEnv(t, statement.Config{Rules: respond.Rules{Forbidden: []respond.Term{{Word: "no comment"}}},
		Linter: func() *respond.Linter { return current }})
	inc := e.declare(t, incident.SeverityMedium)
	forbidden := func(core string) bool {
		c := e.svc.Check(store.Statement{Lang: "en", Core: core}, inc)
		return slices.ContainsFunc(c.Core.Findings, func(f respond.Finding) bool { return f.Rule == respond.RuleForbiddenWord })
	}
	if !forbidden("No comment at this time.") || forbidden("Sorry for the kerfuffle this morning.") {
		t.Fatal("without a current linter the rules compiled at start do not apply")
	}
	l, err := respond.NewLinter(respond.Rules{Forbidden: []respond.Term{{Word: "kerfuffle", Instead: "disruption"}}})
	if err != nil {
		t.Fatal(err)
	}
	current = l
	if forbidden("No comment at this time.") || !forbidden("Sorry for the kerfuffle this morning.") {
		t.Error("the current linter's rules do not apply")
	}
}
