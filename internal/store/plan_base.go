package store

import "context"

// PlanBases saves a plan version only on top of the version its author started from, which is how
// the plan's forms keep two people from silently undoing each other's edits (plan_base.go in each
// store).
type PlanBases interface {
	// SavePlanOn stores v as version base+1 and sets v.Version, when base is still the newest version
	// (0: no plan saved yet). When someone saved another version since, it stores nothing and returns
	// ErrConflict. Of concurrent saves on the same base, exactly one succeeds.
	SavePlanOn(ctx context.Context, v *PlanVersion, base int64) error
}
