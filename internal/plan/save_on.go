package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// BaseVersions is the part of the store that saves a plan only on the version its author started
// from.
type BaseVersions interface {
	SavePlanOn(ctx context.Context, v *store.PlanVersion, base int64) error
}

// SaveOn is Save for an edit of version base: it validates src exactly as an import does and stores it
// as version base+1. When someone saved another version since base, it stores nothing and the error
// wraps store.ErrConflict; a plan with problems is not stored either, and the error is Errors.
func SaveOn(ctx context.Context, vs BaseVersions, src []byte, author string, now time.Time, base int64) (*Plan, int64, error) {
	p, err := Parse(src)
	if err != nil {
		return nil, 0, err
	}
	if lv, ok := vs.(Versions); ok {
		// A document keeps template approvals but cannot give one (templates.go).
		if err := checkTemplateGrants(ctx, lv, src, p); err != nil {
			return nil, 0, err
		}
	}
	v := store.PlanVersion{YAML: string(src), Author: author, CreatedAt: now}
	if err := vs.SavePlanOn(ctx, &v, base); err != nil {
		return nil, 0, fmt.Errorf("plan: save on version %d: %w", base, err)
	}
	return p, v.Version, nil
}
