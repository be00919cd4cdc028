package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// planSavedMeanwhile is the harness's store with one other plan save slipped in between a template
// step reading the plan and saving it.
type planSavedMeanwhile struct {
	*sqlite.Store
	other func(ctx context.Context) error
}

func (m *planSavedMeanwhile) SavePlanOn(ctx context.Context, v *store.PlanVersion, base int64) error {
	if f := m.other; f != nil {
		m.other = nil
		if err := f(ctx); err != nil {
			return err
		}
	}
	return m.Store.SavePlanOn(ctx, v, base)
}

// TestTemplateEditKeepsPlanSavedMeanwhile: a template edit whose plan was saved by someone else after
// it was read is refused with 409 and the conflict text, and the other save stays.
func TestTemplateEditKeepsPlanSavedMeanwhile(t *testing.T) {
	h := newHarness(t)
	anna := h.loggedIn(auth.Responder)
	m := &planSavedMeanwhile{Store: h.st, other: func(ctx context.Context) error {
		p, _, version, err := plan.Current(ctx, h.st)
		if err != nil {
			return err
		}
		p.Organisation.Name = "Gemeente Utrecht"
		b, err := plan.Encode(p)
		if err != nil {
			return err
		}
		_, _, err = plan.SaveOn(ctx, h.st, b, "carla@example.nl", now, version)
		return err
	}}
	h.web.deps.Plans = m
	text := "We know there is {{issue}} and we are sorry for the trouble. Our next update will be at {{next_update}} on {{info_url}}."
	r := anna.submit("/templates/holding-en/edit", url.Values{"version": {"1"}, "text": {text}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "changed this template or the crisis plan") {
		t.Fatalf("edit over a plan saved meanwhile: %d\n%s", r.status, r.body)
	}
	p, _, _, err := plan.Current(t.Context(), h.st)
	if err != nil || p.Organisation.Name != "Gemeente Utrecht" {
		t.Fatalf("the plan saved meanwhile: %v, %v", p, err)
	}
	if r := anna.submit("/templates/holding-en/edit", url.Values{"version": {"1"}, "text": {text}}); r.status != http.StatusSeeOther {
		t.Fatalf("edit again: %d\n%s", r.status, r.body)
	}
	if p, _, _, err := plan.Current(t.Context(), h.st); err != nil || p.Organisation.Name != "Gemeente Utrecht" {
		t.Fatalf("after the edit: %v, %v", p, err)
	}
}
