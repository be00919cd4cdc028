package plan

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// DefaultTimeZone is the zone of schedules that name none, and of an organisation that names none.
const DefaultTimeZone = "Europe/Amsterdam"

// LocalTimeLayout is how schedule times are written: local wall-clock time in the schedule's zone.
const LocalTimeLayout = "2006-01-02 15:04"

// Languages a plan speaks, and forms of address.
var (
	planLangs = []string{"nl", "en"}
	forms     = []string{"u", "jij"}
)

// Categories are the crisis categories the analysis assigns, which routes and kinds may name.
func Categories() []string {
	return []string{"data_breach", "product_safety", "service_outage", "employee_conduct", "discrimination",
		"fraud_scam", "legal_regulatory", "boycott"}
}

// AlertKinds are the alert kinds other than category:<name>.
func AlertKinds() []string {
	return []string{"volume_spike", "negative_spike", "viral_post", "influential_author", "coordinated_campaign"}
}

func templateKinds() []string {
	return []string{respond.KindHolding, respond.KindAcknowledgement, respond.KindApology, respond.KindUpdate,
		respond.KindCorrection, respond.KindResolution, respond.KindComplaintReply}
}

// Validate checks a plan built in Go, such as one the UI assembled. Its errors have paths but no lines.
func (p *Plan) Validate() Errors {
	l := &errorList{}
	p.validate(l)
	return l.errs
}

var (
	envName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	langCode = regexp.MustCompile(`^[a-z]{2}$`)
)

// validate checks everything the types cannot say: required fields, fixed sets, references between
// parts of the plan, duplicate ids and time formats. It collects every problem.
func (p *Plan) validate(l *errorList) {
	v := validator{l: l}
	o := p.Organisation
	v.required("organisation.name", o.Name)
	v.oneOf("organisation.lang", o.Lang, planLangs, true)
	v.oneOf("organisation.form", o.Form, forms, true)
	orgZone := v.zone("organisation.time_zone", o.TimeZone)

	people := v.ids("people", len(p.People), func(i int) string { return p.People[i].ID })
	if len(p.People) == 0 {
		v.required("people", "")
	}
	for i, per := range p.People {
		path := index("people", i)
		v.required(field(path, "name"), per.Name)
		if len(per.Roles) == 0 {
			v.required(field(path, "roles"), "")
		}
		for j, r := range per.Roles {
			v.oneOf(index(field(path, "roles"), j), r, Roles(), true)
		}
		for j, lang := range per.Languages {
			if !langCode.MatchString(lang) {
				v.oneOf(index(field(path, "languages"), j), lang, planLangs, true)
			}
		}
		v.email(field(path, "email"), per.Email)
	}

	v.ids("contacts", len(p.Contacts), func(i int) string { return p.Contacts[i].ID })
	for i, c := range p.Contacts {
		path := index("contacts", i)
		v.required(field(path, "name"), c.Name)
		v.oneOf(field(path, "kind"), c.Kind, ContactKinds(), true)
		v.email(field(path, "email"), c.Email)
	}

	schedules := v.ids("schedules", len(p.Schedules), func(i int) string { return p.Schedules[i].ID })
	for i, s := range p.Schedules {
		v.schedule(index("schedules", i), s, people, orgZone)
	}

	channels := v.ids("channels", len(p.Channels), func(i int) string { return p.Channels[i].ID })
	channels[ChannelInApp] = true
	for i, c := range p.Channels {
		v.channel(index("channels", i), c)
	}

	policies := v.ids("escalation.policies", len(p.Escalation.Policies), func(i int) string { return p.Escalation.Policies[i].ID })
	if len(p.Escalation.Policies) == 0 {
		v.required("escalation.policies", "")
	}
	for i, pol := range p.Escalation.Policies {
		path := index("escalation.policies", i)
		v.required(field(path, "name"), pol.Name)
		if pol.Repeat < 0 {
			v.l.add(field(path, "repeat"), func(c *catalog) string { return c.notNegative })
		}
		if len(pol.Steps) == 0 {
			v.required(field(path, "steps"), "")
		}
		for j, st := range pol.Steps {
			sp := index(field(path, "steps"), j)
			if len(st.People) == 0 && len(st.Schedules) == 0 {
				v.l.add(sp, func(c *catalog) string { return c.noTarget })
			}
			for k, id := range st.People {
				v.ref(index(field(sp, "people"), k), refPerson, id, people)
			}
			for k, id := range st.Schedules {
				v.ref(index(field(sp, "schedules"), k), refSchedule, id, schedules)
			}
			if len(st.Channels) == 0 {
				v.required(field(sp, "channels"), "")
			}
			for k, id := range st.Channels {
				v.ref(index(field(sp, "channels"), k), refChannel, id, channels)
			}
			v.reachable(sp, st, p)
			if st.Wait <= 0 {
				v.l.add(field(sp, "wait"), func(c *catalog) string { return c.positive })
			}
		}
	}
	if p.Escalation.Route.Policy == "" {
		v.required("escalation.route.policy", "")
	}
	if !p.Escalation.Route.Match.IsZero() || p.Escalation.Route.Continue {
		v.l.add("escalation.route", func(c *catalog) string { return c.rootMatch })
	}
	v.route("escalation.route", p.Escalation.Route, policies)

	seen := map[string]bool{}
	for i, lv := range p.Protocol.Levels {
		path := index("protocol.levels", i)
		if v.oneOf(field(path, "severity"), lv.Severity, Severities(), true) {
			if seen[lv.Severity] {
				first := ""
				for j := range i {
					if p.Protocol.Levels[j].Severity == lv.Severity {
						first = index("protocol.levels", j)
						break
					}
				}
				v.l.addf(field(path, "severity"), func(c *catalog) string { return c.duplicate }, lv.Severity, first)
			}
			seen[lv.Severity] = true
		}
		v.text(field(path, "name"), lv.Name)
		v.text(field(path, "meaning"), lv.Meaning)
		v.text(field(path, "action"), lv.Action)
		if lv.RespondWithin < 0 {
			v.l.add(field(path, "respond_within"), func(c *catalog) string { return c.notNegative })
		}
	}
	for _, s := range Severities() {
		if !seen[s] {
			v.l.addf("protocol.levels", func(c *catalog) string { return c.missingLevel }, s)
		}
	}

	v.text("conduct.tone", p.Conduct.Tone)
	v.oneOf("conduct.form", p.Conduct.Form, forms, false)
	v.terms("conduct.forbidden", p.Conduct.Forbidden)
	v.terms("conduct.jargon", p.Conduct.Jargon)
	v.terms("conduct.preferred", p.Conduct.Preferred)

	v.text("moderation.principle", p.Moderation.Principle)
	if len(p.Moderation.Harms) == 0 {
		v.required("moderation.harms", "")
	}
	v.ids("moderation.harms", len(p.Moderation.Harms), func(i int) string { return p.Moderation.Harms[i].ID })
	for i, h := range p.Moderation.Harms {
		path := index("moderation.harms", i)
		v.text(field(path, "name"), h.Name)
		v.text(field(path, "description"), h.Description)
		if strings.HasPrefix(strings.ToLower(h.Action), "delete") || strings.HasPrefix(strings.ToLower(h.Action), "remove") {
			v.l.add(field(path, "action"), func(c *catalog) string { return c.deleteAction })
		} else {
			v.oneOf(field(path, "action"), h.Action, []string{ActionHide, ActionHideAndReport}, true)
		}
	}

	templates := v.ids("templates", len(p.Templates), func(i int) string { return p.Templates[i].ID })
	for i, t := range p.Templates {
		path := index("templates", i)
		v.oneOf(field(path, "kind"), t.Kind, templateKinds(), true)
		v.templateStatus(path, t)
		v.oneOf(field(path, "lang"), string(t.Lang), planLangs, true)
		v.oneOf(field(path, "form"), string(t.Form), forms, false)
		if t.Version < 0 {
			v.l.add(field(path, "version"), func(c *catalog) string { return c.notNegative })
		}
		if strings.TrimSpace(t.Text) == "" {
			v.required(field(path, "text"), "")
			continue
		}
		if _, ws := respond.Render(t.Text, nil, respond.LangEN); hasMalformed(ws) {
			text := t.Text
			v.l.add(field(path, "text"), func(c *catalog) string {
				_, ws := respond.Render(text, nil, respond.Lang(c.lang))
				for _, w := range ws {
					if w.Malformed {
						return fmt.Sprintf(c.badPlaceholder, w.Message)
					}
				}
				return ""
			})
		}
	}

	v.ids("scenarios", len(p.Scenarios), func(i int) string { return p.Scenarios[i].ID })
	for i, s := range p.Scenarios {
		path := index("scenarios", i)
		v.text(field(path, "name"), s.Name)
		v.oneOf(field(path, "severity"), s.Severity, Severities(), false)
		for j, id := range s.Templates {
			v.ref(index(field(path, "templates"), j), refTemplate, id, templates)
		}
		if len(s.Playbook) == 0 {
			v.required(field(path, "playbook"), "")
		}
		for j, t := range s.Playbook {
			tp := index(field(path, "playbook"), j)
			v.oneOf(field(tp, "step"), t.Step, LifecycleSteps(), true)
			v.text(field(tp, "do"), t.Do)
			v.oneOf(field(tp, "owner"), t.Owner, Roles(), true)
			if t.Due < 0 {
				v.l.add(field(tp, "due"), func(c *catalog) string { return c.notNegative })
			}
		}
	}
	v.sources(p.Sources)
}

func hasMalformed(ws []respond.RenderWarning) bool {
	for _, w := range ws {
		if w.Malformed {
			return true
		}
	}
	return false
}

// validator holds the checks the plan's parts share.
type validator struct {
	l *errorList
}

func (v validator) required(path, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.l.add(path, func(c *catalog) string { return c.required })
		return false
	}
	return true
}

// oneOf checks that s is in allowed. An empty s is an error when required, and fine otherwise. It
// reports whether s is one of allowed.
func (v validator) oneOf(path, s string, allowed []string, required bool) bool {
	if s == "" {
		if required {
			v.required(path, s)
		}
		return false
	}
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	list := strings.Join(allowed, ", ")
	v.l.addf(path, func(c *catalog) string { return c.oneOf }, s, list)
	return false
}

// text checks that both languages are written.
func (v validator) text(path string, t Text) {
	v.required(field(path, "nl"), t.NL)
	v.required(field(path, "en"), t.EN)
}

func (v validator) email(path, s string) {
	if s == "" {
		return
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		v.l.addf(path, func(c *catalog) string { return c.badEmail }, s)
	}
}

func (v validator) zone(path, name string) *time.Location {
	if name == "" {
		loc, err := time.LoadLocation(DefaultTimeZone)
		if err != nil {
			return time.UTC
		}
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		v.l.addf(path, func(c *catalog) string { return c.badZone }, name)
		return nil
	}
	return loc
}

// ids checks that the n items under path have an id and that no two share one. It returns the set of
// ids for reference checks.
func (v validator) ids(path string, n int, id func(i int) string) map[string]bool {
	first := make(map[string]int, n)
	set := make(map[string]bool, n)
	for i := range n {
		p := field(index(path, i), "id")
		s := id(i)
		if !v.required(p, s) {
			continue
		}
		if j, dup := first[s]; dup {
			v.l.addf(p, func(c *catalog) string { return c.duplicate }, s, index(path, j))
			continue
		}
		first[s] = i
		set[s] = true
	}
	return set
}

func (v validator) ref(path, kind, id string, known map[string]bool) {
	if !v.required(path, id) || known[id] {
		return
	}
	v.l.add(path, func(c *catalog) string { return fmt.Sprintf(c.unknownRef, c.refKinds[kind], id) })
}

func (v validator) localTime(path, s string, loc *time.Location) (time.Time, bool) {
	if !v.required(path, s) {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC // the zone error is already reported; still check the format
	}
	t, err := time.ParseInLocation(LocalTimeLayout, s, loc)
	if err != nil {
		v.l.addf(path, func(c *catalog) string { return c.badTime }, s)
		return time.Time{}, false
	}
	return t, true
}

func (v validator) schedule(path string, s Schedule, people map[string]bool, orgZone *time.Location) {
	v.required(field(path, "name"), s.Name)
	loc := orgZone
	if s.TimeZone != "" {
		loc = v.zone(field(path, "time_zone"), s.TimeZone)
	}
	if len(s.Rotations) == 0 {
		v.required(field(path, "rotations"), "")
	}
	for i, r := range s.Rotations {
		rp := index(field(path, "rotations"), i)
		if len(r.People) == 0 {
			v.required(field(rp, "people"), "")
		}
		for j, id := range r.People {
			v.ref(index(field(rp, "people"), j), refPerson, id, people)
		}
		v.localTime(field(rp, "start"), r.Start, loc)
		if r.ShiftDays < 0 {
			v.l.add(field(rp, "shift_days"), func(c *catalog) string { return c.notNegative })
		}
	}
	for i, o := range s.Overrides {
		op := index(field(path, "overrides"), i)
		v.ref(field(op, "person"), refPerson, o.Person, people)
		start, ok1 := v.localTime(field(op, "start"), o.Start, loc)
		end, ok2 := v.localTime(field(op, "end"), o.End, loc)
		if ok1 && ok2 && !end.After(start) {
			v.l.add(field(op, "end"), func(c *catalog) string { return c.endBeforeStart })
		}
	}
}

func (v validator) channel(path string, ch Channel) {
	if ch.ID == ChannelInApp {
		v.l.addf(field(path, "id"), func(c *catalog) string { return c.duplicate }, ch.ID, "inapp")
	}
	if !v.oneOf(field(path, "type"), ch.Type, ChannelTypes(), true) {
		return
	}
	switch ch.Type {
	case ChannelEmail:
		v.required(field(path, "host"), ch.Host)
		if ch.Port <= 0 || ch.Port > 65535 {
			v.l.add(field(path, "port"), func(c *catalog) string { return c.positive })
		}
		v.email(field(path, "from"), ch.From)
		v.required(field(path, "from"), ch.From)
	case ChannelSlack, ChannelTeams, ChannelWebhook:
		if ch.URL.Ref == "" {
			v.required(field(path, "url.secret"), "")
		}
	}
	v.secret(field(path, "password"), ch.Password)
	v.secret(field(path, "url"), ch.URL)
	v.secret(field(path, "signing_key"), ch.SigningKey)
}

func (v validator) secret(path string, s Secret) {
	if s.Ref == "" {
		return
	}
	kind, rest, _ := strings.Cut(s.Ref, ":")
	switch {
	case kind == "env" && envName.MatchString(rest):
	case kind == "file" && strings.TrimSpace(rest) != "":
	default:
		v.l.addf(field(path, "secret"), func(c *catalog) string { return c.secretRef }, s.Ref)
	}
}

func (v validator) route(path string, r Route, policies map[string]bool) {
	if r.Policy != "" {
		v.ref(field(path, "policy"), refPolicy, r.Policy, policies)
	}
	m := r.Match
	for i, s := range m.Severity {
		v.oneOf(index(field(path, "match.severity"), i), s, Severities(), true)
	}
	v.oneOf(field(path, "match.min_severity"), m.MinSeverity, Severities(), false)
	for i, k := range m.Kind {
		kp := index(field(path, "match.kind"), i)
		if cat, ok := strings.CutPrefix(k, "category:"); ok {
			v.oneOf(kp, cat, Categories(), true)
		} else {
			v.oneOf(kp, k, AlertKinds(), true)
		}
	}
	for i, cat := range m.Category {
		v.oneOf(index(field(path, "match.category"), i), cat, Categories(), true)
	}
	for i, m := range m.Monitor {
		v.required(index(field(path, "match.monitor"), i), m)
	}
	for i, child := range r.Routes {
		v.route(index(field(path, "routes"), i), child, policies)
	}
}

func (v validator) terms(path string, terms []Term) {
	for i, t := range terms {
		tp := index(path, i)
		v.oneOf(field(tp, "lang"), t.Lang, planLangs, true)
		v.required(field(tp, "word"), t.Word)
	}
}

// reachable checks that a step sending e-mail can reach everyone it names: each person of the step, and
// each person its schedules can put on duty, needs an address.
func (v validator) reachable(path string, st Step, p *Plan) {
	email := slices.ContainsFunc(st.Channels, func(id string) bool {
		return slices.ContainsFunc(p.Channels, func(c Channel) bool { return c.ID == id && c.Type == ChannelEmail })
	})
	if !email {
		return
	}
	noAddress := func(id string) bool {
		i := slices.IndexFunc(p.People, func(per Person) bool { return per.ID == id })
		return i >= 0 && p.People[i].Email == ""
	}
	for k, id := range st.People {
		if noAddress(id) {
			v.l.addf(index(field(path, "people"), k), func(c *catalog) string { return c.noEmail }, id)
		}
	}
	for k, sid := range st.Schedules {
		i := slices.IndexFunc(p.Schedules, func(s Schedule) bool { return s.ID == sid })
		if i < 0 {
			continue
		}
		var missing []string
		s := p.Schedules[i]
		for _, r := range s.Rotations {
			for _, id := range r.People {
				if noAddress(id) && !slices.Contains(missing, id) {
					missing = append(missing, id)
				}
			}
		}
		for _, o := range s.Overrides {
			if noAddress(o.Person) && !slices.Contains(missing, o.Person) {
				missing = append(missing, o.Person)
			}
		}
		for _, id := range missing {
			v.l.addf(index(field(path, "schedules"), k), func(c *catalog) string { return c.noEmail }, id)
		}
	}
}
