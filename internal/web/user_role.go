package web

import (
	"net/http"
	"strconv"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

func (s *Server) userSetRole(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := s.userID(w, r, v)
	if !ok {
		return
	}
	if err := s.deps.Auth.SetRole(r.Context(), id, auth.Role(r.PostFormValue("role"))); err != nil {
		s.userChangeFailed(w, r, v, err, usersBody{Role: string(auth.Viewer)})
		return
	}
	http.Redirect(w, r, "/admin/users?done=role", http.StatusSeeOther)
}

// userID reads the {id} of a user route. When it returns false it has already answered 404.
func (s *Server) userID(w http.ResponseWriter, r *http.Request, v *visit) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return 0, false
	}
	return id, true
}
