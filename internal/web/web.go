// Package web serves crisisdesk over HTTP: the server-rendered pages for people, the JSON API under
// /api/v1 for machines, and the probes and metrics for operators. Every route is declared once, in
// routes, together with who may use it; one wrapper enforces that, checks CSRF and records metrics.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

//go:embed templates static i18n openapi.json
var assets embed.FS

// DefaultMaxBodyBytes limits an ingest request body.
const DefaultMaxBodyBytes = 32 << 20

// maxFormBytes limits a form post from a page; forms here hold a few short fields.
const maxFormBytes = 64 << 10

// Auth is what the web app needs from the account service. *auth.Service satisfies it.
type Auth interface {
	Login(ctx context.Context, email, password string) (token string, expires time.Time, err error)
	Logout(ctx context.Context, token string) error
	AuthenticateSession(ctx context.Context, token string) (auth.Identity, error)
	AuthenticateToken(ctx context.Context, token string) (auth.Identity, error)
	SetLanguage(ctx context.Context, userID int64, lang string) error

	SetupOpen(ctx context.Context) (bool, error)
	CheckSetupToken(ctx context.Context, token string) (bool, error)
	CompleteSetup(ctx context.Context, token, email, password string) (store.User, error)

	CreateAPITokenFor(ctx context.Context, userID int64, name string) (string, store.APIToken, error)
	APITokens(ctx context.Context, userID int64) ([]store.APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64) error

	Users(ctx context.Context) ([]store.User, error)
	CreateUser(ctx context.Context, email, password string, role auth.Role) (store.User, error)
	SetRole(ctx context.Context, id int64, role auth.Role) error
	SetDisabled(ctx context.Context, id int64, disabled bool) error
	ChangePassword(ctx context.Context, id int64, current, next string) error
	SetPassword(ctx context.Context, id int64, password string) error
}

// PostSearcher finds stored posts, with their analysis and the monitors they matched.
type PostSearcher interface {
	SearchStoredPosts(ctx context.Context, q store.PostQuery) ([]store.StoredPost, error)
	CountPosts(ctx context.Context) (int64, error)
	MonitorMatchCounts(ctx context.Context, since time.Time) (map[string]int64, error)
}

// PostWriter takes posts in through the ingest path. Posts are idempotent by (platform, id).
// *ingest.Ingester is one.
type PostWriter interface {
	Ingest(ctx context.Context, posts []post.Post) (ingest.Result, error)
}

// MonitorService keeps monitors and the matcher ingest uses in step. *ingest.Monitors is one. A
// refused name or query comes back as ingest.ErrNoName, ingest.ErrLongName or a *query.Error.
type MonitorService interface {
	Create(ctx context.Context, name, query string, enabled bool, userID int64) (store.Monitor, error)
	Update(ctx context.Context, id, name, query string, enabled bool) (store.Monitor, error)
	Delete(ctx context.Context, id string) error
	Get(ctx context.Context, id string) (store.Monitor, error)
	List(ctx context.Context) ([]store.Monitor, error)
}

// SettingsStore keeps the system-wide settings.
type SettingsStore interface {
	Settings(ctx context.Context) (store.Settings, error)
	SaveSettings(ctx context.Context, s store.Settings) error
}

// Pinger tells whether the store answers, for /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the components the web app calls. All are required except Clock, which defaults to the
// real clock.
type Deps struct {
	Auth     Auth
	Posts    PostSearcher
	Ingest   PostWriter
	Monitors MonitorService
	Settings SettingsStore
	Ready    Pinger
	Clock    clock.Clock
	// Sources manages the configured sources; nil leaves the sources pages and webhooks out (404).
	Sources SourceService

	// Alerts, AlertHub and AckLinks serve the alert pages; Silencer and Plans are optional: without a
	// Silencer a silence is only stored, without Plans severities show their built-in names.
	Alerts   AlertStore
	AlertHub *AlertHub
	AckLinks AckLinks
	Silencer Silencer
	Plans    plan.Versions
	// Incidents runs the incident room; nil leaves the incident pages out (404).
	Incidents IncidentService
	// IncidentHub wakes the open rooms' event streams when their incident changes; the incident
	// service must notify it. Nil leaves the streams to their slow safety re-read.
	IncidentHub *IncidentHub
	// Situations sums up an incident's matched posts for the room's situation view; nil leaves the
	// view out.
	Situations SituationStore
	// Stakeholders keeps who informed which stakeholder of an incident; nil leaves the marks out.
	Stakeholders StakeholderStore
	// Statements runs the response composer under /incidents/{id}/statements and /templates; nil
	// leaves those pages out (404). StatementChannels are where statements are published (nil: no
	// publishing), and StatementLegal says who may give the legal approval (nil: nobody).
	Statements StatementService
	// PublishAccounts manages the Bluesky accounts statements are published with (nil: page left out).
	PublishAccounts   PublishAccountService
	StatementChannels statement.Channels
	StatementLegal    StatementLegal
	// Deliveries lists the notifications given up on and retries them; nil leaves /admin/deliveries
	// out (404).
	Deliveries DeliveryStore
}

// Config tunes the web app.
type Config struct {
	// BaseURL is where users reach crisisdesk, such as https://crisis.example.nl: the root of a host,
	// without a path. It is used in examples shown to users and as an allowed origin for form posts
	// behind a proxy. Empty means the host of each request.
	BaseURL string
	// SecureCookies marks cookies Secure. Set it when users reach crisisdesk over HTTPS.
	SecureCookies bool
	// TrustProxy honours X-Forwarded-Proto: https from a reverse proxy that terminates TLS, to mark
	// cookies Secure. Leave it off when clients can reach crisisdesk directly.
	TrustProxy bool
	// DefaultLang is the UI language for visitors whose browser asks for neither Dutch nor English:
	// "nl" or "en". Empty means "en".
	DefaultLang string
	// Location is the time zone dates are shown and entered in; nil means UTC.
	Location *time.Location
	// MaxBodyBytes limits an ingest request body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	Logger       *slog.Logger
	// Registerer takes the HTTP metrics. Nil means a private registry.
	Registerer prometheus.Registerer
	// Gatherer is what /metrics serves. Nil means Registerer, when it is also a Gatherer (as a
	// *prometheus.Registry is).
	Gatherer prometheus.Gatherer
}

// Server is the web app.
type Server struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	base     *url.URL
	pages    map[string]map[string]*template.Template // language, page name
	msgs     catalog
	static   fs.FS
	openapi  []byte
	metrics  *metrics
	promh    http.Handler
	crossOrg *http.CrossOriginProtection
	logins   *loginLimiter

	// situations keeps the incident rooms' situation views a few seconds (situation_cache.go).
	situations situationCache

	routes  []route
	handler http.Handler
}

// New builds the web app. It fails on a configuration mistake, or when its templates or messages are
// broken, so a bad build never starts serving.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Auth == nil || deps.Posts == nil || deps.Ingest == nil || deps.Monitors == nil || deps.Settings == nil || deps.Ready == nil {
		return nil, errors.New("web: Deps.Auth, Posts, Ingest, Monitors, Settings and Ready are required")
	}
	if deps.Clock == nil {
		deps.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = "en"
	}
	if !supportedLang(cfg.DefaultLang) {
		return nil, fmt.Errorf("web: default language %q is not one of %s", cfg.DefaultLang, strings.Join(languages, ", "))
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Registerer == nil {
		reg := prometheus.NewRegistry()
		cfg.Registerer = reg
		if cfg.Gatherer == nil {
			cfg.Gatherer = reg
		}
	}
	gatherer := cfg.Gatherer
	if gatherer == nil {
		g, ok := cfg.Registerer.(prometheus.Gatherer)
		if !ok {
			return nil, errors.New("web: Config.Gatherer is required when Registerer cannot gather")
		}
		gatherer = g
	}
	s := &Server{cfg: cfg, deps: deps, log: cfg.Logger.With("component", "web"), logins: newLoginLimiter()}
	s.promh = promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{ErrorLog: slogPromLogger{s.log}})

	crossOrg := http.NewCrossOriginProtection()
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: base URL %q is not an http(s) URL", cfg.BaseURL)
		}
		if u.Path != "" && u.Path != "/" {
			return nil, fmt.Errorf("web: base URL %q has a path; crisisdesk must be served at the root of its host", cfg.BaseURL)
		}
		s.base = u
		if err := crossOrg.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("web: trust base URL origin: %w", err)
		}
	}
	s.crossOrg = crossOrg

	var err error
	if s.msgs, err = loadCatalog(assets); err != nil {
		return nil, err
	}
	if s.pages, err = s.parsePages(); err != nil {
		return nil, err
	}
	if s.static, err = fs.Sub(assets, "static"); err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	if s.openapi, err = assets.ReadFile("openapi.json"); err != nil {
		return nil, fmt.Errorf("web: openapi document: %w", err)
	}
	if s.metrics, err = newMetrics(cfg.Registerer); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	s.handler = mux
	return s, nil
}

// Handler returns the HTTP handler of the whole app.
func (s *Server) Handler() http.Handler { return s.handler }

// routeTable declares every route and who may use it. The access column is the only place a role is
// checked, so a route cannot be added without deciding it.
func (s *Server) routeTable() []route {
	return []route{
		// Probes, metrics and documentation, for machines and operators.
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /metrics", signedIn, s.serveMetrics}, // Prometheus sends a bearer API token
		{"GET /static/", public, s.serveStatic},
		{"GET /api/v1/openapi.json", public, s.apiOpenAPI},

		// Signing in and out.
		{"GET /login", public, s.loginForm},
		{"POST /login", public, s.loginSubmit},
		{"POST /logout", signedIn, s.logout},
		{"GET /setup", public, s.setupForm},
		{"POST /setup", public, s.setupSubmit},
		{"POST /lang", public, s.switchLang},

		// Pages.
		{"GET /{$}", need(auth.ReadPosts), s.dashboard},
		{"GET /posts", need(auth.ReadPosts), s.postsPage},
		{"POST /posts/claims", need(auth.HandleIncidents), s.postLinkClaim},
		{"GET /settings/account", signedIn, s.accountPage},
		{"POST /settings/password", signedIn, s.passwordChange},
		{"GET /settings/tokens", need(auth.ManageTokens), s.tokensPage},
		{"POST /settings/tokens", need(auth.ManageTokens), s.tokenCreate},
		{"POST /settings/tokens/{id}/revoke", need(auth.ManageTokens), s.tokenRevoke},
		{"GET /admin/users", need(auth.ManageUsers), s.usersPage},
		{"POST /admin/users", need(auth.ManageUsers), s.userCreate},
		{"POST /admin/users/{id}/role", need(auth.ManageUsers), s.userSetRole},
		{"POST /admin/users/{id}/status", need(auth.ManageUsers), s.userSetStatus},
		{"POST /admin/users/{id}/password", need(auth.ManageUsers), s.userSetPassword},
		{"GET /admin/settings", need(auth.ManageSettings), s.settingsPage},
		{"POST /admin/settings", need(auth.ManageSettings), s.settingsSave},
		{"GET /settings/publishing", need(auth.ManageSettings), s.publishingPage},
		{"POST /settings/publishing", need(auth.ManageSettings), s.publishingCreate},
		{"POST /settings/publishing/{id}", need(auth.ManageSettings), s.publishingUpdate},
		{"POST /settings/publishing/{id}/delete", need(auth.ManageSettings), s.publishingDelete},
		{"GET /monitors", need(auth.ReadPosts), s.monitorsPage},
		{"GET /monitors/new", need(auth.ManageMonitors), s.monitorNewForm},
		{"POST /monitors", need(auth.ManageMonitors), s.monitorCreate},
		{"POST /monitors/validate", need(auth.ManageMonitors), s.monitorValidate},
		{"GET /monitors/{id}", need(auth.ReadPosts), s.monitorPage},
		{"POST /monitors/{id}", need(auth.ManageMonitors), s.monitorUpdate},
		{"POST /monitors/{id}/enabled", need(auth.ManageMonitors), s.monitorSetEnabled},
		{"POST /monitors/{id}/delete", need(auth.ManageMonitors), s.monitorDelete},
		{"GET /sources", need(auth.ReadPosts), s.sourcesPage},
		{"GET /sources/new", need(auth.ManageSources), s.sourceNewForm},
		{"POST /sources", need(auth.ManageSources), s.sourceCreate},
		{"GET /sources/{id}", need(auth.ReadPosts), s.sourcePage},
		{"POST /sources/{id}", need(auth.ManageSources), s.sourceUpdate},
		{"POST /sources/{id}/enabled", need(auth.ManageSources), s.sourceSetEnabled},
		{"POST /sources/{id}/delete", need(auth.ManageSources), s.sourceDelete},
		{"GET /monitors/{id}/activity", need(auth.ReadPosts), s.monitorActivity},
		{"GET /alerts", need(auth.ReadPosts), s.alertsPage},
		{"GET /alerts/events", need(auth.ReadPosts), s.alertEvents},
		{"GET /alerts/{id}", need(auth.ReadPosts), s.alertPage},
		{"POST /alerts/{id}/ack", need(auth.HandleAlerts), s.alertAcknowledge},
		{"POST /alerts/{id}/resolve", need(auth.HandleAlerts), s.alertResolve},
		{"POST /alerts/{id}/silence", need(auth.HandleAlerts), s.alertSilence},
		{"POST /alerts/silences/{id}/end", need(auth.HandleAlerts), s.silenceEnd},
		{"GET /plan", need(auth.ReadPosts), s.planPage},
		{"GET /plan.yaml", need(auth.ReadPosts), s.planYAML},
		{"GET /plan/edit", need(auth.ManageSettings), s.planEditForm},
		{"POST /plan/edit", need(auth.ManageSettings), s.planEditSave},
		{"POST /plan/validate", need(auth.ManageSettings), s.planValidate},
		{"GET /plan/people", need(auth.ManageSettings), s.planPeoplePage},
		{"POST /plan/people", need(auth.ManageSettings), s.planPersonSave},
		{"POST /plan/people/{id}/delete", need(auth.ManageSettings), s.planPersonDelete},
		{"POST /plan/overrides", need(auth.ManageSettings), s.planOverrideAdd},
		{"POST /plan/overrides/delete", need(auth.ManageSettings), s.planOverrideDelete},
		{"GET /plan/contacts", need(auth.ManageSettings), s.planContactsPage},
		{"POST /plan/contacts", need(auth.ManageSettings), s.planContactSave},
		{"POST /plan/contacts/{id}/delete", need(auth.ManageSettings), s.planContactDelete},
		{"GET /plan/schedules", need(auth.ManageSettings), s.planSchedulesPage},
		{"POST /plan/schedules", need(auth.ManageSettings), s.planScheduleSave},
		{"POST /plan/schedules/{id}/delete", need(auth.ManageSettings), s.planScheduleDelete},
		{"GET /plan/policies", need(auth.ManageSettings), s.planPoliciesPage},
		{"POST /plan/policies", need(auth.ManageSettings), s.planPolicySave},
		{"POST /plan/policies/{id}/delete", need(auth.ManageSettings), s.planPolicyDelete},
		{"GET /plan/routes", need(auth.ManageSettings), s.planRoutesPage},
		{"POST /plan/routes", need(auth.ManageSettings), s.planRouteSave},
		{"POST /plan/routes/default", need(auth.ManageSettings), s.planRouteDefault},
		{"POST /plan/routes/{n}/delete", need(auth.ManageSettings), s.planRouteDelete},
		{"POST /plan/routes/{n}/move", need(auth.ManageSettings), s.planRouteMove},
		{"GET /plan/protocol", need(auth.ManageSettings), s.planProtocolPage},
		{"POST /plan/protocol", need(auth.ManageSettings), s.planProtocolSave},
		{"GET /plan/conduct", need(auth.ManageSettings), s.planConductPage},
		{"POST /plan/conduct", need(auth.ManageSettings), s.planConductSave},
		{"GET /plan/organisation", need(auth.ManageSettings), s.planOrganisationPage},
		{"POST /plan/organisation", need(auth.ManageSettings), s.planOrganisationSave},
		{"GET /plan/moderation", need(auth.ManageSettings), s.planModerationPage},
		{"POST /plan/moderation", need(auth.ManageSettings), s.planModerationSave},
		{"GET /admin/deliveries", need(auth.HandleAlerts), s.deliveriesPage},
		{"POST /admin/deliveries/{id}/retry", need(auth.ManageSettings), s.deliveryRetry},
		// Acknowledge links from notifications work without signing in; the token is the credential.
		{"GET /incidents", need(auth.ReadPosts), s.incidentsPage},
		{"POST /incidents", need(auth.HandleIncidents), s.incidentDeclare},
		{"GET /incidents/{id}", need(auth.ReadPosts), s.incidentPage},
		{"GET /incidents/{id}/events", need(auth.ReadPosts), s.incidentEvents},
		{"GET /incidents/{id}/export.md", need(auth.ReadPosts), s.incidentExport},
		{"GET /incidents/{id}/export.html", need(auth.ReadPosts), s.incidentExport},
		{"POST /incidents/{id}/status", need(auth.HandleIncidents), s.incidentSetStatus},
		{"POST /incidents/{id}/severity", need(auth.HandleIncidents), s.incidentSetSeverity},
		{"POST /incidents/{id}/roles", need(auth.HandleIncidents), s.incidentAssignRole},
		{"POST /incidents/{id}/classify", need(auth.HandleIncidents), s.incidentClassify},
		{"POST /incidents/{id}/playbook", need(auth.HandleIncidents), s.incidentStartPlaybook},
		{"POST /incidents/{id}/tasks/{task}", need(auth.HandleIncidents), s.incidentSetTask},
		{"POST /incidents/{id}/notes", need(auth.HandleIncidents), s.incidentAddNote},
		{"POST /incidents/{id}/alerts", need(auth.HandleIncidents), s.incidentLinkAlert},
		{"POST /incidents/{id}/claims", need(auth.HandleIncidents), s.incidentAddClaim},
		{"POST /incidents/{id}/claims/{claim}", need(auth.HandleIncidents), s.incidentUpdateClaim},
		{"POST /incidents/{id}/claims/{claim}/posts", need(auth.HandleIncidents), s.incidentLinkPost},
		{"POST /incidents/{id}/stakeholders", need(auth.HandleIncidents), s.incidentInformed},
		{"GET /templates", need(auth.ReadPosts), s.templatesPage},
		{"GET /templates/{id}", need(auth.ReadPosts), s.templatePage},
		{"POST /templates/{id}/edit", need(auth.HandleIncidents), s.templateEdit},
		{"POST /templates/{id}/approve", need(auth.HandleIncidents), s.templateApprove},
		{"GET /incidents/{id}/statements", need(auth.ReadPosts), s.statementsPage},
		{"GET /incidents/{id}/statements/new", need(auth.HandleIncidents), s.statementNewForm},
		{"POST /incidents/{id}/statements", need(auth.HandleIncidents), s.statementCreate},
		{"GET /incidents/{id}/statements/{sid}", need(auth.ReadPosts), s.statementPage},
		{"POST /incidents/{id}/statements/{sid}/edit", need(auth.HandleIncidents), s.statementEdit},
		{"POST /incidents/{id}/statements/{sid}/submit", need(auth.HandleIncidents), s.statementSubmit},
		{"POST /incidents/{id}/statements/{sid}/approve", need(auth.HandleIncidents), s.statementApprove},
		{"POST /incidents/{id}/statements/{sid}/reject", need(auth.HandleIncidents), s.statementReject},
		{"POST /incidents/{id}/statements/{sid}/publish", need(auth.HandleIncidents), s.statementPublish},
		{"POST /incidents/{id}/statements/{sid}/manual", need(auth.HandleIncidents), s.statementManual},
		{"GET /ack", public, s.ackForm},
		{"GET /ack/{token}", public, s.ackForm},
		{"POST /ack", public, s.ackSubmit},

		// The JSON API.
		{"GET /api/v1/posts", need(auth.ReadPosts), s.apiSearchPosts},
		{"POST /api/v1/posts", need(auth.IngestPosts), s.apiIngestPosts},
		{"GET /api/v1/monitors", need(auth.ReadPosts), s.apiMonitors},
		{"POST /api/v1/monitors", need(auth.ManageMonitors), s.apiMonitorCreate},
		{"POST /api/v1/monitors/validate", need(auth.ManageMonitors), s.monitorValidate},
		{"GET /api/v1/monitors/{id}", need(auth.ReadPosts), s.apiMonitor},
		{"PUT /api/v1/monitors/{id}", need(auth.ManageMonitors), s.apiMonitorUpdate},
		{"DELETE /api/v1/monitors/{id}", need(auth.ManageMonitors), s.apiMonitorDelete},
		{"GET /api/v1/sources", need(auth.ReadPosts), s.apiSources},
		// Inbound webhooks are public: the HMAC signature over the body is the credential.
		{"POST /api/v1/webhooks/{id}", public, s.apiWebhook},
		{"GET /api/v1/alerts", need(auth.ReadPosts), s.apiAlerts},
		{"GET /api/v1/plan", need(auth.ReadPosts), s.apiPlan},
		{"PUT /api/v1/plan", need(auth.ManageSettings), s.apiPlanPut},
		{"POST /api/v1/plan/validate", need(auth.ManageSettings), s.planValidate},
		{"GET /api/v1/statement-channels", need(auth.ReadPosts), s.apiStatementChannels},
		{"GET /api/v1/incidents/{id}/statements", need(auth.ReadPosts), s.apiStatements},
		{"POST /api/v1/incidents/{id}/statements", need(auth.HandleIncidents), s.apiStatementCreate},
		{"GET /api/v1/incidents/{id}/statements/{sid}", need(auth.ReadPosts), s.apiStatement},
		{"PUT /api/v1/incidents/{id}/statements/{sid}", need(auth.HandleIncidents), s.apiStatementUpdate},
		{"POST /api/v1/incidents/{id}/statements/{sid}/submit", need(auth.HandleIncidents), s.apiStatementSubmit},
		{"POST /api/v1/incidents/{id}/statements/{sid}/approve", need(auth.HandleIncidents), s.apiStatementApprove},
		{"POST /api/v1/incidents/{id}/statements/{sid}/reject", need(auth.HandleIncidents), s.apiStatementReject},
		{"POST /api/v1/incidents/{id}/statements/{sid}/publish", need(auth.HandleIncidents), s.apiStatementPublish},
		{"POST /api/v1/incidents/{id}/statements/{sid}/manual", need(auth.HandleIncidents), s.apiStatementManual},

		// Anything else: a 404 in the right form for the caller.
		{"/", public, s.notFound},
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.deps.Ready.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request, v *visit) {
	s.promh.ServeHTTP(w, r)
}

// slogPromLogger hands promhttp's errors to our logger.
type slogPromLogger struct{ log *slog.Logger }

func (l slogPromLogger) Println(v ...any) { l.log.Error("serve metrics", "err", fmt.Sprint(v...)) }

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, v *visit) {
	if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
		s.notFound(w, r, v)
		return
	}
	// The files are small and change only with a new build; a short cache keeps upgrades visible.
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.StripPrefix("/static/", http.FileServerFS(s.static)).ServeHTTP(w, r)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, v *visit) {
	if isAPIPath(r.URL.Path) {
		writeJSONError(w, http.StatusNotFound, "not found")
		return
	}
	s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
}

// SetupLink is the address of the first-admin setup page for a setup token, for main to show in its
// log. baseURL is where users reach crisisdesk, such as https://crisis.example.nl.
func SetupLink(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/setup?token=" + url.QueryEscape(token)
}

// isAPIPath tells machine endpoints, which answer in JSON and take bearer tokens, from pages.
func isAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") || p == "/metrics" }
