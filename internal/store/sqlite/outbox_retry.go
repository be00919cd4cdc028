package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// RetryNotification puts a dead notification back to pending, due at now.
func (s *Store) RetryNotification(ctx context.Context, id int64, now time.Time) error {
	// The last error stays, so the list of deliveries can still say why the earlier attempts failed
	// until the next attempt records its own result.
	res, err := s.write.ExecContext(ctx, `UPDATE notifications
		SET state = 'pending', attempts = 0, next_at = ?, updated_at = ?, lease_owner = '', lease_until = ?
		WHERE id = ? AND state = 'dead'`,
		store.UnixNano(now), store.UnixNano(now), store.UnixNano(time.Time{}), id)
	if err != nil {
		return fmt.Errorf("store: retry notification %d: %w", id, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: retry notification %d: no dead notification: %w", id, err)
	}
	return nil
}
