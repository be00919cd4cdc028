package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	email, role := r.PostFormValue("email"), r.PostFormValue("role")
	_, err := s.deps.Auth.CreateUser(r.Context(), email, r.PostFormValue("password"), auth.Role(role))
	if err != nil {
		s.userChangeFailed(w, r, v, err, usersBody{Email: email, Role: role})
		return
	}
	http.Redirect(w, r, "/admin/users?done=created", http.StatusSeeOther)
}
