package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

// userSetStatus disables or enables an account. Disabling takes effect at the user's next request,
// because every request reads the account.
func (s *Server) userSetStatus(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := s.userID(w, r, v)
	if !ok {
		return
	}
	var disabled bool
	switch r.PostFormValue("status") {
	case "disabled":
		disabled = true
	case "active":
	default:
		s.renderError(w, r, v, http.StatusBadRequest, "error.bad_request")
		return
	}
	if err := s.deps.Auth.SetDisabled(r.Context(), id, disabled); err != nil {
		s.userChangeFailed(w, r, v, err, usersBody{Role: string(auth.Viewer)})
		return
	}
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	http.Redirect(w, r, "/admin/users?done="+done, http.StatusSeeOther)
}
