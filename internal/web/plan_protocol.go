package web

import (
	"net/http"
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// The protocol says, in the words the team agreed on, what each severity means, what it asks of them
// and how soon the first public response is due. Every place that lets someone choose a severity
// shows these words.

// protocolForm is one row per severity, lowest first, whether or not the plan defines it yet.
type protocolForm struct {
	Levels []plan.Level
}

func newProtocolForm(p plan.Protocol) protocolForm {
	var f protocolForm
	for _, sev := range plan.Severities() {
		l, ok := p.Level(sev)
		if !ok {
			l = plan.Level{Severity: sev}
		}
		f.Levels = append(f.Levels, l)
	}
	return f
}

func (s *Server) planProtocolPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	s.showPlanForm(w, r, v, pageProtocol, p, version, planFormBody{Form: newProtocolForm(p.Protocol)}, "", 0)
}

// protocolFromForm reads one definition per severity; its fields are named after the severity.
func protocolFromForm(r *http.Request) plan.Protocol {
	var pr plan.Protocol
	for _, sev := range plan.Severities() {
		text := func(name string) plan.Text {
			return plan.Text{NL: trimmed(r, sev+"_"+name+"_nl"), EN: trimmed(r, sev+"_"+name+"_en")}
		}
		pr.Levels = append(pr.Levels, plan.Level{Severity: sev, Name: text("name"), Meaning: text("meaning"),
			Action: text("action"), RespondWithin: formInt(r, sev+"_respond", 0)})
	}
	return pr
}

// planProtocolSave replaces the protocol's definitions. Severities are fixed, so the form has all four.
func (s *Server) planProtocolSave(w http.ResponseWriter, r *http.Request, v *visit) {
	pr := protocolFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageProtocol, form: planFormBody{Form: protocolForm{pr.Levels}},
		change: func(p *plan.Plan) (string, bool) {
			p.Protocol.Levels = slices.Clone(pr.Levels)
			return "protocol", true
		}})
}
