package sqlite

import (
	"context"
	"database/sql"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// statementTimeline writes, in tx, the incident change that c.Timeline gives for the statement as
// written. done sets the change's IDs after the commit.
func statementTimeline(ctx context.Context, tx *sql.Tx, c store.StatementChange, written store.Statement) (done func(), err error) {
	ic, err := c.TimelineChange(written)
	if err != nil || ic == nil {
		return func() {}, err
	}
	return applyIncidentChange(ctx, tx, *ic)
}
