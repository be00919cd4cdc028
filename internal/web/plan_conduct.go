package web

import (
	"fmt"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// Conduct rules: how the organisation speaks. Its tone in both languages, u or jij in Dutch, and three
// word lists that the statement linter uses: words to avoid, jargon to replace and words to use.

// conductLists are the conduct's word lists, in the order the page shows them, by their YAML names.
var conductLists = []string{"forbidden", "jargon", "preferred"}

// conductForm is the conduct as the form shows it: each word list followed by an empty row.
type conductForm struct {
	plan.Conduct
}

// termRow is one row of a word list, with its position for field names and problems.
type termRow struct {
	plan.Term
	N int
}

// Rows returns the terms of list followed by an empty one.
func (f conductForm) Rows(list string) []termRow {
	terms := f.list(list)
	rows := make([]termRow, 0, len(terms)+1)
	for i, t := range terms {
		rows = append(rows, termRow{t, i})
	}
	return append(rows, termRow{plan.Term{Lang: "nl"}, len(terms)})
}

func (f conductForm) list(name string) []plan.Term {
	switch name {
	case "forbidden":
		return f.Forbidden
	case "jargon":
		return f.Jargon
	default:
		return f.Preferred
	}
}

func (s *Server) planConductPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	s.showPlanForm(w, r, v, pageConduct, p, version, planFormBody{Form: conductForm{p.Conduct}}, "", 0)
}

// conductFromForm reads the conduct form. A word-list row without a word is skipped, and one marked
// for removal is dropped.
func conductFromForm(r *http.Request) plan.Conduct {
	c := plan.Conduct{Tone: plan.Text{NL: trimmed(r, "tone_nl"), EN: trimmed(r, "tone_en")}, Form: r.PostFormValue("form")}
	for _, list := range conductLists {
		var terms []plan.Term
		for i := range formRows(r, list) {
			f := func(name string) string { return trimmed(r, fmt.Sprintf("%s%d_%s", list, i, name)) }
			t := plan.Term{Lang: f("lang"), Word: f("word"), Instead: f("instead"), Why: f("why")}
			if f("remove") != "" || t.Word == "" && t.Instead == "" && t.Why == "" {
				continue
			}
			terms = append(terms, t)
		}
		switch list {
		case "forbidden":
			c.Forbidden = terms
		case "jargon":
			c.Jargon = terms
		case "preferred":
			c.Preferred = terms
		}
	}
	return c
}

// planConductSave replaces the conduct rules.
func (s *Server) planConductSave(w http.ResponseWriter, r *http.Request, v *visit) {
	c := conductFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageConduct, form: planFormBody{Form: conductForm{c}},
		change: func(p *plan.Plan) (string, bool) {
			p.Conduct = c
			return "conduct", true
		}})
}
