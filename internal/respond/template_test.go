package respond

import (
	"strings"
	"testing"
)

var sampleValues = map[Lang]map[string]string{
	LangNL: {
		"organisation": "Voorbeeldbank", "issue": "een storing in de app", "next_update": "15.00 uur",
		"info_url": "https://voorbeeldbank.nl/status", "impact": "u kon sinds 09.15 uur niet betalen",
		"action": "de fout hersteld en de betalingen van vanochtend alsnog verwerkt", "status": "de app werkt weer voor 80% van de klanten",
		"wrong": "alle klanten waren getroffen", "correct": "het ging om 1.200 klanten in Utrecht", "contact": "0800-0123",
		"name": "Sanne", "complaint": "uw betaling niet is gelukt", "details": "uw klantnummer",
	},
	LangEN: {
		"organisation": "Example Bank", "issue": "an outage of our app", "next_update": "15:00",
		"info_url": "https://examplebank.com/status", "impact": "you could not pay since 09:15",
		"action": "fixed the fault and processed this morning's payments", "status": "the app works again for 80% of customers",
		"wrong": "all customers were affected", "correct": "1,200 customers in Leeds were affected", "contact": "0800-0123",
		"name": "Sam", "complaint": "your payment did not go through", "details": "your customer number",
	},
}

// jijValues turns the Dutch sample values into the jij form, so a jij template is not marked down for
// a value written in the u form.
func jijValues(v map[string]string) map[string]string {
	out := make(map[string]string, len(v))
	for k, s := range v {
		out[k] = strings.NewReplacer("uw ", "je ", "u kon", "je kon").Replace(s)
	}
	return out
}

func TestSeededTemplatesPassTheLinter(t *testing.T) {
	ts, err := SeededTemplates()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]map[string]bool{}
	for _, tp := range ts {
		key := string(tp.Lang) + "/" + string(tp.Form)
		if kinds[key] == nil {
			kinds[key] = map[string]bool{}
		}
		kinds[key][tp.Kind] = true
	}
	for _, key := range []string{"nl/u", "nl/jij", "en/"} {
		for _, k := range []string{KindHolding, KindAcknowledgement, KindApology, KindUpdate, KindCorrection, KindResolution, KindComplaintReply} {
			if !kinds[key][k] {
				t.Errorf("no %s template for %s", k, key)
			}
		}
	}
	l, err := NewLinter(Rules{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range ts {
		t.Run(tp.ID, func(t *testing.T) {
			vals := sampleValues[tp.Lang]
			if tp.Form == FormJij {
				vals = jijValues(vals)
			}
			text, ws := Render(tp.Text, vals, tp.Lang)
			if len(ws) > 0 {
				t.Fatalf("warnings rendering with sample values: %+v", ws)
			}
			variants := Compose(text, Platforms(), nil)
			for _, v := range variants {
				res := l.LintVariant(v, Options{Lang: tp.Lang, Form: tp.Form, Preventable: tp.Kind == KindApology})
				for _, f := range res.Findings {
					if f.Severity == SeverityError {
						t.Errorf("%s: %s [%d,%d) %q: %s", v.Platform, f.Rule, f.Start, f.End, v.Text[f.Start:f.End], f.Message)
					}
				}
				if !res.OK {
					t.Errorf("%s: not OK", v.Platform)
				}
			}
			if inc := Consistency(text, variants, tp.Lang); len(inc) > 0 {
				t.Errorf("variants of one text disagree: %+v", inc)
			}
		})
	}
}

func TestRender(t *testing.T) {
	vars := map[string]string{"issue": "een storing", "url": "https://e.nl", "blank": "  ", "inject": "{{url}}"}
	tests := []struct {
		name     string
		tmpl     string
		want     string
		warnings []string // the text each warning points at
	}{
		{"plain", "geen variabelen", "geen variabelen", nil},
		{"filled", "Er is {{issue}}; zie {{ url }}.", "Er is een storing; zie https://e.nl.", nil},
		{"unfilled stays visible", "Update om {{next_update}}.", "Update om {{next_update}}.", []string{"{{next_update}}"}},
		{"blank value is unfilled", "x {{blank}} y", "x {{blank}} y", []string{"{{blank}}"}},
		{"value is not rescanned", "{{inject}}", "{{url}}", nil},
		{"unclosed", "a {{issue b", "a {{issue b", []string{"{{"}},
		{"bad name", "a {{two words}} b", "a {{two words}} b", []string{"{{two words}}"}},
		{"empty name", "{{}}", "{{}}", []string{"{{}}"}},
		{"triple braces", "{{{issue}}}", "{een storing}", nil},
		{"newline inside", "{{iss\nue}}", "{{iss\nue}}", []string{"{{"}},
		{"two", "{{issue}} en {{missing}} en {{issue}}", "een storing en {{missing}} en een storing", []string{"{{missing}}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ws := Render(tt.tmpl, vars, LangNL)
			if got != tt.want {
				t.Errorf("Render(%q) = %q, want %q", tt.tmpl, got, tt.want)
			}
			if len(ws) != len(tt.warnings) {
				t.Fatalf("warnings %+v, want %d", ws, len(tt.warnings))
			}
			for k, w := range ws {
				if got[w.Start:w.End] != tt.warnings[k] {
					t.Errorf("warning %d points at %q, want %q", k, got[w.Start:w.End], tt.warnings[k])
				}
				if w.Message == "" {
					t.Errorf("warning %d has no message", k)
				}
			}
		})
	}
}

func TestParseTemplatesRejects(t *testing.T) {
	tests := []struct{ name, yaml string }{
		{"no id", "templates: [{kind: holding, lang: nl, text: x}]"},
		{"duplicate", "templates: [{id: a, lang: nl, text: x}, {id: a, lang: nl, text: y}]"},
		{"no text", "templates: [{id: a, lang: nl, text: ' '}]"},
		{"bad lang", "templates: [{id: a, lang: de, text: x}]"},
		{"bad form", "templates: [{id: a, lang: nl, form: gij, text: x}]"},
		{"malformed placeholder", "templates: [{id: a, lang: nl, text: 'x {{a b}}'}]"},
		{"not yaml", "templates: [{"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseTemplates([]byte(tt.yaml)); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestTemplateVariables(t *testing.T) {
	tp := Template{Text: "{{issue}} om {{ next_update }} en {{issue}} {{bad name}}"}
	if got := strings.Join(tp.Variables(), ","); got != "issue,next_update" {
		t.Errorf("Variables() = %s", got)
	}
}
