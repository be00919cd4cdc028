package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planEditBody is what /plan/edit shows: the YAML being edited, the version it was based on, and
// the problems of the last save.
type planEditBody struct {
	YAML     string
	Version  int64
	Problems []planProblem
}

func (s *Server) planEditForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	_, src, version, err := plan.Current(r.Context(), s.deps.Plans)
	body := planEditBody{YAML: string(src), Version: version}
	if err != nil {
		probs, ok := planProblems(err, v.lang)
		if !ok || src == nil {
			s.log.Error("read crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		// The stored plan no longer validates: show it with its problems so an admin can fix it.
		body.Problems = probs
	}
	s.render(w, r, v, "plan_edit", s.newPage(r, v, "plan.edit_title", "plan", body))
}

// planEditSave validates the posted YAML and stores it as a new version. Any problem stores
// nothing and shows the form again with the text as typed and every problem listed.
func (s *Server) planEditSave(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	src := strings.ReplaceAll(r.PostFormValue("yaml"), "\r\n", "\n")
	var err error
	base, perr := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if perr == nil {
		// The editor says which version it was opened on: saving over someone else's newer version
		// would silently undo it, so that is refused with the text kept for the admin to redo.
		_, err = s.savePlanOn(r, v, []byte(src), base)
	} else {
		_, _, err = s.savePlan(r, v, []byte(src))
	}
	if errors.Is(err, store.ErrConflict) {
		// The form now carries the newest version, so saving again is a deliberate choice to replace it.
		_, _, newest, _ := plan.Current(r.Context(), s.deps.Plans)
		p := s.newPage(r, v, "plan.edit_title", "plan", planEditBody{YAML: src, Version: newest})
		p.Error, p.Status = "plan.conflict_yaml", http.StatusConflict
		s.render(w, r, v, "plan_edit", p)
		return
	}
	if err != nil {
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("save crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		version := base
		if perr != nil {
			_, _, version, _ = plan.Current(r.Context(), s.deps.Plans)
		}
		p := s.newPage(r, v, "plan.edit_title", "plan", planEditBody{YAML: src, Version: version, Problems: probs})
		p.Error = "plan.not_saved"
		p.Status = http.StatusUnprocessableEntity
		s.render(w, r, v, "plan_edit", p)
		return
	}
	http.Redirect(w, r, "/plan?done=saved", http.StatusSeeOther)
}

// savePlan validates src and stores it as the newest version by the signed-in user. Nothing is stored
// when it fails; a plan problem comes back as plan.Errors.
func (s *Server) savePlan(r *http.Request, v *visit, src []byte) (*plan.Plan, int64, error) {
	p, version, err := plan.Save(r.Context(), s.deps.Plans, src, v.id.User.Email, s.deps.Clock.Now())
	if err != nil {
		return nil, 0, err
	}
	s.log.Info("crisis plan saved", "version", version, "user_id", v.id.User.ID)
	return p, version, nil
}

// planValidateRequest is the body of POST /plan/validate and /api/v1/plan/validate.
type planValidateRequest struct {
	YAML string `json:"yaml"`
}

// planValidateResponse lists every problem of a plan; Valid is true when there are none.
type planValidateResponse struct {
	Valid    bool          `json:"valid"`
	Problems []planProblem `json:"problems"`
}

// planValidate checks a plan as the admin types: the editor's script posts the text with the session
// and the CSRF header, API clients with a token. Problems are in the caller's language.
func (s *Server) planValidate(w http.ResponseWriter, r *http.Request, v *visit) {
	var src []byte
	if !v.api && r.Header.Get(csrfHeader) == "" {
		// A plain form post, which the page's CSRF check has already parsed.
		src = []byte(r.PostFormValue("yaml"))
	} else {
		var ok bool
		if src, ok = s.readPlanBody(w, r, true); !ok {
			return
		}
	}
	res := planValidateResponse{Valid: true, Problems: []planProblem{}}
	if _, err := plan.Parse(src); err != nil {
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("validate crisis plan", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "internal error")
			return
		}
		res = planValidateResponse{Problems: probs}
	}
	writeJSON(w, http.StatusOK, res)
}

// readPlanBody reads a plan sent as JSON ({"yaml": "…"}) or, where raw is allowed, as the YAML itself.
// It answers the request itself when the body is unusable.
func (s *Server) readPlanBody(w http.ResponseWriter, r *http.Request, raw bool) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, planFormBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the plan is larger than %d bytes", plan.MaxSize))
			return nil, false
		}
		writeJSONError(w, http.StatusBadRequest, "the body could not be read")
		return nil, false
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var req planValidateRequest
		if err := json.Unmarshal(b, &req); err != nil {
			writeJSONError(w, http.StatusBadRequest, `the body must be JSON: {"yaml": "…"}`)
			return nil, false
		}
		return []byte(req.YAML), true
	}
	if !raw {
		writeJSONError(w, http.StatusUnsupportedMediaType, "send the plan as application/yaml or as JSON {\"yaml\": \"…\"}")
		return nil, false
	}
	return b, true
}

// apiPlanResponse is GET /api/v1/plan in JSON, and the answer to a successful PUT.
type apiPlanResponse struct {
	Version int64  `json:"version"`
	YAML    string `json:"yaml"`
}

// apiPlan returns the current plan: as YAML by default, exactly as saved, or as JSON with its version
// when the client asks for application/json or format=json.
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	_, src, version, err := plan.Current(r.Context(), s.deps.Plans)
	if err != nil && src == nil {
		s.log.Error("read crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	// The version is the ETag, so a client can save on top of it with If-Match.
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(version, 10)))
	if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, apiPlanResponse{Version: version, YAML: string(src)})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/yaml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Plan-Version", fmt.Sprint(version))
	w.Write(src)
}

// apiPlanPut replaces the plan with a new version, all or nothing: 422 with every problem when it
// does not validate.
func (s *Server) apiPlanPut(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	base, hasBase, err := planIfMatch(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	src, ok := s.readPlanBody(w, r, true)
	if !ok {
		return
	}
	var version int64
	if hasBase {
		version, err = s.savePlanOn(r, v, src, base)
	} else {
		_, version, err = s.savePlan(r, v, src)
	}
	if errors.Is(err, store.ErrConflict) {
		writeJSONError(w, http.StatusPreconditionFailed, "the plan was changed by someone else since that version: fetch it again")
		return
	}
	if err != nil {
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("save crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		writeJSON(w, http.StatusUnprocessableEntity, planValidateResponse{Problems: probs})
		return
	}
	writeJSON(w, http.StatusOK, apiPlanResponse{Version: version, YAML: string(src)})
}

// planIfMatch reads the version a PUT is based on from If-Match, which carries the ETag of GET
// /api/v1/plan: the version number in quotes. hasBase is false when the header is absent.
func planIfMatch(r *http.Request) (base int64, hasBase bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, false, nil
	}
	n, perr := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if perr != nil || n < 0 {
		return 0, false, fmt.Errorf(`If-Match must be the plan's ETag from GET /api/v1/plan, such as "3"; got %q`, h)
	}
	return n, true, nil
}

// planFormBytes limits a post of the plan editor: the largest plan, which URL encoding can triple.
const planFormBytes = 3 * plan.MaxSize
