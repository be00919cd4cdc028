package incident

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"maps"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed export/*.tmpl
var exportFiles embed.FS

// The export templates are parsed once per call: exports are rare, and keeping no parsed templates
// in package state keeps the package free of mutable globals.
func parseMarkdown() (*texttemplate.Template, error) {
	return texttemplate.New("export.md.tmpl").Funcs(texttemplate.FuncMap{"md": mdEscape}).
		ParseFS(exportFiles, "export/export.md.tmpl")
}

func parseHTML() (*htmltemplate.Template, error) {
	return htmltemplate.ParseFS(exportFiles, "export/export.html.tmpl")
}

// WriteMarkdown writes the incident as a Markdown document in its own language, with times in loc.
func WriteMarkdown(w io.Writer, r Room, loc *time.Location) error {
	t, err := parseMarkdown()
	if err != nil {
		return fmt.Errorf("incident: export template: %w", err)
	}
	if err := t.Execute(w, view(r, loc)); err != nil {
		return fmt.Errorf("incident %d: export markdown: %w", r.Incident.ID, err)
	}
	return nil
}

// WriteHTML writes the incident as a standalone HTML page in its own language, with times in loc.
func WriteHTML(w io.Writer, r Room, loc *time.Location) error {
	t, err := parseHTML()
	if err != nil {
		return fmt.Errorf("incident: export template: %w", err)
	}
	if err := t.Execute(w, view(r, loc)); err != nil {
		return fmt.Errorf("incident %d: export html: %w", r.Incident.ID, err)
	}
	return nil
}

// mdReplacer escapes what Markdown would read as markup in text people typed.
var mdReplacer = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`, "\n", " ")

func mdEscape(s string) string { return mdReplacer.Replace(s) }

type exportView struct {
	Lang, Title, Severity, Meaning, Action, Status, Scenario string
	ID                                                       int64
	L                                                        map[string]string
	Detected, Declared, Acknowledged, Resolved               string
	Roles                                                    []pair
	Alerts                                                   []string
	SinceDetection, TimeToAck                                string
	Acked                                                    bool
	FirstResponseDue, FirstResponseState                     string
	Breached                                                 bool
	NextUpdate                                               string
	Advice                                                   *adviceView
	Steps                                                    []stepView
	Claims                                                   []claimView
	Timeline                                                 []entryView
}

type pair struct{ Name, Value string }

type adviceView struct {
	Type, Base, Cluster, Posture, Why             string
	Intensifiers, Tactics, Bolster, TemplateKinds []string
}

type stepView struct {
	Name  string
	Tasks []taskView
}

type taskView struct {
	Done                       bool
	Do, Owner, Due, DoneBy, At string
}

type claimView struct {
	Text, Status, Owner, Answer string
	Sources                     []string
}

type entryView struct{ At, Author, Text string }

func view(r Room, loc *time.Location) exportView {
	if loc == nil {
		loc = time.UTC
	}
	inc := r.Incident
	c := catalogFor(inc.Lang)
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(c.timeFormat)
	}
	v := exportView{Lang: c.lang, ID: inc.ID, Title: inc.Title, L: c.labels, Status: c.statuses[inc.Status],
		Severity: c.severities[Severity(inc.Severity)], Scenario: r.ScenarioName.In(c.lang),
		Detected: when(inc.DetectedAt), Declared: when(inc.DeclaredAt), Acknowledged: when(inc.AcknowledgedAt),
		Resolved: when(inc.ResolvedAt), Alerts: inc.Alerts}
	if r.HasDef {
		if name := r.Definition.Name.In(c.lang); name != "" {
			v.Severity += " (" + name + ")"
		}
		v.Meaning, v.Action = r.Definition.Meaning.In(c.lang), r.Definition.Action.In(c.lang)
	}
	for _, role := range Roles() {
		who := inc.Roles[role]
		if who == "" {
			who = c.labels["nobody"]
		}
		v.Roles = append(v.Roles, pair{c.roles[role], who})
	}
	// Roles the store holds that are not (or no longer) incident roles are still part of the record.
	for _, role := range slices.Sorted(maps.Keys(inc.Roles)) {
		if !slices.Contains(Roles(), role) {
			v.Roles = append(v.Roles, pair{role, inc.Roles[role]})
		}
	}
	cl := r.Clocks
	v.SinceDetection, v.TimeToAck, v.Acked = c.duration(cl.SinceDetection), c.duration(cl.TimeToAcknowledge), cl.Acknowledged
	v.FirstResponseDue, v.FirstResponseState, v.Breached = when(cl.FirstResponseDue), c.clockStates[cl.FirstResponse], cl.Breached
	v.NextUpdate = when(cl.NextUpdateDue)
	if a := r.Advice; a != nil {
		av := &adviceView{Type: c.crisisTypes[a.CrisisType], Base: c.clusters[a.Base.String()],
			Cluster: c.clusters[a.Cluster.String()],
			Posture: c.postures[a.Posture], Why: a.Explain(c.lang)}
		for _, in := range a.Intensifiers {
			av.Intensifiers = append(av.Intensifiers, c.intensifiers[in])
		}
		for _, t := range a.Tactics {
			av.Tactics = append(av.Tactics, c.tactics[t])
		}
		for _, t := range a.Bolster {
			av.Bolster = append(av.Bolster, c.tactics[t])
		}
		for _, k := range a.TemplateKinds {
			av.TemplateKinds = append(av.TemplateKinds, c.templateKinds[k])
		}
		v.Advice = av
	}
	for _, step := range Steps() {
		sv := stepView{Name: c.steps[step]}
		for _, t := range r.Tasks {
			if t.Step != step {
				continue
			}
			do := t.DoEN
			if c.lang == "nl" {
				do = t.DoNL
			}
			owner := c.teamRoles[t.Owner]
			if owner == "" {
				owner = t.Owner
			}
			sv.Tasks = append(sv.Tasks, taskView{Done: t.Done, Do: do, Owner: owner, Due: when(t.Due),
				DoneBy: t.DoneBy, At: when(t.DoneAt)})
		}
		if len(sv.Tasks) > 0 {
			v.Steps = append(v.Steps, sv)
		}
	}
	for _, claim := range r.Claims {
		cv := claimView{Text: claim.Text, Status: c.claimStatuses[claim.Status], Owner: claim.Owner, Answer: claim.Answer}
		for _, p := range claim.Posts {
			cv.Sources = append(cv.Sources, p.Platform+": "+p.ID)
		}
		v.Claims = append(v.Claims, cv)
	}
	for _, e := range r.Timeline {
		author := e.Author
		if author == System {
			author = c.labels["system"]
		}
		v.Timeline = append(v.Timeline, entryView{At: when(e.At), Author: author, Text: Describe(e, c.lang)})
	}
	return v
}
