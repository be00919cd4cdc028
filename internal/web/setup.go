package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

type setupBody struct {
	Token  string
	Email  string
	Closed bool
}

// setupForm lets the first admin choose an email address and password, with the one-time link main
// logged at start. It is open only while no user exists.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request, v *visit) {
	token := r.URL.Query().Get("token")
	ok, err := s.deps.Auth.CheckSetupToken(r.Context(), token)
	if err != nil {
		s.log.Error("check setup token", "err", err)
		s.serverError(w, r, v)
		return
	}
	if !ok {
		s.setupClosed(w, r, v)
		return
	}
	s.render(w, r, v, "setup", s.newPage(r, v, "setup.title", "", setupBody{Token: token, Email: auth.DefaultAdminEmail}))
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	token, email, password := r.PostFormValue("token"), r.PostFormValue("email"), r.PostFormValue("password")
	again := func(key string) {
		p := s.newPage(r, v, "setup.title", "", setupBody{Token: token, Email: email})
		p.Error, p.Status = key, http.StatusUnprocessableEntity
		s.render(w, r, v, "setup", p)
	}
	if password != r.PostFormValue("password2") {
		ok, err := s.deps.Auth.CheckSetupToken(r.Context(), token)
		if err != nil || !ok {
			s.setupClosed(w, r, v)
			return
		}
		again("setup.mismatch")
		return
	}
	_, err := s.deps.Auth.CompleteSetup(r.Context(), token, email, password)
	switch {
	case errors.Is(err, auth.ErrSetupClosed):
		s.setupClosed(w, r, v)
		return
	case err != nil:
		if key := errKey(err); key != "" {
			again(key)
			return
		}
		s.log.Error("complete setup", "err", err)
		s.serverError(w, r, v)
		return
	}
	session, expires, err := s.deps.Auth.Login(r.Context(), email, password)
	if err != nil {
		s.log.Error("log in the first admin", "err", err)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.setCookie(w, v, sessionCookie, session, expires)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setupClosed answers a setup request with a wrong or used link, or after users exist, without telling
// which: a guessed link learns nothing.
func (s *Server) setupClosed(w http.ResponseWriter, r *http.Request, v *visit) {
	p := s.newPage(r, v, "setup.title", "", setupBody{Closed: true})
	p.Status = http.StatusForbidden
	s.render(w, r, v, "setup", p)
}
