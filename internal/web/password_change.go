package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, v *visit) {
	again := func(status int, key string) {
		p := s.newPage(r, v, "account.title", "account", nil)
		p.Error, p.Status = key, status
		s.render(w, r, v, "account", p)
	}
	// A wrong current password counts as a failed login, so a borrowed session cannot be used to
	// guess it faster than the login form allows.
	addr, now := s.clientAddr(r), s.deps.Clock.Now()
	if !s.logins.allowed(addr, now) {
		w.Header().Set("Retry-After", strconv.Itoa(int(loginWindow.Seconds())))
		again(http.StatusTooManyRequests, "login.too_many")
		return
	}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("password2") {
		again(http.StatusUnprocessableEntity, "form.mismatch")
		return
	}
	err := s.deps.Auth.ChangePassword(r.Context(), v.id.User.ID, r.PostFormValue("current"), next)
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		s.logins.failed(addr, now)
		again(http.StatusUnprocessableEntity, "account.wrong_current")
		return
	case err != nil:
		if key := errKey(err); key != "" {
			again(http.StatusUnprocessableEntity, key)
			return
		}
		s.log.Error("change password", "err", err)
		s.serverError(w, r, v)
		return
	}
	http.Redirect(w, r, "/settings/account?done=password-changed", http.StatusSeeOther)
}
