package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// sources is the listening side of serve: the supervisor that runs the sources configured in the web
// app, and the manager the web app changes them through.
type sources struct {
	sup     *supervisor.Supervisor
	manager *supervisor.Manager
	log     *slog.Logger
}

// loadSecretKey returns the key that seals stored credentials: CRISISDESK_SECRET_KEY, the file named by
// CRISISDESK_SECRET_KEY_FILE, or else a file in the data directory, created on first start. It logs
// where the key came from and its id, never the key.
func loadSecretKey(cfg config, logger *slog.Logger) ([]byte, error) {
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	key, from, err := secret.LoadKey(os.Getenv, cfg.Data)
	if err != nil {
		return nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	log := logger.With("component", "secret")
	if from == secret.FromGenerated {
		log.Warn("generated a key for stored credentials in the data directory; back it up with the database, or set "+
			secret.EnvKey+" or "+secret.EnvKeyFile+" to keep it elsewhere",
			"file", filepath.Join(cfg.Data, secret.GeneratedKeyFile), "key_id", box.KeyID())
	} else {
		log.Info("key for stored credentials loaded", "from", string(from), "key_id", box.KeyID())
	}
	return key, nil
}

// newSources builds the supervisor and its manager, sealing credentials under key. Sources reach
// private addresses only when allowPrivate is set.
func newSources(key []byte, allowPrivate bool, st store.Store, ing supervisor.Ingester, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*sources, error) {
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	metrics, err := source.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	sup, err := supervisor.New(supervisor.Config{Box: box, Metrics: metrics, Clock: clk, Logger: logger, AllowPrivate: allowPrivate}, st, ing)
	if err != nil {
		return nil, err
	}
	mgr, err := supervisor.NewManager(st, box, sup, clk)
	if err != nil {
		return nil, err
	}
	return &sources{sup: sup, manager: mgr, log: logger.With("component", "sources")}, nil
}

// run starts every enabled source on wg; they stop when ctx ends.
func (s *sources) run(ctx context.Context, wg *sync.WaitGroup) {
	wg.Go(func() {
		if err := s.sup.Run(ctx); err != nil {
			s.log.Error("sources stopped", "err", err)
		}
	})
}
