package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// PublishAccountService manages the accounts the composer publishes with; *statement.Accounts is one.
// App passwords go in and never come out: views say only whether one is set.
type PublishAccountService interface {
	List(ctx context.Context) ([]statement.AccountView, error)
	Create(ctx context.Context, in statement.AccountInput) (statement.AccountView, error)
	Update(ctx context.Context, id string, in statement.AccountInput) (statement.AccountView, error)
	Delete(ctx context.Context, id string) error
}

// publishingBody is /settings/publishing: the accounts, and the form of one that was not saved.
type publishingBody struct {
	Accounts []statement.AccountView
	// Form is what was typed into a form that was refused, without its password; FormID is the account
	// it was for ("" for a new one) and Problem why it was refused.
	Form    statement.AccountView
	FormID  string
	Problem string
	Default string
}

var publishingNotices = []string{"created", "saved", "deleted"}

func (s *Server) publishingPage(w http.ResponseWriter, r *http.Request, v *visit) {
	s.showPublishing(w, r, v, publishingBody{}, http.StatusOK)
}

func (s *Server) showPublishing(w http.ResponseWriter, r *http.Request, v *visit, b publishingBody, status int) {
	if s.deps.PublishAccounts == nil {
		s.notFound(w, r, v)
		return
	}
	list, err := s.deps.PublishAccounts.List(r.Context())
	if err != nil {
		s.log.Error("list publishing accounts", "err", err)
		s.serverError(w, r, v)
		return
	}
	b.Accounts, b.Default = list, statement.DefaultBlueskyService
	p := s.newPage(r, v, "settings.publishing_title", "settings", b)
	p.Status = status
	if b.Problem != "" {
		p.Error = "settings.publishing_not_saved"
	}
	if done := r.URL.Query().Get("done"); slices.Contains(publishingNotices, done) {
		p.Notice = "settings.publishing_done_" + done
	}
	s.render(w, r, v, "publishing", p)
}

func accountInput(r *http.Request) statement.AccountInput {
	return statement.AccountInput{Name: r.PostFormValue("name"), Handle: r.PostFormValue("handle"),
		Service: r.PostFormValue("service"), AppPassword: secret.New(strings.TrimSpace(r.PostFormValue("app_password"))),
		Enabled: r.PostFormValue("enabled") == "on"}
}

// publishingFailed shows the form again with the refusal, or answers a missing account or a failure.
func (s *Server) publishingFailed(w http.ResponseWriter, r *http.Request, v *visit, id string, in statement.AccountInput, err error) {
	if e, ok := statement.IsRefusal(err); ok {
		// The password is not sent back: the form asks for it again.
		b := publishingBody{Form: statement.AccountView{Name: in.Name, Handle: in.Handle, Service: in.Service, Enabled: in.Enabled},
			FormID: id, Problem: e.Message(v.lang)}
		s.showPublishing(w, r, v, b, http.StatusUnprocessableEntity)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	s.log.Error("publishing account", "path", r.URL.Path, "err", err)
	s.serverError(w, r, v)
}

func (s *Server) publishingCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.PublishAccounts == nil {
		s.notFound(w, r, v)
		return
	}
	in := accountInput(r)
	a, err := s.deps.PublishAccounts.Create(r.Context(), in)
	if err != nil {
		s.publishingFailed(w, r, v, "", in, err)
		return
	}
	s.log.Info("publishing account created", "account", a.ID, "platform", a.Platform, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/settings/publishing?done=created", http.StatusSeeOther)
}

func (s *Server) publishingUpdate(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.PublishAccounts == nil {
		s.notFound(w, r, v)
		return
	}
	id := r.PathValue("id")
	in := accountInput(r)
	if _, err := s.deps.PublishAccounts.Update(r.Context(), id, in); err != nil {
		s.publishingFailed(w, r, v, id, in, err)
		return
	}
	s.log.Info("publishing account saved", "account", id, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/settings/publishing?done=saved", http.StatusSeeOther)
}

func (s *Server) publishingDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.PublishAccounts == nil {
		s.notFound(w, r, v)
		return
	}
	id := r.PathValue("id")
	if err := s.deps.PublishAccounts.Delete(r.Context(), id); err != nil {
		s.publishingFailed(w, r, v, id, statement.AccountInput{}, err)
		return
	}
	s.log.Info("publishing account deleted", "account", id, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/settings/publishing?done=deleted", http.StatusSeeOther)
}
