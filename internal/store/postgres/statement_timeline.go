package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// statementTimeline writes, in tx, the incident change that c.Timeline gives for the statement as
// written. done sets the change's IDs after the commit.
func statementTimeline(ctx context.Context, tx pgx.Tx, c store.StatementChange, written store.Statement) (done func(), err error) {
	if c.Timeline == nil {
		return func() {}, nil
	}
	ic, err := c.Timeline(written)
	if err != nil || ic == nil {
		return func() {}, err
	}
	if ic.IncidentID != written.IncidentID {
		return nil, fmt.Errorf("timeline of incident %d for a statement of incident %d", ic.IncidentID, written.IncidentID)
	}
	return applyIncidentChange(ctx, tx, *ic)
}
