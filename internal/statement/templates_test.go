package statement_test

import (
	"context"
	"errors"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
)

// TestTemplatesFollowTheSource: the composer asks its source for the templates at each use, offers
// only approved ones unless drafts are asked for, and still drafts from a draft template it is given.
func TestTemplatesFollowTheSource(t *testing.T) {
	ctx := t.Context()
	seeded, err := respond.SeededTemplates()
	if err != nil {
		t.Fatal(err)
	}
	current := seeded
	var fail error
	e := newEnv(t, statement.Config{TemplateSource: func(context.Context) ([]respond.Template, error) { return current, fail }})
	inc := e.declare(t, 3)
	approved, err := e.svc.Templates(ctx, inc, "en", "", false)
	if err != nil || len(approved) == 0 {
		t.Fatalf("Templates = %d, %v", len(approved), err)
	}

	// holding-en becomes a draft version 2.
	current = append([]respond.Template(nil), seeded...)
	for i := range current {
		if current[i].ID == "holding-en" {
			current[i].Version, current[i].Status, current[i].ApprovedBy, current[i].ApprovedAt = 2, respond.TemplateDraft, "", ""
			current[i].Text = "We know about {{issue}}. More at {{info_url}}."
		}
	}
	offered, _ := e.svc.Templates(ctx, inc, "en", "", false)
	withDrafts, _ := e.svc.Templates(ctx, inc, "en", "", true)
	if len(offered) != len(approved)-1 || len(withDrafts) != len(approved) {
		t.Fatalf("offered %d approved and %d with drafts, want %d and %d", len(offered), len(withDrafts), len(approved)-1, len(approved))
	}
	for _, tm := range offered {
		if tm.ID == "holding-en" {
			t.Fatalf("a draft template is offered by default")
		}
	}
	st, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", TemplateID: "holding-en",
		Vars: map[string]string{"issue": "a fault", "info_url": "https://example.org"}}, anna)
	if err != nil || st.TemplateVersion != 2 || st.Core != "We know about a fault. More at https://example.org." {
		t.Fatalf("Create from the draft: %+v, %v", st, err)
	}

	fail = errors.New("plan unreadable")
	if _, err := e.svc.Templates(ctx, inc, "en", "", false); !errors.Is(err, fail) {
		t.Errorf("Templates with a failing source: %v", err)
	}
	if _, _, err := e.svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", TemplateID: "holding-en"}, anna); !errors.Is(err, fail) {
		t.Errorf("Create with a failing source: %v", err)
	}
}
