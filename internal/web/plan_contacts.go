package web

import (
	"net/http"
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// External contacts: the press, platform admins, partners, suppliers and authorities the team may
// need to reach, or inform, in a crisis.

func (s *Server) planContactsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	body := planFormBody{Form: plan.Contact{Kind: plan.ContactPress}}
	if id := r.URL.Query().Get("edit"); id != "" {
		if i := slices.IndexFunc(p.Contacts, func(c plan.Contact) bool { return c.ID == id }); i >= 0 {
			body.Form, body.Original = p.Contacts[i], id
		}
	}
	s.showPlanForm(w, r, v, pageContacts, p, version, body, "", 0)
}

func contactFromForm(r *http.Request) plan.Contact {
	return plan.Contact{ID: trimmed(r, "id"), Name: trimmed(r, "name"), Kind: r.PostFormValue("kind"),
		Organisation: trimmed(r, "organisation"), Email: trimmed(r, "email"), Phone: trimmed(r, "phone"),
		Notes: trimmed(r, "notes")}
}

// planContactSave adds a contact, or replaces the one named by original.
func (s *Server) planContactSave(w http.ResponseWriter, r *http.Request, v *visit) {
	original := r.PostFormValue("original")
	c := contactFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageContacts,
		form: planFormBody{Form: c, Original: original},
		change: func(p *plan.Plan) (string, bool) {
			i := slices.IndexFunc(p.Contacts, func(x plan.Contact) bool { return x.ID == original })
			if original == "" || i < 0 {
				p.Contacts = append(p.Contacts, c)
				i = len(p.Contacts) - 1
			} else {
				p.Contacts[i] = c
			}
			return yamlIndex("contacts", i), true
		}})
}

// planContactDelete removes a contact. Nothing else in the plan refers to contacts.
func (s *Server) planContactDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PathValue("id")
	s.savePlanChange(w, r, v, planChange{page: pageContacts,
		form: planFormBody{Form: plan.Contact{Kind: plan.ContactPress}},
		change: func(p *plan.Plan) (string, bool) {
			n := len(p.Contacts)
			p.Contacts = slices.DeleteFunc(p.Contacts, func(x plan.Contact) bool { return x.ID == id })
			return "", len(p.Contacts) < n
		}})
}
