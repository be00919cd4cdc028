package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

type tokensBody struct {
	Tokens   []store.APIToken
	NewToken string // the clear token just made; shown this once
	NewName  string
	Name     string // the name field, kept after an error
	APIBase  string // where the API lives, for the example command
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, ok := s.tokensPageData(w, r, v, tokensBody{})
	if !ok {
		return
	}
	p.Notice = doneNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "tokens", p)
}

// tokensPageData loads the user's tokens into body. When it returns false it has already answered.
func (s *Server) tokensPageData(w http.ResponseWriter, r *http.Request, v *visit, body tokensBody) (*pageData, bool) {
	ts, err := s.deps.Auth.APITokens(r.Context(), v.id.User.ID)
	if err != nil {
		s.log.Error("list tokens", "err", err)
		s.serverError(w, r, v)
		return nil, false
	}
	body.Tokens = ts
	body.APIBase = s.apiBase(r, v)
	return s.newPage(r, v, "tokens.title", "tokens", body), true
}

// apiBase is the URL of the API as users reach it: the configured base URL, or else the host of this
// request.
func (s *Server) apiBase(r *http.Request, v *visit) string {
	if s.base != nil {
		return s.base.Scheme + "://" + s.base.Host + "/api/v1"
	}
	scheme := "http"
	if v.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/api/v1"
}

// doneNotice turns the done parameter of a redirect after a change into its message key. Only known
// values map, so the parameter cannot put arbitrary text on the page.
func doneNotice(done string) string {
	switch done {
	case "revoked":
		return "tokens.revoked"
	case "created":
		return "users.created_done"
	case "role":
		return "users.role_changed"
	case "disabled":
		return "users.disabled_done"
	case "enabled":
		return "users.enabled_done"
	case "password":
		return "users.password_set"
	case "password-changed":
		return "account.changed"
	}
	return ""
}
