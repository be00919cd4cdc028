package web

import "net/http"

// tokenCreate makes an API token and shows it in the answer itself: it is never stored in the clear,
// so it cannot be shown again after a redirect.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	name := r.PostFormValue("name")
	token, _, err := s.deps.Auth.CreateAPITokenFor(r.Context(), v.id.User.ID, name)
	if err != nil {
		key := errKey(err)
		if key == "" {
			s.log.Error("create token", "err", err)
			s.serverError(w, r, v)
			return
		}
		p, ok := s.tokensPageData(w, r, v, tokensBody{Name: name})
		if !ok {
			return
		}
		p.Error, p.Status = key, http.StatusUnprocessableEntity
		s.render(w, r, v, "tokens", p)
		return
	}
	p, ok := s.tokensPageData(w, r, v, tokensBody{NewToken: token, NewName: name})
	if !ok {
		return
	}
	p.Notice = "tokens.created_done"
	s.render(w, r, v, "tokens", p)
}
