package respond

import (
	_ "embed"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template kinds: the moments of a crisis that have a pre-approved statement.
const (
	KindHolding         = "holding"
	KindAcknowledgement = "acknowledgement"
	KindApology         = "apology"
	KindUpdate          = "update"
	KindCorrection      = "correction"
	KindResolution      = "resolution"
	KindComplaintReply  = "complaint_reply"
)

// Template is a pre-approved statement with {{variables}}. Form is set for Dutch statements, which come in
// a u and a jij form.
type Template struct {
	ID      string `yaml:"id" json:"id"`
	Kind    string `yaml:"kind" json:"kind"`
	Lang    Lang   `yaml:"lang" json:"lang"`
	Form    Form   `yaml:"form,omitempty" json:"form,omitempty"`
	Version int    `yaml:"version" json:"version"`
	Text    string `yaml:"text" json:"text"`
	// Status is TemplateDraft or TemplateApproved; empty reads as a draft. An approved template names
	// who approved this version and when (RFC 3339), so an exported plan shows it.
	Status     string `yaml:"status,omitempty" json:"status,omitempty"`
	ApprovedBy string `yaml:"approved_by,omitempty" json:"approved_by,omitempty"`
	ApprovedAt string `yaml:"approved_at,omitempty" json:"approved_at,omitempty"`
}

// Template statuses. Only an approved template is offered by default when drafting a statement.
const (
	TemplateDraft    = "draft"
	TemplateApproved = "approved"
)

// Approved reports whether this version of the template was approved.
func (t Template) Approved() bool { return t.Status == TemplateApproved }

//go:embed templates.yaml
var seededYAML []byte

// SeededTemplates returns the templates crisisdesk ships with.
func SeededTemplates() ([]Template, error) {
	return ParseTemplates(seededYAML)
}

// ParseTemplates reads templates from YAML ({"templates": [...]}) and checks each one.
func ParseTemplates(b []byte) ([]Template, error) {
	var doc struct {
		Templates []Template `yaml:"templates"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("respond: templates: %w", err)
	}
	seen := make(map[string]bool)
	for k, t := range doc.Templates {
		switch {
		case t.ID == "":
			return nil, fmt.Errorf("respond: template %d has no id", k+1)
		case seen[t.ID]:
			return nil, fmt.Errorf("respond: template %q appears twice", t.ID)
		case strings.TrimSpace(t.Text) == "":
			return nil, fmt.Errorf("respond: template %q has no text", t.ID)
		}
		if _, err := ParseLang(string(t.Lang)); err != nil {
			return nil, fmt.Errorf("template %q: %w", t.ID, err)
		}
		if _, err := ParseForm(string(t.Form)); err != nil {
			return nil, fmt.Errorf("template %q: %w", t.ID, err)
		}
		if _, ws := Render(t.Text, nil, t.Lang); hasMalformed(ws) {
			return nil, fmt.Errorf("respond: template %q: %s", t.ID, firstMalformed(ws))
		}
		seen[t.ID] = true
	}
	return doc.Templates, nil
}

func hasMalformed(ws []RenderWarning) bool { return firstMalformed(ws) != "" }

func firstMalformed(ws []RenderWarning) string {
	for _, w := range ws {
		if w.Malformed {
			return w.Message
		}
	}
	return ""
}

// Variables returns the names of the template's variables in order of first use.
func (t Template) Variables() []string {
	var names []string
	scanPlaceholders(t.Text, func(_, _ int, name string, ok bool) {
		if ok && !contains(names, name) {
			names = append(names, name)
		}
	})
	return names
}

// RenderWarning is a placeholder that Render left in the text. Start and End are its byte span in the
// rendered text, so an editor can point at it.
type RenderWarning struct {
	Variable  string `json:"variable,omitempty"`
	Malformed bool   `json:"malformed,omitempty"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Message   string `json:"message"`
}

// Render replaces each {{name}} in tmpl with vars[name]. Unlike text/template it never drops a
// placeholder silently: a variable without a (non-blank) value stays in the text as {{name}} with a
// warning, and so does anything that looks like a placeholder but is not one, so that a statement is never
// published with a hole in it. Values are inserted as they are and not scanned again. Names are letters,
// digits and _, and may have spaces inside the braces ({{ issue }}).
func Render(tmpl string, vars map[string]string, lang Lang) (string, []RenderWarning) {
	msgs := messagesFor(lang)
	var b strings.Builder
	b.Grow(len(tmpl))
	var ws []RenderWarning
	last := 0
	scanPlaceholders(tmpl, func(start, end int, name string, ok bool) {
		b.WriteString(tmpl[last:start])
		last = end
		if ok {
			if v, has := vars[name]; has && strings.TrimSpace(v) != "" {
				b.WriteString(v)
				return
			}
			at := b.Len()
			b.WriteString(tmpl[start:end])
			ws = append(ws, RenderWarning{Variable: name, Start: at, End: b.Len(), Message: fmt.Sprintf(msgs.render["unfilled"], name)})
			return
		}
		at := b.Len()
		b.WriteString(tmpl[start:end])
		ws = append(ws, RenderWarning{Malformed: true, Start: at, End: b.Len(), Message: fmt.Sprintf(msgs.render["malformed"], tmpl[start:end])})
	})
	b.WriteString(tmpl[last:])
	return b.String(), ws
}

// scanPlaceholders calls fn for each {{…}} in s, in order, with its span, its trimmed name and whether
// the name is valid. An opening {{ without a closing }} is reported as a malformed span of just "{{".
func scanPlaceholders(s string, fn func(start, end int, name string, ok bool)) {
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "{{")
		if k < 0 {
			return
		}
		start := i + k
		// A run of more than two braces: the placeholder starts at the last pair.
		for start+2 < len(s) && s[start+2] == '{' {
			start++
		}
		rest := s[start+2:]
		e := strings.Index(rest, "}}")
		if nl := strings.IndexByte(rest, '\n'); e < 0 || (nl >= 0 && nl < e) || strings.Contains(rest[:max(e, 0)], "{{") {
			fn(start, start+2, "", false)
			i = start + 2
			continue
		}
		end := start + 2 + e + 2
		name := strings.TrimSpace(rest[:e])
		fn(start, end, name, validName(name))
		i = end
	}
}

func validName(n string) bool {
	if n == "" {
		return false
	}
	for k := 0; k < len(n); k++ {
		c := n[k]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || k > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
