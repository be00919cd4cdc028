package plan

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// meanwhile is the real store with one other save slipped in between a template step reading the plan
// and saving it, as when someone saves the people page at that moment.
type meanwhile struct {
	*sqlite.Store
	other func(ctx context.Context) error
}

func (m *meanwhile) SavePlanOn(ctx context.Context, v *store.PlanVersion, base int64) error {
	if f := m.other; f != nil {
		m.other = nil
		if err := f(ctx); err != nil {
			return err
		}
	}
	return m.Store.SavePlanOn(ctx, v, base)
}

// TestTemplateStepsKeepOtherChanges: an edit or an approval made on a plan read before someone else
// saved another version fails with store.ErrConflict and stores nothing, so the other change stays;
// done again, it keeps the other change.
func TestTemplateStepsKeepOtherChanges(t *testing.T) {
	ctx := t.Context()
	st := openTemplateStore(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	_, src, _, _ := Current(ctx, st)
	if _, _, err := Save(ctx, st, src, "cli", now); err != nil {
		t.Fatal(err)
	}
	renamed := func(name string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			p, _, version, err := Current(ctx, st)
			if err != nil {
				return err
			}
			p.Organisation.Name = name
			b, err := Encode(p)
			if err != nil {
				return err
			}
			_, _, err = SaveOn(ctx, st, b, "carla@example.org", now, version)
			return err
		}
	}
	orgName := func() string {
		p, _, _, err := Current(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		return p.Organisation.Name
	}
	seeded := templateOf(t, st, "holding-en")
	text := seeded.Text + " We are sorry for the trouble."

	m := &meanwhile{Store: st, other: renamed("Gemeente Utrecht")}
	if _, err := EditTemplate(ctx, m, "holding-en", seeded.Version, text, "anna@example.org", now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("edit on a plan saved meanwhile = %v, want a conflict", err)
	}
	if got := templateOf(t, st, "holding-en"); got.Text != seeded.Text || orgName() != "Gemeente Utrecht" {
		t.Fatalf("after the refused edit: template %q, organisation %q", got.Text, orgName())
	}
	edited, err := EditTemplate(ctx, m, "holding-en", seeded.Version, text, "anna@example.org", now)
	if err != nil || templateOf(t, st, "holding-en").Text != text || orgName() != "Gemeente Utrecht" {
		t.Fatalf("edit again = %+v, %v; organisation %q", edited, err, orgName())
	}

	m.other = renamed("Gemeente Utrecht, crisisteam")
	if _, err := ApproveTemplate(ctx, m, "holding-en", edited.Version, "bram@example.org", now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("approval on a plan saved meanwhile = %v, want a conflict", err)
	}
	if got := templateOf(t, st, "holding-en"); got.Approved() || orgName() != "Gemeente Utrecht, crisisteam" {
		t.Fatalf("after the refused approval: template %+v, organisation %q", got, orgName())
	}
	if got, err := ApproveTemplate(ctx, m, "holding-en", edited.Version, "bram@example.org", now); err != nil || !got.Approved() ||
		orgName() != "Gemeente Utrecht, crisisteam" {
		t.Fatalf("approve again = %+v, %v; organisation %q", got, err, orgName())
	}
}

// TestTemplateFirstStepOnDefault: the first step on a new installation stores the shipped plan first
// and the step on top of it; a plan saved meanwhile makes it a conflict.
func TestTemplateFirstStepOnDefault(t *testing.T) {
	ctx := t.Context()
	st := openTemplateStore(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	seeded := templateOf(t, st, "holding-en")
	_, src, _, _ := Current(ctx, st)
	m := &meanwhile{Store: st, other: func(ctx context.Context) error {
		_, _, err := Save(ctx, st, src, "cli", now)
		return err
	}}
	if _, err := EditTemplate(ctx, m, "holding-en", seeded.Version, seeded.Text+" Sorry.", "anna@example.org", now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("first edit while a plan was imported = %v, want a conflict", err)
	}
	if _, err := EditTemplate(ctx, st, "holding-en", seeded.Version, seeded.Text+" Sorry.", "anna@example.org", now); err != nil {
		t.Fatal(err)
	}
	_, _, version, err := Current(ctx, st)
	if err != nil || version != 2 {
		t.Fatalf("after the import and the edit: version %d, %v; want 2", version, err)
	}
}
