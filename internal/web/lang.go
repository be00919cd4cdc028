package web

import (
	"net/http"
	"time"
)

// switchLang sets the UI language for this browser, and for a signed-in user also on their account, so
// it follows them to other devices.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request, v *visit) {
	lang, next := r.PostFormValue("lang"), safeNext(r.PostFormValue("next"))
	if !supportedLang(lang) {
		s.renderError(w, r, v, http.StatusBadRequest, "error.bad_request")
		return
	}
	s.setCookie(w, v, langCookie, lang, s.deps.Clock.Now().Add(365*24*time.Hour))
	if v.id != nil {
		if err := s.deps.Auth.SetLanguage(r.Context(), v.id.User.ID, lang); err != nil {
			// The cookie already carries the choice on this device.
			s.log.Warn("store language preference", "user_id", v.id.User.ID, "err", err)
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
