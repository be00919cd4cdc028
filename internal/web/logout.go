package web

import "net/http"

func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.deps.Auth.Logout(r.Context(), v.session); err != nil {
		// The cookie is cleared anyway; the session row ends at its expiry.
		s.log.Error("logout", "err", err)
	}
	s.clearCookie(w, v, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
