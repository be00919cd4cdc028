package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// userSetPassword lets an admin give someone who forgot their password a new one.
func (s *Server) userSetPassword(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := s.userID(w, r, v)
	if !ok {
		return
	}
	if err := s.deps.Auth.SetPassword(r.Context(), id, r.PostFormValue("password")); err != nil {
		s.userChangeFailed(w, r, v, err, usersBody{Role: string(auth.Viewer)})
		return
	}
	http.Redirect(w, r, "/admin/users?done=password", http.StatusSeeOther)
}
