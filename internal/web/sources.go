package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// SourceService manages the configured sources; *supervisor.Manager is one. Tokens go in and never
// come out, except a webhook's signing secret, which only the webhook endpoint asks for.
type SourceService interface {
	List(ctx context.Context) ([]supervisor.View, error)
	Get(ctx context.Context, id string) (supervisor.View, error)
	Create(ctx context.Context, in supervisor.Input) (supervisor.View, error)
	Update(ctx context.Context, id string, in supervisor.Input) (supervisor.View, error)
	SetEnabled(ctx context.Context, id string, enabled bool) error
	Delete(ctx context.Context, id string) error
	WebhookSecret(ctx context.Context, id string) (secret.Secret, error)
}

// sourceRow is one source in the list, with its status made readable.
type sourceRow struct {
	supervisor.View
	Lag     string // "" when unknown
	PerSec  string
	Webhook string // the inbound address of a webhook source
	// Blocked is a source stopped because its address is private, which the page says in the
	// user's language rather than as the connector's English error.
	Blocked bool
}

type sourcesBody struct {
	Sources   []sourceRow
	CanManage bool
	Kinds     []string
	Notice    string // created, saved or deleted
	// RefreshSeconds is how often the page reloads itself to show fresh status.
	RefreshSeconds int
}

// sourceBody is the create and edit form of one kind.
type sourceBody struct {
	New       bool
	View      supervisor.View
	Langs     string // the Bluesky languages as typed: "nl en"
	CanManage bool
	Problem   string // a code the template turns into a message
	Notice    string
	Row       sourceRow
	// DefaultJetstream is shown as the placeholder of the Bluesky URL field.
	DefaultJetstream string
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	views, err := s.deps.Sources.List(r.Context())
	if err != nil {
		s.log.Error("list sources", "err", err)
		s.serverError(w, r, v)
		return
	}
	body := sourcesBody{CanManage: v.id.Can(auth.ManageSources), Kinds: store.SourceKinds,
		Notice: doneCode(r.URL.Query().Get("done")), RefreshSeconds: 10}
	for _, view := range views {
		body.Sources = append(body.Sources, s.sourceRow(r, view))
	}
	s.render(w, r, v, "sources", s.newPage(r, v, "sources.title", "sources", body))
}

func (s *Server) sourceRow(r *http.Request, view supervisor.View) sourceRow {
	row := sourceRow{View: view, PerSec: formatRate(view.Status.PostsPerSecond),
		Blocked: strings.Contains(view.Status.Problem, source.ErrBlockedAddress.Error())}
	if !view.Status.LastPostAt.IsZero() {
		row.Lag = view.Status.Lag.Round(time.Second).String()
	}
	if view.Kind == store.SourceWebhook {
		row.Webhook = s.origin(r) + "/api/v1/webhooks/" + view.ID
	}
	return row
}

// origin is where users reach crisisdesk, for addresses they copy into other tools.
func (s *Server) origin(r *http.Request) string {
	if s.base != nil {
		return s.base.Scheme + "://" + s.base.Host
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func formatRate(f float64) string {
	switch {
	case f == 0:
		return "0"
	case f < 10:
		return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(f, 'f', 2, 64), "0"), ".")
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

func doneCode(done string) string {
	switch done {
	case "created", "saved", "deleted", "enabled", "disabled":
		return done
	}
	return ""
}

func (s *Server) sourceNewForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	kind := r.URL.Query().Get("kind")
	if !slices.Contains(store.SourceKinds, kind) {
		http.Redirect(w, r, "/sources", http.StatusSeeOther)
		return
	}
	view := supervisor.View{Kind: kind, Enabled: true}
	if kind == store.SourceMastodon {
		view.Settings.Stream = supervisor.StreamPublic
	}
	if kind == store.SourceRSS {
		view.Settings.Interval = "5m"
	}
	if kind == store.SourceX {
		view.Settings.SyncRules = true
	}
	s.renderSourceForm(w, r, v, http.StatusOK, sourceBody{New: true, View: view})
}

func (s *Server) sourcePage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	view, err := s.deps.Sources.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.sourceFailed(w, r, v, err)
		return
	}
	s.renderSourceForm(w, r, v, http.StatusOK, sourceBody{View: view, Notice: doneCode(r.URL.Query().Get("done"))})
}

func (s *Server) renderSourceForm(w http.ResponseWriter, r *http.Request, v *visit, status int, body sourceBody) {
	body.CanManage = v.id.Can(auth.ManageSources)
	body.Langs = strings.Join(body.View.Settings.Langs, " ")
	body.Row = s.sourceRow(r, body.View)
	body.DefaultJetstream = supervisor.DefaultJetstreamURL
	title := "sources.title"
	if body.New {
		title = "sources.new_title"
	}
	p := s.newPage(r, v, title, "sources", body)
	p.Status = status
	s.render(w, r, v, "sources_form", p)
}

// sourceForm reads the form into an Input; kind comes from the form only when creating.
func sourceForm(r *http.Request) supervisor.Input {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := supervisor.Input{
		Kind:    f("kind"),
		Name:    f("name"),
		Enabled: r.PostFormValue("enabled") == "on",
		Settings: supervisor.Settings{
			URL:       f("url"),
			Stream:    f("stream"),
			Hashtag:   strings.TrimLeft(f("hashtag"), "#"),
			Interval:  f("interval"),
			SyncRules: r.PostFormValue("sync_rules") == "on",
			// Only a Bluesky source counts likes and reposts; the box is on no other kind's form.
			Engagement: r.PostFormValue("engagement") == "on",
		},
		// The token field is write-only: empty means "keep what is stored".
		Token:      secret.New(f("token")),
		ClearToken: r.PostFormValue("clear_token") == "on",
	}
	for l := range strings.FieldsFuncSeq(strings.ToLower(f("langs")), func(c rune) bool { return c == ',' || c == ' ' }) {
		if !slices.Contains(in.Settings.Langs, l) {
			in.Settings.Langs = append(in.Settings.Langs, l)
		}
	}
	return in
}

func (s *Server) sourceCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	in := sourceForm(r)
	if !slices.Contains(store.SourceKinds, in.Kind) {
		s.renderError(w, r, v, http.StatusBadRequest, "error.bad_request")
		return
	}
	view, err := s.deps.Sources.Create(r.Context(), in)
	if err != nil {
		s.sourceRefused(w, r, v, err, sourceBody{New: true, View: supervisor.View{Kind: in.Kind, Name: in.Name, Settings: in.Settings, Enabled: in.Enabled}})
		return
	}
	s.log.Info("source created", "source", view.ID, "kind", view.Kind, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/sources?done=created", http.StatusSeeOther)
}

func (s *Server) sourceUpdate(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	id := r.PathValue("id")
	in := sourceForm(r)
	view, err := s.deps.Sources.Update(r.Context(), id, in)
	if err != nil {
		old, gerr := s.deps.Sources.Get(r.Context(), id)
		if gerr != nil {
			s.sourceFailed(w, r, v, gerr)
			return
		}
		old.Name, old.Settings, old.Enabled = in.Name, in.Settings, in.Enabled
		s.sourceRefused(w, r, v, err, sourceBody{View: old})
		return
	}
	s.log.Info("source changed", "source", view.ID, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/sources/"+view.ID+"?done=saved", http.StatusSeeOther)
}

func (s *Server) sourceSetEnabled(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	enabled := r.PostFormValue("enabled") == "true"
	if err := s.deps.Sources.SetEnabled(r.Context(), r.PathValue("id"), enabled); err != nil {
		s.sourceFailed(w, r, v, err)
		return
	}
	done := "disabled"
	if enabled {
		done = "enabled"
	}
	http.Redirect(w, r, "/sources?done="+done, http.StatusSeeOther)
}

func (s *Server) sourceDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	if err := s.deps.Sources.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.sourceFailed(w, r, v, err)
		return
	}
	s.log.Info("source deleted", "source", r.PathValue("id"), "user_id", v.id.User.ID)
	http.Redirect(w, r, "/sources?done=deleted", http.StatusSeeOther)
}

// sourceProblems maps what the manager refuses to the code the form shows a message for.
var sourceProblems = []struct {
	err  error
	code string
}{
	{supervisor.ErrName, "name"},
	{supervisor.ErrKind, "kind"},
	{supervisor.ErrURL, "url"},
	{supervisor.ErrURLRequired, "url_required"},
	{supervisor.ErrStream, "stream"},
	{supervisor.ErrHashtag, "hashtag"},
	{supervisor.ErrInterval, "interval"},
	{supervisor.ErrLang, "lang"},
	{supervisor.ErrToken, "token"},
	{source.ErrBlockedAddress, "private"},
}

// sourceRefused shows the form again with what was wrong, or fails when the refusal is not the user's.
func (s *Server) sourceRefused(w http.ResponseWriter, r *http.Request, v *visit, err error, body sourceBody) {
	for _, p := range sourceProblems {
		if errors.Is(err, p.err) {
			body.Problem = p.code
			s.renderSourceForm(w, r, v, http.StatusUnprocessableEntity, body)
			return
		}
	}
	s.sourceFailed(w, r, v, err)
}

func (s *Server) sourceFailed(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	s.log.Error("source", "err", err)
	s.serverError(w, r, v)
}

// apiSources lists the sources with their status, for dashboards and alerting outside crisisdesk.
// Credentials never appear, only whether one is set.
func (s *Server) apiSources(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		writeJSON(w, http.StatusOK, []supervisor.View{})
		return
	}
	views, err := s.deps.Sources.List(r.Context())
	if err != nil {
		s.log.Error("list sources", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "the sources cannot be read")
		return
	}
	if views == nil {
		views = []supervisor.View{}
	}
	writeJSON(w, http.StatusOK, views)
}
