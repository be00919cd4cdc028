package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/ingest"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// apiMonitorJSON is a monitor in the API.
type apiMonitorJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Enabled   bool      `json:"enabled"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func monitorJSON(m store.Monitor) apiMonitorJSON {
	return apiMonitorJSON{ID: m.ID, Name: m.Name, Query: m.Query, Enabled: m.Enabled, CreatedBy: m.CreatedBy,
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}

// monitorInput is the body of POST and PUT. Enabled defaults to true when left out.
type monitorInput struct {
	Name    string `json:"name"`
	Query   string `json:"query"`
	Enabled *bool  `json:"enabled"`
}

func (s *Server) apiMonitors(w http.ResponseWriter, r *http.Request, v *visit) {
	ms, err := s.deps.Monitors.List(r.Context())
	if err != nil {
		s.log.Error("list monitors", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "listing monitors failed")
		return
	}
	out := make([]apiMonitorJSON, len(ms))
	for i, m := range ms {
		out[i] = monitorJSON(m)
	}
	writeJSON(w, http.StatusOK, struct {
		Monitors []apiMonitorJSON `json:"monitors"`
	}{out})
}

func (s *Server) apiMonitor(w http.ResponseWriter, r *http.Request, v *visit) {
	m, err := s.deps.Monitors.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiMonitorFailed(w, v, err, "")
		return
	}
	writeJSON(w, http.StatusOK, monitorJSON(m))
}

func (s *Server) readMonitorInput(w http.ResponseWriter, r *http.Request) (monitorInput, bool) {
	var in monitorInput
	if err := json.NewDecoder(io.LimitReader(r.Body, 2*maxQuerySource+4096)).Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "the body must be JSON: {\"name\": \"…\", \"query\": \"…\", \"enabled\": true}")
		return in, false
	}
	if len(in.Query) > 4*maxQuerySource {
		writeJSONError(w, http.StatusBadRequest, "the query is too long")
		return in, false
	}
	return in, true
}

func (s *Server) apiMonitorCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	in, ok := s.readMonitorInput(w, r)
	if !ok {
		return
	}
	m, err := s.deps.Monitors.Create(r.Context(), in.Name, in.Query, in.Enabled == nil || *in.Enabled, v.id.User.ID)
	if err != nil {
		s.apiMonitorFailed(w, v, err, in.Query)
		return
	}
	w.Header().Set("Location", "/api/v1/monitors/"+m.ID)
	writeJSON(w, http.StatusCreated, monitorJSON(m))
}

func (s *Server) apiMonitorUpdate(w http.ResponseWriter, r *http.Request, v *visit) {
	in, ok := s.readMonitorInput(w, r)
	if !ok {
		return
	}
	m, err := s.deps.Monitors.Update(r.Context(), r.PathValue("id"), in.Name, in.Query, in.Enabled == nil || *in.Enabled)
	if err != nil {
		s.apiMonitorFailed(w, v, err, in.Query)
		return
	}
	writeJSON(w, http.StatusOK, monitorJSON(m))
}

func (s *Server) apiMonitorDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.deps.Monitors.Delete(r.Context(), r.PathValue("id")); err != nil {
		s.apiMonitorFailed(w, v, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiMonitorError is a refused monitor: the message in the caller's language, and for a bad query
// its position.
type apiMonitorError struct {
	Error string        `json:"error"`
	Query *queryProblem `json:"query_error,omitempty"`
}

func (s *Server) apiMonitorFailed(w http.ResponseWriter, v *visit, err error, src string) {
	var qe *query.Error
	switch {
	case errors.As(err, &qe):
		writeJSON(w, http.StatusUnprocessableEntity, apiMonitorError{Error: s.msgs.text(v.lang, "monitor.bad_query"),
			Query: s.problem(qe, src, v.lang)})
	case errors.Is(err, ingest.ErrNoName):
		writeJSON(w, http.StatusUnprocessableEntity, apiMonitorError{Error: s.msgs.text(v.lang, "monitor.no_name")})
	case errors.Is(err, ingest.ErrLongName):
		writeJSON(w, http.StatusUnprocessableEntity, apiMonitorError{Error: s.msgs.text(v.lang, "monitor.long_name")})
	case isNotFound(err):
		writeJSONError(w, http.StatusNotFound, "not found")
	default:
		s.log.Error("monitor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "the monitor could not be saved")
	}
}
