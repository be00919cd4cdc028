package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

type usersBody struct {
	Users []store.User
	Roles []auth.Role
	Self  int64
	Email string // the add form, kept after an error
	Role  string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, ok := s.usersPageData(w, r, v, usersBody{Role: string(auth.Viewer)})
	if !ok {
		return
	}
	p.Notice = doneNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "users", p)
}

// usersPageData loads every user into body. When it returns false it has already answered.
func (s *Server) usersPageData(w http.ResponseWriter, r *http.Request, v *visit, body usersBody) (*pageData, bool) {
	us, err := s.deps.Auth.Users(r.Context())
	if err != nil {
		s.log.Error("list users", "err", err)
		s.serverError(w, r, v)
		return nil, false
	}
	body.Users, body.Roles, body.Self = us, auth.Roles(), v.id.User.ID
	return s.newPage(r, v, "users.title", "users", body), true
}

// userChangeFailed shows the users page with the reason a change was refused, or answers 404 or 500.
func (s *Server) userChangeFailed(w http.ResponseWriter, r *http.Request, v *visit, err error, body usersBody) {
	key := errKey(err)
	if key == "" {
		if isNotFound(err) {
			s.renderError(w, r, v, http.StatusNotFound, "error.not_found")
			return
		}
		s.log.Error("change user", "err", err)
		s.serverError(w, r, v)
		return
	}
	p, ok := s.usersPageData(w, r, v, body)
	if !ok {
		return
	}
	p.Error, p.Status = key, http.StatusUnprocessableEntity
	s.render(w, r, v, "users", p)
}
