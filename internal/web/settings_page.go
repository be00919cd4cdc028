package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

type settingsBody struct {
	Settings store.Settings
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	st, err := s.deps.Settings.Settings(r.Context())
	if err != nil {
		s.log.Error("read settings", "err", err)
		s.serverError(w, r, v)
		return
	}
	p := s.newPage(r, v, "settings.title", "settings", settingsBody{Settings: st})
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "settings.saved"
	}
	s.render(w, r, v, "settings", p)
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request, v *visit) {
	st := store.Settings{KeepAllPosts: r.PostFormValue("keep_all_posts") == "on"}
	if err := s.deps.Settings.SaveSettings(r.Context(), st); err != nil {
		s.log.Error("save settings", "err", err)
		s.serverError(w, r, v)
		return
	}
	s.log.Info("settings changed", "keep_all_posts", st.KeepAllPosts, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/admin/settings?done=saved", http.StatusSeeOther)
}
