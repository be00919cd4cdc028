package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// statementTimeline writes, in tx, the incident change that c.Timeline gives for the statement as
// written. done sets the change's IDs after the commit.
func statementTimeline(ctx context.Context, tx *sql.Tx, c store.StatementChange, written store.Statement) (done func(), err error) {
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
