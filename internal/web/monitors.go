package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The preview runs a query over the stored posts of the last previewWindow, newest first, scanning at
// most previewScanCap of them so that typing in the editor never reads a whole archive; the page says
// when the cap was reached. It shows up to previewSamples matches.
const (
	previewWindow  = 7 * 24 * time.Hour
	previewScanCap = 50000
	previewPage    = store.MaxSearchLimit
	previewSamples = 10
	// maxQuerySource bounds a monitor's query text; real queries are a few hundred characters.
	maxQuerySource = 10000
)

type monitorRow struct {
	store.Monitor
	Matched24h int64
}

type monitorsBody struct {
	Monitors []monitorRow
}

func (s *Server) monitorsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	ms, err := s.deps.Monitors.List(ctx)
	if err != nil {
		s.log.Error("list monitors", "err", err)
		s.serverError(w, r, v)
		return
	}
	counts, err := s.deps.Posts.MonitorMatchCounts(ctx, s.deps.Clock.Now().Add(-24*time.Hour))
	if err != nil {
		s.log.Error("count monitor matches", "err", err)
		s.serverError(w, r, v)
		return
	}
	body := monitorsBody{Monitors: make([]monitorRow, len(ms))}
	for i, m := range ms {
		body.Monitors[i] = monitorRow{Monitor: m, Matched24h: counts[m.ID]}
	}
	p := s.newPage(r, v, "monitors.title", "monitors", body)
	p.Notice = monitorNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "monitors", p)
}

func monitorNotice(done string) string {
	switch done {
	case "deleted":
		return "monitors.deleted"
	case "created":
		return "monitor.created"
	case "saved":
		return "monitor.saved"
	}
	return ""
}

// queryProblem is a refused query as the form and the validation endpoint show it.
type queryProblem struct {
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Message   string `json:"message"`
	Formatted string `json:"formatted"` // the message under the query line, with a caret at the column
}

// monitorBody is the create and edit form.
type monitorBody struct {
	New       bool
	ID        string
	Name      string
	Query     string
	Enabled   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Problem   *queryProblem
	Preview   *preview
	// PreviewText is the preview's sentence, as the live editor shows it too.
	PreviewText string
	Samples     []postView
}

func (s *Server) monitorNewForm(w http.ResponseWriter, r *http.Request, v *visit) {
	s.render(w, r, v, "monitor", s.newPage(r, v, "monitor.new_title", "monitors", monitorBody{New: true, Enabled: true}))
}

func (s *Server) monitorPage(w http.ResponseWriter, r *http.Request, v *visit) {
	m, err := s.deps.Monitors.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.monitorFailed(w, r, v, err)
		return
	}
	body := monitorBody{ID: m.ID, Name: m.Name, Query: m.Query, Enabled: m.Enabled, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if qe := queryError(m.Query); qe != nil {
		body.Problem = s.problem(qe, m.Query, v.lang)
	} else if body.Preview, err = s.preview(r.Context(), m.Query); err != nil {
		s.log.Error("preview monitor", "monitor", m.ID, "err", err)
		s.serverError(w, r, v)
		return
	} else {
		body.PreviewText = s.previewSummary(body.Preview, v.lang)
		ms, err := s.deps.Monitors.List(r.Context())
		if err != nil {
			s.log.Error("list monitors", "err", err)
			s.serverError(w, r, v)
			return
		}
		body.Samples = postViews(body.Preview.Samples, ms)
	}
	p := s.newPage(r, v, "monitor.edit_title", "monitors", body)
	p.Notice = monitorNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "monitor", p)
}

// monitorForm reads the create and edit form.
func monitorForm(r *http.Request) (name, q string, enabled bool) {
	return r.PostFormValue("name"), strings.ReplaceAll(r.PostFormValue("query"), "\r\n", "\n"), r.PostFormValue("enabled") == "on"
}

func (s *Server) monitorCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	name, q, enabled := monitorForm(r)
	m, err := s.deps.Monitors.Create(r.Context(), name, q, enabled, v.id.User.ID)
	if err != nil {
		s.monitorRefused(w, r, v, err, monitorBody{New: true, Name: name, Query: q, Enabled: enabled})
		return
	}
	s.log.Info("monitor created", "monitor", m.ID, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/monitors/"+m.ID+"?done=created", http.StatusSeeOther)
}

func (s *Server) monitorUpdate(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PathValue("id")
	name, q, enabled := monitorForm(r)
	m, err := s.deps.Monitors.Update(r.Context(), id, name, q, enabled)
	if err != nil {
		s.monitorRefused(w, r, v, err, monitorBody{ID: id, Name: name, Query: q, Enabled: enabled})
		return
	}
	s.log.Info("monitor changed", "monitor", m.ID, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/monitors/"+m.ID+"?done=saved", http.StatusSeeOther)
}

func (s *Server) monitorSetEnabled(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	m, err := s.deps.Monitors.Get(ctx, r.PathValue("id"))
	if err != nil {
		s.monitorFailed(w, r, v, err)
		return
	}
	if _, err := s.deps.Monitors.Update(ctx, m.ID, m.Name, m.Query, r.PostFormValue("enabled") == "true"); err != nil {
		// A stored query that no longer parses cannot be enabled; the edit page shows why.
		s.monitorRefused(w, r, v, err, monitorBody{ID: m.ID, Name: m.Name, Query: m.Query, Enabled: m.Enabled})
		return
	}
	http.Redirect(w, r, "/monitors?done=saved", http.StatusSeeOther)
}

func (s *Server) monitorDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.deps.Monitors.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.monitorFailed(w, r, v, err)
		return
	}
	s.log.Info("monitor deleted", "monitor", r.PathValue("id"), "user_id", v.id.User.ID)
	http.Redirect(w, r, "/monitors?done=deleted", http.StatusSeeOther)
}

// monitorFailed answers an error that is not the user's to fix: 404 or 500.
func (s *Server) monitorFailed(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if isNotFound(err) {
		s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	s.log.Error("monitor", "err", err)
	s.serverError(w, r, v)
}

// monitorRefused shows the form again with why the monitor was not saved: the same message, line and
// column that live validation shows while typing.
func (s *Server) monitorRefused(w http.ResponseWriter, r *http.Request, v *visit, err error, body monitorBody) {
	var qe *query.Error
	key := ""
	switch {
	case errors.As(err, &qe):
		body.Problem = s.problem(qe, body.Query, v.lang)
		key = "monitor.bad_query"
	case errors.Is(err, ingest.ErrNoName):
		key = "monitor.no_name"
	case errors.Is(err, ingest.ErrLongName):
		key = "monitor.long_name"
	default:
		s.monitorFailed(w, r, v, err)
		return
	}
	title := "monitor.edit_title"
	if body.New {
		title = "monitor.new_title"
	}
	p := s.newPage(r, v, title, "monitors", body)
	p.Error, p.Status = key, http.StatusUnprocessableEntity
	s.render(w, r, v, "monitor", p)
}

// queryError parses src and returns its error, or nil when it parses.
func queryError(src string) *query.Error {
	if _, err := query.Parse(src); err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return qe
		}
		return &query.Error{Line: 1, Col: 1, Msg: err.Error()}
	}
	return nil
}

func (s *Server) problem(qe *query.Error, src, lang string) *queryProblem {
	return &queryProblem{Line: qe.Line, Col: qe.Col, Message: qe.Message(lang), Formatted: qe.FormatLang(src, lang)}
}

// preview is what a query would have matched among recent stored posts.
type preview struct {
	Matched int                `json:"matched"`
	Scanned int                `json:"scanned"`
	Capped  bool               `json:"capped"` // the scan stopped at the cap before the window's start
	Samples []store.StoredPost `json:"-"`
}

// preview runs src over the stored posts of the last week, newest first, against their stored
// analysis, so sentiment: and category: fields work as in ingest.
func (s *Server) preview(ctx context.Context, src string) (*preview, error) {
	q, err := query.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	m, err := query.Compile([]query.Monitor{{ID: "preview", Query: q}})
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	now := s.deps.Clock.Now()
	pq := store.PostQuery{Since: now.Add(-previewWindow), Limit: previewPage}
	pv := &preview{}
	var doc query.Doc
	var ids []string
	// Posts are paged by moving Until to the oldest time seen; posts at exactly that instant come again
	// on the next page, so those already counted are remembered and skipped.
	var edge time.Time
	seenAtEdge := map[string]bool{}
	for pv.Scanned < previewScanCap {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		page, err := s.deps.Posts.SearchStoredPosts(ctx, pq)
		if err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
		fresh := 0
		for i := range page {
			sp := &page[i]
			key := sp.Post.Platform + "\x00" + sp.Post.ID
			if sp.Post.CreatedAt.Equal(edge) && seenAtEdge[key] {
				continue
			}
			if !sp.Post.CreatedAt.Equal(edge) {
				edge = sp.Post.CreatedAt
				clear(seenAtEdge)
			}
			seenAtEdge[key] = true
			fresh++
			pv.Scanned++
			a := sp.Analysis
			lang := a.Lang
			if !a.Analysed() {
				lang = sp.Post.Lang
			}
			doc.Reset(&sp.Post, query.Analysis{Lang: lang, Sentiment: a.Sentiment, Complaint: a.Complaint, Categories: a.Categories})
			if ids = m.AppendMatches(ids[:0], &doc); len(ids) > 0 {
				pv.Matched++
				if len(pv.Samples) < previewSamples {
					pv.Samples = append(pv.Samples, *sp)
				}
			}
			if pv.Scanned == previewScanCap {
				pv.Capped = i < len(page)-1 || len(page) == previewPage
				return pv, nil
			}
		}
		if len(page) < previewPage || fresh == 0 {
			return pv, nil
		}
		pq.Until = edge.Add(time.Nanosecond)
	}
	return pv, nil
}

// validateRequest is the body of the validation endpoints.
type validateRequest struct {
	Query   string `json:"query"`
	Preview bool   `json:"preview"`
}

type validateResponse struct {
	Valid   bool          `json:"valid"`
	Error   *queryProblem `json:"error,omitempty"`
	Preview *previewJSON  `json:"preview,omitempty"`
}

type previewJSON struct {
	preview
	// Summary says the result in the caller's language, for the editor to show as it is.
	Summary string    `json:"summary"`
	Posts   []apiPost `json:"samples"`
}

// monitorValidate checks a query as the user types: the editor's script posts to /monitors/validate
// with the session and the CSRF header, API clients to /api/v1/monitors/validate with a token. Errors
// are in the caller's language, with line and column.
func (s *Server) monitorValidate(w http.ResponseWriter, r *http.Request, v *visit) {
	var req validateRequest
	if !v.api && r.Header.Get(csrfHeader) == "" {
		// A plain form post, which the page's CSRF check has already parsed.
		req = validateRequest{Query: r.PostFormValue("query"), Preview: r.PostFormValue("preview") == "true"}
	} else if err := json.NewDecoder(io.LimitReader(r.Body, 4*maxQuerySource+1024)).Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "the body must be JSON: {\"query\": \"…\", \"preview\": true}")
		return
	}
	if utf8.RuneCountInString(req.Query) > maxQuerySource {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("the query is longer than %d characters", maxQuerySource))
		return
	}
	if qe := queryError(req.Query); qe != nil {
		writeJSON(w, http.StatusOK, validateResponse{Error: s.problem(qe, req.Query, v.lang)})
		return
	}
	res := validateResponse{Valid: true}
	if req.Preview {
		pv, err := s.preview(r.Context(), req.Query)
		if err != nil {
			s.log.Error("preview monitor", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "the preview failed")
			return
		}
		res.Preview = s.previewJSON(pv, v.lang)
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) previewJSON(pv *preview, lang string) *previewJSON {
	out := &previewJSON{preview: *pv, Summary: s.previewSummary(pv, lang), Posts: make([]apiPost, len(pv.Samples))}
	for i, sp := range pv.Samples {
		out.Posts[i] = newAPIPost(sp)
	}
	return out
}

// previewSummary is the preview's sentence in lang, the same on the page and from the endpoint.
func (s *Server) previewSummary(pv *preview, lang string) string {
	text := fmt.Sprintf(s.msgs.text(lang, "monitor.preview_count"), formatNumber(lang, int64(pv.Matched)), formatNumber(lang, int64(pv.Scanned)))
	if pv.Capped {
		text += " " + fmt.Sprintf(s.msgs.text(lang, "monitor.preview_capped"), formatNumber(lang, previewScanCap))
	}
	return text
}
