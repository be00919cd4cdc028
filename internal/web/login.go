package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/crisisdesk/crisisdesk/internal/auth"
)

type loginBody struct {
	Next      string
	Email     string
	SetupOpen bool
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, v *visit) {
	next := safeNext(r.URL.Query().Get("next"))
	if v.id != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	open, err := s.deps.Auth.SetupOpen(r.Context())
	if err != nil {
		s.log.Error("check setup", "err", err)
		s.serverError(w, r, v)
		return
	}
	s.render(w, r, v, "login", s.newPage(r, v, "login.title", "", loginBody{Next: next, SetupOpen: open}))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	email, next := r.PostFormValue("email"), safeNext(r.PostFormValue("next"))
	addr, now := s.clientAddr(r), s.deps.Clock.Now()
	again := func(status int, key string) {
		p := s.newPage(r, v, "login.title", "", loginBody{Next: next, Email: email})
		p.Error, p.Status = key, status
		s.render(w, r, v, "login", p)
	}
	if !s.logins.allowed(addr, now) {
		s.log.Warn("login refused: too many failures", "addr", addr)
		w.Header().Set("Retry-After", strconv.Itoa(int(loginWindow.Seconds())))
		again(http.StatusTooManyRequests, "login.too_many")
		return
	}
	token, expires, err := s.deps.Auth.Login(r.Context(), email, r.PostFormValue("password"))
	if errors.Is(err, auth.ErrInvalidCredentials) {
		s.logins.failed(addr, now)
		again(http.StatusUnauthorized, "login.failed")
		return
	}
	if err != nil {
		s.log.Error("login", "err", err)
		s.serverError(w, r, v)
		return
	}
	s.logins.succeeded(addr)
	if v.session != "" {
		// Someone logs in over an open session: end it, so one browser never holds two.
		if err := s.deps.Auth.Logout(r.Context(), v.session); err != nil {
			s.log.Warn("end the previous session", "err", err)
		}
	}
	s.setCookie(w, v, sessionCookie, token, expires)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
