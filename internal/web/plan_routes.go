package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// Routes: which escalation policy an alert starts. The form edits the routes directly under the top
// of the routing tree, in the order they are tried, and the policy the top applies when none
// matches. Routes nested deeper are kept as they are; the YAML editor changes those.

// routeForm is a route as the form shows it.
type routeForm struct {
	plan.Route
}

func (f routeForm) HasSeverity(s string) bool { return slices.Contains(f.Match.Severity, s) }
func (f routeForm) HasKind(k string) bool     { return slices.Contains(f.Match.Kind, k) }
func (f routeForm) HasCategory(c string) bool { return slices.Contains(f.Match.Category, c) }
func (f routeForm) HasMonitor(id string) bool { return slices.Contains(f.Match.Monitor, id) }

// OtherMonitors are the route's monitor ids that are not among known, as the text field shows them:
// a monitor removed since, or one created later.
func (f routeForm) OtherMonitors(known []formOption) string {
	var other []string
	for _, id := range f.Match.Monitor {
		if !slices.ContainsFunc(known, func(o formOption) bool { return o.Value == id }) {
			other = append(other, id)
		}
	}
	return strings.Join(other, ", ")
}

// formOption is a value a form offers, with its label in the page's language.
type formOption struct {
	Value, Label string
}

// routeExtra is what the routes page shows beyond the plan.
type routeExtra struct {
	Rows       []routeListRow
	Kinds      []formOption
	Categories []formOption
	Monitors   []formOption // the monitors there are now, by id with their names
}

// routeListRow is one route under the top of the tree, as the list shows it.
type routeListRow struct {
	N        int
	Match    string
	Policy   string
	Continue bool
	Nested   int  // routes below it, which only the YAML editor changes
	Last     bool // the last route, which cannot move down
}

func (s *Server) routeExtra(ctx context.Context, p *plan.Plan, lang string) routeExtra {
	t := func(key string) string { return s.msgs.text(lang, key) }
	var x routeExtra
	// Without the list the form still takes monitor ids as text, so a failing read only costs the
	// checkboxes.
	if ms, err := s.deps.Monitors.List(ctx); err != nil {
		s.log.Error("list monitors for the route form", "err", err)
	} else {
		for _, m := range ms {
			x.Monitors = append(x.Monitors, formOption{m.ID, m.Name})
		}
	}
	for i, rt := range p.Escalation.Route.Routes {
		x.Rows = append(x.Rows, routeListRow{N: i, Match: matchText(rt.Match), Policy: rt.Policy,
			Continue: rt.Continue, Nested: len(routeRows(nil, rt, 0)) - 1, Last: i == len(p.Escalation.Route.Routes)-1})
	}
	for _, k := range plan.AlertKinds() {
		x.Kinds = append(x.Kinds, formOption{k, t("alerts.kind_" + k)})
	}
	for _, c := range plan.Categories() {
		x.Categories = append(x.Categories, formOption{c, t("category." + c)})
		x.Kinds = append(x.Kinds, formOption{"category:" + c, t("alerts.kind_category") + ": " + t("category."+c)})
	}
	return x
}

func (s *Server) planRoutesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	body := planFormBody{Form: routeForm{}}
	if e := r.URL.Query().Get("edit"); e != "" {
		if n, err := strconv.Atoi(e); err == nil && n >= 0 && n < len(p.Escalation.Route.Routes) {
			body.Form, body.Original = routeForm{p.Escalation.Route.Routes[n]}, e
		}
	}
	s.showPlanForm(w, r, v, pageRoutes, p, version, body, "", 0)
}

// routeFromForm reads the route form; nested routes are not on it.
func routeFromForm(r *http.Request) plan.Route {
	return plan.Route{Policy: r.PostFormValue("policy"), Continue: r.PostFormValue("continue") != "",
		Match: plan.Match{Severity: r.PostForm["severity"], MinSeverity: r.PostFormValue("min_severity"),
			Monitor: routeMonitors(r), Kind: r.PostForm["kind"], Category: r.PostForm["category"]}}
}

// routeMonitors are the monitors checked in the route form followed by those typed in, each once.
func routeMonitors(r *http.Request) []string {
	var ids []string
	for _, id := range append(slices.Clone(r.PostForm["monitor_id"]), splitList(r.PostFormValue("monitor"))...) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// routeAt parses the position of a route under the top; ok is false when there is no such route.
func routeAt(p *plan.Plan, s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n < len(p.Escalation.Route.Routes)
}

// planRouteSave adds a route at the end, or replaces the one at position original, keeping the routes
// nested under it.
func (s *Server) planRouteSave(w http.ResponseWriter, r *http.Request, v *visit) {
	original := r.PostFormValue("original")
	rt := routeFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageRoutes,
		form: planFormBody{Form: routeForm{rt}, Original: original},
		change: func(p *plan.Plan) (string, bool) {
			routes := &p.Escalation.Route.Routes
			if original == "" {
				*routes = append(*routes, rt)
				return yamlIndex("escalation.route.routes", len(*routes)-1), true
			}
			n, ok := routeAt(p, original)
			if !ok {
				return "", false
			}
			rt.Routes = (*routes)[n].Routes
			(*routes)[n] = rt
			return yamlIndex("escalation.route.routes", n), true
		}})
}

// planRouteDelete removes the route at position n, with the routes nested under it.
func (s *Server) planRouteDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	s.savePlanChange(w, r, v, planChange{page: pageRoutes, form: planFormBody{Form: routeForm{}},
		change: func(p *plan.Plan) (string, bool) {
			n, ok := routeAt(p, r.PathValue("n"))
			if ok {
				p.Escalation.Route.Routes = slices.Delete(p.Escalation.Route.Routes, n, n+1)
			}
			return "", ok
		}})
}

// planRouteMove moves the route at position n one place up or down, which changes which route an
// alert meets first.
func (s *Server) planRouteMove(w http.ResponseWriter, r *http.Request, v *visit) {
	dir := r.PostFormValue("dir")
	s.savePlanChange(w, r, v, planChange{page: pageRoutes, form: planFormBody{Form: routeForm{}},
		change: func(p *plan.Plan) (string, bool) {
			n, ok := routeAt(p, r.PathValue("n"))
			m := n + 1
			if dir == "up" {
				m = n - 1
			}
			routes := p.Escalation.Route.Routes
			if !ok || (dir != "up" && dir != "down") || m < 0 || m >= len(routes) {
				return "", false
			}
			routes[n], routes[m] = routes[m], routes[n]
			return "", true
		}})
}

// planRouteDefault sets the policy the top of the tree applies when no route matches.
func (s *Server) planRouteDefault(w http.ResponseWriter, r *http.Request, v *visit) {
	policy := r.PostFormValue("policy")
	s.savePlanChange(w, r, v, planChange{page: pageRoutes, form: planFormBody{Form: routeForm{}},
		change: func(p *plan.Plan) (string, bool) {
			p.Escalation.Route.Policy = policy
			return "", true
		}})
}
