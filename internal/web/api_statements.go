package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The statements API drives the same workflow as the composer's pages, with the same rules: the
// statement service refuses what the pages refuse (four eyes, legal approval, states), and a retried
// publish never posts twice.

// apiStatementJSON is a statement in the API.
type apiStatementJSON struct {
	ID              int64             `json:"id"`
	IncidentID      int64             `json:"incident_id"`
	Lang            string            `json:"lang"`
	Form            string            `json:"form,omitempty"`
	TemplateID      string            `json:"template_id,omitempty"`
	TemplateVersion int               `json:"template_version,omitempty"`
	Vars            map[string]string `json:"vars"`
	Core            string            `json:"core"`
	Edits           map[string]string `json:"edits"`
	Platforms       []string          `json:"platforms"`
	State           string            `json:"state"`
	Author          string            `json:"author"`
	Version         int64             `json:"version"`
	Rev             int64             `json:"rev"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
}

func statementJSON(st store.Statement) apiStatementJSON {
	j := apiStatementJSON{ID: st.ID, IncidentID: st.IncidentID, Lang: st.Lang, Form: st.Form, TemplateID: st.TemplateID,
		TemplateVersion: st.TemplateVersion, Vars: st.Vars, Core: st.Core, Edits: st.Edits, Platforms: st.Platforms,
		State: st.State, Author: st.Author, Version: st.Version, Rev: st.Rev, CreatedAt: st.CreatedAt.UTC(), UpdatedAt: st.UpdatedAt.UTC()}
	if j.Vars == nil {
		j.Vars = map[string]string{}
	}
	if j.Edits == nil {
		j.Edits = map[string]string{}
	}
	if j.Platforms == nil {
		j.Platforms = []string{}
	}
	return j
}

type apiVariantJSON struct {
	Platform string   `json:"platform"`
	Parts    []string `json:"parts"`
	Edited   bool     `json:"edited"`
	Errors   int      `json:"errors"`
}

type apiApprovalJSON struct {
	Approvers  []string `json:"approvers"`
	Legal      []string `json:"legal"`
	NeedsLegal bool     `json:"needs_legal"`
	Complete   bool     `json:"complete"`
}

type apiPublicationJSON struct {
	Version    int64      `json:"version"`
	Channel    string     `json:"channel"`
	Platform   string     `json:"platform"`
	Status     string     `json:"status"`
	Links      []string   `json:"links"`
	Error      string     `json:"error,omitempty"`
	Actor      string     `json:"actor"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

func publicationJSON(p store.Publication) apiPublicationJSON {
	j := apiPublicationJSON{Version: p.Version, Channel: p.Channel, Platform: p.Platform, Status: p.Status, Links: p.Links,
		Error: p.Error, Actor: p.Actor, StartedAt: p.StartedAt.UTC()}
	if j.Links == nil {
		j.Links = []string{}
	}
	if !p.FinishedAt.IsZero() {
		f := p.FinishedAt.UTC()
		j.FinishedAt = &f
	}
	return j
}

type apiVersionJSON struct {
	Version int64             `json:"version"`
	Core    string            `json:"core"`
	Vars    map[string]string `json:"vars,omitempty"`
	Edits   map[string]string `json:"edits,omitempty"`
	Author  string            `json:"author"`
	At      time.Time         `json:"at"`
}

type apiAuditJSON struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Version int64     `json:"version"`
	Comment string    `json:"comment,omitempty"`
}

// apiStatementDetail is GET of one statement: the statement, its variants with their error counts,
// its approvals, history, audit log and publications.
type apiStatementDetail struct {
	apiStatementJSON
	Errors       int                  `json:"errors"`
	Variants     []apiVariantJSON     `json:"variants"`
	Approval     apiApprovalJSON      `json:"approval"`
	Versions     []apiVersionJSON     `json:"versions"`
	Audit        []apiAuditJSON       `json:"audit"`
	Publications []apiPublicationJSON `json:"publications"`
}

// apiStatementInput is the body of the write calls; each uses the fields it needs.
type apiStatementInput struct {
	Template *string           `json:"template"`
	Lang     string            `json:"lang"`
	Form     string            `json:"form"`
	Vars     map[string]string `json:"vars"`
	Core     string            `json:"core"`
	Edits    map[string]string `json:"edits"`
	Rev      *int64            `json:"rev"`
	Comment  string            `json:"comment"`
	Channels []string          `json:"channels"`
	Channel  string            `json:"channel"`
	Link     string            `json:"link"`
}

// apiStatementError is a refused step: the reason in the caller's language, and a stable code.
type apiStatementError struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

// readStatementInput decodes the body; a malformed one is answered with the field or offset and why.
func (s *Server) readStatementInput(w http.ResponseWriter, r *http.Request) (apiStatementInput, bool) {
	var in apiStatementInput
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: jsonProblem(err)})
		return in, false
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "the body must be one JSON object"})
		return in, false
	}
	return in, true
}

// jsonProblem words a decoding error with the field or byte offset it is about.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty; send a JSON object"
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q: want %s, got %s", typ.Field, typ.Type, typ.Value)
	case errors.As(err, &big):
		return fmt.Sprintf("the body is larger than %d bytes", big.Limit)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "invalid JSON: " + err.Error()
}

// apiStatementFailed answers a failed step: a refusal as 422 with its reason, a stale rev as 409.
func (s *Server) apiStatementFailed(w http.ResponseWriter, v *visit, err error) {
	if e, ok := statement.IsRefusal(err); ok {
		writeJSON(w, http.StatusUnprocessableEntity, apiStatementError{Error: e.Message(v.lang), Code: e.Code})
		return
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		writeJSONError(w, http.StatusConflict, "the statement changed since rev was read; read it again")
	case errors.Is(err, store.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, "not found")
	default:
		s.log.Error("statement API", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "the statement step failed")
	}
}

// apiStatementOf reads the statement of the path, checking that it belongs to the path's incident.
func (s *Server) apiStatementOf(w http.ResponseWriter, r *http.Request, v *visit) (store.Statement, bool) {
	incID, id, ok := statementIDs(r)
	if s.deps.Statements == nil || s.deps.Incidents == nil || !ok {
		writeJSONError(w, http.StatusNotFound, "not found")
		return store.Statement{}, false
	}
	st, err := s.deps.Statements.Statement(r.Context(), id)
	if err == nil && st.IncidentID != incID {
		err = store.ErrNotFound
	}
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return store.Statement{}, false
	}
	return st, true
}

func (s *Server) apiStatementActor(w http.ResponseWriter, r *http.Request, v *visit) (statement.Actor, bool) {
	by, err := s.statementActor(r.Context(), v)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return by, false
	}
	return by, true
}

// needRev answers 400 when the body has no rev.
func needRev(w http.ResponseWriter, in apiStatementInput) (int64, bool) {
	if in.Rev == nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "field \"rev\": required, the rev of the statement as read", Parameter: "rev"})
		return 0, false
	}
	return *in.Rev, true
}

// GET /api/v1/incidents/{id}/statements
func (s *Server) apiStatements(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := incidentID(r)
	if s.deps.Statements == nil || s.deps.Incidents == nil || !ok {
		writeJSONError(w, http.StatusNotFound, "not found")
		return
	}
	if _, err := s.deps.Incidents.Room(r.Context(), id); err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	list, err := s.deps.Statements.List(r.Context(), id)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	out := make([]apiStatementJSON, len(list))
	for i, st := range list {
		out[i] = statementJSON(st)
	}
	writeJSON(w, http.StatusOK, struct {
		Statements []apiStatementJSON `json:"statements"`
	}{out})
}

// POST /api/v1/incidents/{id}/statements drafts a statement from a template or a core message.
func (s *Server) apiStatementCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := incidentID(r)
	if s.deps.Statements == nil || s.deps.Incidents == nil || !ok {
		writeJSONError(w, http.StatusNotFound, "not found")
		return
	}
	in, ok := s.readStatementInput(w, r)
	if !ok {
		return
	}
	d := statement.Draft{Lang: in.Lang, Form: in.Form, Vars: in.Vars, Core: in.Core}
	if in.Template != nil {
		t, found, err := s.deps.Statements.Template(r.Context(), *in.Template)
		if err != nil {
			s.apiStatementFailed(w, v, err)
			return
		}
		if !found {
			writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: fmt.Sprintf("field \"template\": no template %q in the crisis plan", *in.Template), Parameter: "template"})
			return
		}
		d.TemplateID, d.Lang, d.Form = t.ID, string(t.Lang), string(t.Form)
	}
	by, ok := s.apiStatementActor(w, r, v)
	if !ok {
		return
	}
	st, warnings, err := s.deps.Statements.Create(r.Context(), id, d, by)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	var unfilled []string
	for _, wn := range warnings {
		if wn.Variable != "" {
			unfilled = append(unfilled, wn.Variable)
		}
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/incidents/%d/statements/%d", id, st.ID))
	writeJSON(w, http.StatusCreated, struct {
		apiStatementJSON
		Unfilled []string `json:"unfilled,omitempty"`
	}{statementJSON(st), unfilled})
}

// GET /api/v1/incidents/{id}/statements/{sid}
func (s *Server) apiStatement(w http.ResponseWriter, r *http.Request, v *visit) {
	st, ok := s.apiStatementOf(w, r, v)
	if !ok {
		return
	}
	s.writeStatementDetail(w, r, v, st, http.StatusOK)
}

func (s *Server) writeStatementDetail(w http.ResponseWriter, r *http.Request, v *visit, st store.Statement, status int) {
	room, err := s.deps.Incidents.Room(r.Context(), st.IncidentID)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	h, err := s.deps.Statements.History(r.Context(), st.ID)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	a, err := s.deps.Statements.Approval(r.Context(), st)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	c := s.deps.Statements.Check(st, room.Incident)
	d := apiStatementDetail{apiStatementJSON: statementJSON(st), Errors: c.Errors(),
		Approval: apiApprovalJSON{Approvers: a.Approvers, Legal: a.Legal, NeedsLegal: a.NeedsLegal, Complete: a.ApprovedByBoth},
		Variants: []apiVariantJSON{}, Versions: []apiVersionJSON{}, Audit: []apiAuditJSON{}, Publications: []apiPublicationJSON{}}
	if d.Approval.Approvers == nil {
		d.Approval.Approvers = []string{}
	}
	if d.Approval.Legal == nil {
		d.Approval.Legal = []string{}
	}
	for i, vr := range c.Variants {
		n := 0
		for _, f := range c.Results[i].Findings {
			if f.Severity == respond.SeverityError {
				n++
			}
		}
		_, edited := st.Edits[string(vr.Platform)]
		d.Variants = append(d.Variants, apiVariantJSON{Platform: string(vr.Platform), Parts: vr.Parts, Edited: edited, Errors: n})
	}
	for _, ver := range h.Versions {
		d.Versions = append(d.Versions, apiVersionJSON{Version: ver.Version, Core: ver.Core, Vars: ver.Vars, Edits: ver.Edits, Author: ver.Author, At: ver.At.UTC()})
	}
	for _, e := range h.Audit {
		d.Audit = append(d.Audit, apiAuditJSON{At: e.At.UTC(), Actor: e.Actor, Action: e.Action, Version: e.Version, Comment: e.Comment})
	}
	for _, p := range h.Publications {
		d.Publications = append(d.Publications, publicationJSON(p))
	}
	writeJSON(w, status, d)
}

// PUT /api/v1/incidents/{id}/statements/{sid} saves an edit of a draft as a new version.
func (s *Server) apiStatementUpdate(w http.ResponseWriter, r *http.Request, v *visit) {
	s.apiStatementStep(w, r, v, func(st store.Statement, in apiStatementInput, rev int64, by statement.Actor) (store.Statement, error) {
		return s.deps.Statements.Update(r.Context(), st.ID, rev, statement.Edit{Core: in.Core, Vars: in.Vars, Edits: in.Edits}, by)
	})
}

// POST /api/v1/incidents/{id}/statements/{sid}/submit
func (s *Server) apiStatementSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	s.apiStatementStep(w, r, v, func(st store.Statement, _ apiStatementInput, rev int64, by statement.Actor) (store.Statement, error) {
		return s.deps.Statements.Submit(r.Context(), st.ID, rev, by)
	})
}

// POST /api/v1/incidents/{id}/statements/{sid}/approve
func (s *Server) apiStatementApprove(w http.ResponseWriter, r *http.Request, v *visit) {
	s.apiStatementStep(w, r, v, func(st store.Statement, in apiStatementInput, rev int64, by statement.Actor) (store.Statement, error) {
		return s.deps.Statements.Approve(r.Context(), st.ID, rev, in.Comment, by)
	})
}

// POST /api/v1/incidents/{id}/statements/{sid}/reject
func (s *Server) apiStatementReject(w http.ResponseWriter, r *http.Request, v *visit) {
	s.apiStatementStep(w, r, v, func(st store.Statement, in apiStatementInput, rev int64, by statement.Actor) (store.Statement, error) {
		return s.deps.Statements.Reject(r.Context(), st.ID, rev, in.Comment, by)
	})
}

// apiStatementStep reads the statement and the body (which must carry rev), runs step and answers with
// the statement as the step left it.
func (s *Server) apiStatementStep(w http.ResponseWriter, r *http.Request, v *visit,
	step func(st store.Statement, in apiStatementInput, rev int64, by statement.Actor) (store.Statement, error)) {
	st, in, by, ok := s.apiStatementRequest(w, r, v)
	if !ok {
		return
	}
	rev, ok := needRev(w, in)
	if !ok {
		return
	}
	st, err := step(st, in, rev, by)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	s.writeStatementDetail(w, r, v, st, http.StatusOK)
}

// apiStatementRequest reads what a step on a statement needs: the statement of the path, the body and
// the user as an actor. When one of them is missing it has answered, and reports false.
func (s *Server) apiStatementRequest(w http.ResponseWriter, r *http.Request, v *visit) (store.Statement, apiStatementInput, statement.Actor, bool) {
	st, ok := s.apiStatementOf(w, r, v)
	if !ok {
		return store.Statement{}, apiStatementInput{}, statement.Actor{}, false
	}
	in, ok := s.readStatementInput(w, r)
	if !ok {
		return store.Statement{}, apiStatementInput{}, statement.Actor{}, false
	}
	by, ok := s.apiStatementActor(w, r, v)
	if !ok {
		return store.Statement{}, apiStatementInput{}, statement.Actor{}, false
	}
	return st, in, by, true
}

// apiPublishResult is what happened on one channel.
type apiPublishResult struct {
	Channel     string              `json:"channel"`
	Repeated    bool                `json:"repeated"`
	Publication *apiPublicationJSON `json:"publication,omitempty"`
	Error       string              `json:"error,omitempty"`
}

// POST /api/v1/incidents/{id}/statements/{sid}/publish posts an approved statement to the channels
// named in the body. A channel already published, or whose attempt is in flight, is not posted again:
// its result says repeated.
func (s *Server) apiStatementPublish(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.StatementChannels == nil {
		writeJSONError(w, http.StatusNotFound, "publishing is not configured")
		return
	}
	st, in, by, ok := s.apiStatementRequest(w, r, v)
	if !ok {
		return
	}
	results, err := s.deps.Statements.Publish(r.Context(), st.ID, s.deps.StatementChannels, in.Channels, by)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	out := make([]apiPublishResult, 0, len(results))
	failed := false
	for _, res := range results {
		pr := apiPublishResult{Channel: res.Channel, Repeated: res.Repeated}
		if res.Publication.Channel != "" {
			p := publicationJSON(res.Publication)
			pr.Publication = &p
		}
		if res.Err != nil {
			failed = true
			// In words, without the transport's error, which can name internal addresses.
			pr.Error = statement.FailureMessage(res.Err, v.lang)
		}
		out = append(out, pr)
	}
	status := http.StatusOK
	if failed {
		// Some channel failed: the body says which; the others went out and are not repeated on a retry.
		status = http.StatusBadGateway
	}
	writeJSON(w, status, struct {
		Results []apiPublishResult `json:"results"`
	}{out})
}

// POST /api/v1/incidents/{id}/statements/{sid}/manual records a post made by hand, with its link.
func (s *Server) apiStatementManual(w http.ResponseWriter, r *http.Request, v *visit) {
	st, in, by, ok := s.apiStatementRequest(w, r, v)
	if !ok {
		return
	}
	p, err := s.deps.Statements.MarkPublished(r.Context(), st.ID, in.Channel, in.Link, by)
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	writeJSON(w, http.StatusOK, publicationJSON(p))
}

// apiChannelJSON is a channel a statement can be published to.
type apiChannelJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Platform string `json:"platform"`
	Manual   bool   `json:"manual"`
}

// GET /api/v1/statement-channels lists where statements can be published.
func (s *Server) apiStatementChannels(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.StatementChannels == nil {
		writeJSONError(w, http.StatusNotFound, "publishing is not configured")
		return
	}
	chs, err := s.deps.StatementChannels.Channels(r.Context())
	if err != nil {
		s.apiStatementFailed(w, v, err)
		return
	}
	out := make([]apiChannelJSON, len(chs))
	for i, c := range chs {
		out[i] = apiChannelJSON{ID: c.ID, Name: c.Name, Platform: string(c.Platform), Manual: c.Manual()}
	}
	writeJSON(w, http.StatusOK, struct {
		Channels []apiChannelJSON `json:"channels"`
	}{out})
}
