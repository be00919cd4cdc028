package web

import "net/http"

// accountPage shows who is signed in and lets them change their password.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p := s.newPage(r, v, "account.title", "account", nil)
	p.Notice = doneNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "account", p)
}
