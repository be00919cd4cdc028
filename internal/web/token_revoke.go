package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	err = s.deps.Auth.RevokeAPIToken(r.Context(), v.id.User.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.log.Error("revoke token", "err", err)
		s.serverError(w, r, v)
		return
	}
	http.Redirect(w, r, "/settings/tokens?done=revoked", http.StatusSeeOther)
}
