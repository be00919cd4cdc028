package store

import (
	"context"
	"time"
)

// PlanVersion is one saved version of the crisis plan. The YAML is kept as it was imported or edited,
// comments included, so that a review sees what its author wrote.
type PlanVersion struct {
	Version   int64 // 1 for the first plan, then one more for each save
	YAML      string
	Author    string // who saved it: a user's e-mail, or "cli" for an import from the command line
	CreatedAt time.Time
}

// Plans keeps the crisis plan as a history of versions (plan.go in each store).
type Plans interface {
	// SavePlan stores v as the newest version and sets v.Version. It is all or nothing: when it fails,
	// no version is stored. Concurrent saves get distinct, consecutive versions.
	SavePlan(ctx context.Context, v *PlanVersion) error
	// LatestPlan returns the newest version, or ErrNotFound when no plan was ever saved.
	LatestPlan(ctx context.Context) (PlanVersion, error)
	// PlanVersions returns every version, newest first.
	PlanVersions(ctx context.Context) ([]PlanVersion, error)
}
