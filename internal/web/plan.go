package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planHistory is the part of the store that lists every saved plan version. Deps.Plans is typed as
// plan.Versions, which the alert pages need; both stores also keep the history, and a store without
// it shows the plan without its history.
type planHistory interface {
	PlanVersions(ctx context.Context) ([]store.PlanVersion, error)
}

// planBody is what /plan shows: the current plan in the page's language, with who is on duty now and
// the routing tree flattened into indented rows.
type planBody struct {
	Plan     *plan.Plan
	Version  int64
	Broken   []planProblem // the stored version no longer validates: its problems, and no plan
	History  []store.PlanVersion
	OnDuty   map[string][]plan.Person // schedule id -> on duty now
	People   map[string]string        // person id -> name, for schedules and steps
	Routes   []routeRow
	CanEdit  bool
	Severity map[string]plan.Level
}

// routeRow is one node of the routing tree, as a row indented by its depth.
type routeRow struct {
	Depth    int
	Policy   string
	Match    string
	Continue bool
}

// planProblem is one plan error as the pages and the JSON endpoints show it.
type planProblem struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Text    string `json:"text"` // path, message and position in one line
}

// planProblems turns a plan error into the list the pages show, in lang. It reports false for an
// error that is not about the plan's content, such as a failing store.
func planProblems(err error, lang string) ([]planProblem, bool) {
	var es plan.Errors
	if !errors.As(err, &es) {
		var e *plan.Error
		if !errors.As(err, &e) {
			return nil, false
		}
		es = plan.Errors{e}
	}
	out := make([]planProblem, len(es))
	for i, e := range es {
		out[i] = planProblem{Path: e.Path, Line: e.Line, Column: e.Column, Message: e.Message(lang), Text: e.Text(lang)}
	}
	return out, true
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	body := planBody{CanEdit: v.id.Can(auth.ManageSettings)}
	p, _, version, err := plan.Current(ctx, s.deps.Plans)
	body.Version = version
	if err != nil {
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("read crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		body.Broken = probs
	} else {
		body.Plan = p
		now := s.deps.Clock.Now()
		body.OnDuty = make(map[string][]plan.Person, len(p.Schedules))
		for _, sc := range p.Schedules {
			body.OnDuty[sc.ID] = p.OnDuty(sc.ID, now)
		}
		body.People = make(map[string]string, len(p.People))
		for _, per := range p.People {
			body.People[per.ID] = per.Name
		}
		body.Routes = routeRows(nil, p.Escalation.Route, 0)
		body.Severity = make(map[string]plan.Level, len(p.Protocol.Levels))
		for _, l := range p.Protocol.Levels {
			body.Severity[l.Severity] = l
		}
	}
	if h, ok := s.deps.Plans.(planHistory); ok {
		if body.History, err = h.PlanVersions(ctx); err != nil {
			s.log.Error("read crisis plan history", "err", err)
			s.serverError(w, r, v)
			return
		}
	}
	pg := s.newPage(r, v, "plan.title", "plan", body)
	if r.URL.Query().Get("done") == "saved" {
		pg.Notice = "plan.saved"
	}
	s.render(w, r, v, "plan", pg)
}

// routeRows flattens the routing tree depth first, the order in which it is matched.
func routeRows(dst []routeRow, rt plan.Route, depth int) []routeRow {
	dst = append(dst, routeRow{Depth: depth, Policy: rt.Policy, Match: matchText(rt.Match), Continue: rt.Continue})
	for _, c := range rt.Routes {
		dst = routeRows(dst, c, depth+1)
	}
	return dst
}

// matchText writes a route's conditions the way the YAML names them, which is also how a team
// reviews the plan file, so the page and the file read alike.
func matchText(m plan.Match) string {
	var parts []string
	add := func(name string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, name+": "+strings.Join(vals, ", "))
		}
	}
	add("severity", m.Severity)
	if m.MinSeverity != "" {
		parts = append(parts, "min_severity: "+m.MinSeverity)
	}
	add("monitor", m.Monitor)
	add("kind", m.Kind)
	add("category", m.Category)
	return strings.Join(parts, "; ")
}

// planYAML downloads the current plan exactly as it was saved, comments included.
func (s *Server) planYAML(w http.ResponseWriter, r *http.Request, v *visit) {
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
	h := w.Header()
	h.Set("Content-Type", "application/yaml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="crisis-plan-v%d.yaml"`, version))
	w.Write(src)
}
