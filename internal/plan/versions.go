package plan

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Versions is the part of the store that keeps the plan's history.
type Versions interface {
	SavePlan(ctx context.Context, v *store.PlanVersion) error
	LatestPlan(ctx context.Context) (store.PlanVersion, error)
}

// Current returns the newest stored plan and its YAML text as stored. When no plan was ever saved it
// returns the default plan, its YAML, and version 0, so that a new installation starts from a
// sensible plan rather than an empty one.
func Current(ctx context.Context, vs Versions) (p *Plan, src []byte, version int64, err error) {
	v, err := vs.LatestPlan(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p, err := Default()
		if err != nil {
			return nil, nil, 0, err
		}
		src, err := Encode(p)
		if err != nil {
			return nil, nil, 0, err
		}
		return p, src, 0, nil
	case err != nil:
		return nil, nil, 0, fmt.Errorf("plan: current: %w", err)
	}
	p, err = Parse([]byte(v.YAML))
	if err != nil {
		// Only validated plans are stored; a stored plan that no longer validates means the rules
		// became stricter, and the caller must show the errors rather than act on half a plan.
		return nil, []byte(v.YAML), v.Version, fmt.Errorf("plan: stored version %d: %w", v.Version, err)
	}
	return p, []byte(v.YAML), v.Version, nil
}

// Save validates src and stores it, as written, as the newest version by author at now. A plan with
// any problem is not stored, and the error is Errors with every problem. It returns the new version.
func Save(ctx context.Context, vs Versions, src []byte, author string, now time.Time) (*Plan, int64, error) {
	p, err := Parse(src)
	if err != nil {
		return nil, 0, err
	}
	if err := checkTemplateGrants(ctx, vs, src, p); err != nil {
		return nil, 0, err
	}
	v := store.PlanVersion{YAML: string(src), Author: author, CreatedAt: now}
	if err := vs.SavePlan(ctx, &v); err != nil {
		return nil, 0, fmt.Errorf("plan: save: %w", err)
	}
	return p, v.Version, nil
}
