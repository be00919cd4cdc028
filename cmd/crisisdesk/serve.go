package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/web"
)

// shutdownGrace is how long in-flight requests may take to finish after SIGINT or SIGTERM.
const shutdownGrace = 20 * time.Second

func cmdServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCLI("serve", stderr)
	c.fs.StringVar(&c.cfg.Addr, "addr", or(c.env.get("ADDR"), ":8080"), "listen address (CRISISDESK_ADDR)")
	c.fs.StringVar(&c.cfg.BaseURL, "base-url", or(c.env.get("BASE_URL"), "http://localhost:8080"), "the address users reach, for links (CRISISDESK_BASE_URL)")
	secure, err := parseBool("SECURE_COOKIES", c.env.get("SECURE_COOKIES"))
	if err != nil {
		return c.fail(err)
	}
	trust, err := parseBool("TRUST_PROXY", c.env.get("TRUST_PROXY"))
	if err != nil {
		return c.fail(err)
	}
	c.fs.BoolVar(&c.cfg.SecureCookies, "secure-cookies", secure, "mark cookies Secure; set it behind TLS (CRISISDESK_SECURE_COOKIES)")
	c.fs.BoolVar(&c.cfg.TrustProxy, "trust-proxy", trust, "trust X-Forwarded-Proto from a reverse proxy (CRISISDESK_TRUST_PROXY)")
	c.fs.StringVar(&c.cfg.Lang, "lang", or(c.env.get("LANG"), "en"), "UI language for browsers that ask for neither nl nor en (CRISISDESK_LANG)")
	c.fs.StringVar(&c.cfg.TimeZone, "timezone", or(c.env.get("TIMEZONE"), "Europe/Amsterdam"), "time zone dates are shown and entered in (CRISISDESK_TIMEZONE)")
	legal, err := parseLegalApproval(c.env.get("LEGAL_APPROVAL"))
	if err != nil {
		return c.fail(err)
	}
	c.fs.IntVar(&c.cfg.LegalApproval, "legal-approval", legal, "statements of incidents of this severity or worse need a legal approval; 0 for none (CRISISDESK_LEGAL_APPROVAL)")
	if err := addBusFlags(c); err != nil {
		return c.fail(err)
	}
	allowPrivate, err := parseBool("SOURCES_ALLOW_PRIVATE", c.env.get("SOURCES_ALLOW_PRIVATE"))
	if err != nil {
		return c.fail(err)
	}
	c.fs.BoolVar(&c.cfg.SourcesAllowPrivate, "sources-allow-private", allowPrivate, "let sources reach private, loopback and link-local addresses, such as intranet feeds (CRISISDESK_SOURCES_ALLOW_PRIVATE)")
	c.fs.StringVar(&c.cfg.BlueskyAppView, "bluesky-appview", c.env.get("BLUESKY_APPVIEW"), "AppView that Bluesky authors' handles and follower counts are looked up at; default the public one, off for none (CRISISDESK_BLUESKY_APPVIEW)")
	c.cfg.AdminEmail = c.env.get("ADMIN_EMAIL")
	c.cfg.AdminPassword = c.env.get("ADMIN_PASSWORD")
	if ok, code := c.parse(args); !ok {
		return code
	}
	if c.fs.NArg() > 0 {
		c.fs.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, c.cfg, c.logger); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// serve wires the components and runs them until ctx ends, then shuts down gracefully: in-flight
// requests finish, background work stops, and the database is closed last.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", cfg.TimeZone, err)
	}
	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Error("close store", "err", err)
		}
	}()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	clk := clock.Real{}
	accounts := auth.New(st, clk, auth.Config{Logger: logger})
	setupToken, err := accounts.EnsureFirstAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if setupToken != "" {
		logger.Warn("no account exists yet: open the setup link once to create the first administrator",
			"url", web.SetupLink(cfg.BaseURL, setupToken))
	}

	// Every post that arrives goes through ingest: analysis, matching against the stored monitors, and
	// storing the matched ones (or all, when an admin keeps all posts). The web app changes monitors
	// through the same service, so the running matcher follows each change at once.
	an, err := analyze.New()
	if err != nil {
		return err
	}
	matcher := query.NewRegistry()
	monitors := ingest.NewMonitors(st, matcher, clk, logger)
	n, err := monitors.Load(ctx)
	if err != nil {
		return err
	}
	logger.Info("monitors loaded", "enabled", n)
	// The key that seals stored credentials; loaded first, so that its creation on a first start is
	// logged (wire_sources.go).
	secretKey, err := loadSecretKey(cfg, logger)
	if err != nil {
		return err
	}
	// Matched posts go on to detection, alerts and escalation (wire_alerts.go).
	alerts, err := newAlerting(ctx, cfg, st, clk, logger, reg)
	if err != nil {
		return err
	}
	// Alerts linked to open incidents reach the incident room's timelines (wire_incidents.go).
	// Every stored change of an incident wakes the rooms open on it (internal/web/incident_hub.go).
	incidentHub := web.NewIncidentHub()
	incidents, err := newIncidents(ctx, st, clk, incidentHub.Notify, alerts.channels, logger, reg)
	if err != nil {
		return err
	}
	alerts.incidents.svc = incidents
	// With --nats, arriving posts go on NATS JetStream, ingest becomes this worker's share of the
	// analysis, and detection runs on the partitions this worker owns (wire_bus.go).
	scale, err := newScaleOut(ctx, cfg, st, monitors, alerts, clk, logger, reg)
	if err != nil {
		return err
	}
	defer scale.close()
	// Bluesky authors get their handles and follower counts before their posts are stored (wire_profiles.go).
	profiles, err := newProfiles(cfg.BlueskyAppView, cfg.SourcesAllowPrivate, clk, logger)
	if err != nil {
		return err
	}
	ing, err := ingest.New(ingest.Config{Filter: ingest.FilterBySetting, Clock: clk, Logger: logger, Registerer: reg, Observer: scale.observer(alerts), Enricher: profiles}, an, matcher, st)
	if err != nil {
		return err
	}
	postWriter := scale.writer(ing)
	// Statements are drafted, approved and published from the incident room (wire_statements.go).
	statements, err := newComposer(ctx, st, incidents, secretKey, cfg.LegalApproval, cfg.SourcesAllowPrivate, alerts.channels, clk, logger, reg)
	if err != nil {
		return err
	}
	// The sources configured in the web app listen into ingest (wire_sources.go).
	listening, err := newSources(secretKey, cfg.SourcesAllowPrivate, st, postWriter, clk, logger, reg)
	if err != nil {
		return err
	}

	app, err := web.New(web.Config{
		BaseURL:       cfg.BaseURL,
		SecureCookies: cfg.SecureCookies,
		TrustProxy:    cfg.TrustProxy,
		DefaultLang:   cfg.Lang,
		Location:      loc,
		Logger:        logger.With("component", "web"),
		Registerer:    reg,
		Gatherer:      reg,
	}, web.Deps{Auth: accounts, Posts: st, Ingest: postWriter, Monitors: scale.monitorService(monitors), Settings: st, Ready: scale.ready(st), Clock: clk,
		Alerts: st, AlertHub: alerts.hub, AckLinks: alerts.engine, Silencer: scale.silencer(alerts), Plans: st, Deliveries: st, Sources: listening.manager,
		Incidents: incidents, IncidentHub: incidentHub, Situations: st, Stakeholders: st, Statements: statements.svc, StatementChannels: statements.channels, StatementLegal: statements.legal,
		PublishAccounts: statements.accounts})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // ingest bodies may be large
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	var wg sync.WaitGroup
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	if err := scale.run(bg, &wg); err != nil {
		return err
	}
	wg.Go(func() { accounts.RunJanitor(bg, time.Hour) })
	alerts.run(bg, &wg)
	// On the bus, one worker at a time runs the sources (wire_bus.go).
	scale.runSources(bg, &wg, listening)
	// Live alert streams end when shutdown begins; Shutdown would otherwise wait for them.
	srv.RegisterOnShutdown(alerts.hub.Close)
	srv.RegisterOnShutdown(incidentHub.Close)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("crisisdesk is listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "version", version)

	select {
	case err = <-served:
		// Serve only returns early on a listener failure.
	case <-ctx.Done():
		logger.Info("shutting down: finishing in-flight requests")
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	stopBG()
	wg.Wait()
	logger.Info("stopped")
	return err
}
