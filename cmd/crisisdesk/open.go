package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// openStore opens the database the configuration names: PostgreSQL for a postgres:// DSN, otherwise
// the embedded SQLite file, by default inside the data directory.
func openStore(ctx context.Context, cfg config, logger *slog.Logger) (store.Store, error) {
	dsn := cfg.DB
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn, logger)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path = filepath.Join(cfg.Data, "crisisdesk.db")
	}
	return sqlite.Open(ctx, path, logger)
}
