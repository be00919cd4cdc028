package plan

import "slices"

// Alert is what routing looks at: the attributes of an alert that the routing tree can match.
type Alert struct {
	Severity string
	Monitor  string
	// Kind is volume_spike, negative_spike, viral_post, influential_author, coordinated_campaign or
	// category:<name>.
	Kind string
	// Categories are the crisis categories of the alert's posts.
	Categories []string
}

// Route returns the escalation policies for a, in the order the routing tree finds them, each once.
// The tree works as Alertmanager's does: the root takes every alert; an alert goes down the first child
// that matches it, and on to later siblings as well when that child has continue; when no child of a
// node matches, the node's own policy (or the one it inherits) applies. So Route always returns at least
// the root's policy for a valid plan.
func (p *Plan) Route(a Alert) []Policy {
	ids := routeIDs(p.Escalation.Route, "", a)
	var out []Policy
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			continue
		}
		for _, pol := range p.Escalation.Policies {
			if pol.ID == id {
				out = append(out, pol)
				break
			}
		}
	}
	return out
}

// routeIDs walks r, which already matched a, and returns the policy ids that apply.
func routeIDs(r Route, inherited string, a Alert) []string {
	policy := r.Policy
	if policy == "" {
		policy = inherited
	}
	var out []string
	for _, c := range r.Routes {
		if !c.Match.Matches(a) {
			continue
		}
		out = append(out, routeIDs(c, policy, a)...)
		if !c.Continue {
			break
		}
	}
	if len(out) == 0 && policy != "" {
		out = append(out, policy)
	}
	return out
}

// Matches reports whether a has every attribute m asks for. An empty Match matches every alert.
func (m Match) Matches(a Alert) bool {
	if len(m.Severity) > 0 && !slices.Contains(m.Severity, a.Severity) {
		return false
	}
	if m.MinSeverity != "" {
		r := severityRank(a.Severity)
		if r < 0 || r < severityRank(m.MinSeverity) {
			return false
		}
	}
	if len(m.Monitor) > 0 && !slices.Contains(m.Monitor, a.Monitor) {
		return false
	}
	if len(m.Kind) > 0 && !slices.Contains(m.Kind, a.Kind) {
		return false
	}
	if len(m.Category) > 0 && !slices.ContainsFunc(m.Category, func(c string) bool {
		return a.Kind == "category:"+c || slices.Contains(a.Categories, c)
	}) {
		return false
	}
	return true
}
