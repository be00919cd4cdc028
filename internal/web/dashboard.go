package web

import (
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

type dashboardBody struct {
	Count  int64
	Latest []postView
}

// dashboardLatest is how many of the newest posts the landing page shows.
const dashboardLatest = 5

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	n, err := s.deps.Posts.CountPosts(ctx)
	if err != nil {
		s.log.Error("count posts", "err", err)
		s.serverError(w, r, v)
		return
	}
	latest, err := s.deps.Posts.SearchStoredPosts(ctx, store.PostQuery{Limit: dashboardLatest})
	if err != nil {
		s.log.Error("latest posts", "err", err)
		s.serverError(w, r, v)
		return
	}
	ms, err := s.deps.Monitors.List(ctx)
	if err != nil {
		s.log.Error("list monitors", "err", err)
		s.serverError(w, r, v)
		return
	}
	s.render(w, r, v, "dashboard", s.newPage(r, v, "dashboard.title", "dashboard", dashboardBody{Count: n, Latest: postViews(latest, ms)}))
}
