package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// postsPageLimit is how many results the search page shows; the page says so when there may be more.
const postsPageLimit = 100

type postsBody struct {
	Form      pageQuery
	Searched  bool // false when the form was wrong and nothing was searched
	Posts     []store.StoredPost
	Full      bool // as many results as the limit: narrowing the search may show older ones
	Limit     int
	Platforms []string
	Langs     []string
	Periods   []string
	Monitors  []store.Monitor
	// Sentiments and Categories are the analysis filters' choices.
	Sentiments []string
	Categories []string
}

// searchLangs are the language filter's choices: what Dutch and English teams meet most, and und for
// posts whose language is unknown. The API takes any code.
var searchLangs = []string{"nl", "en", "de", "fr", "es", "und"}

func (s *Server) postsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	body := postsBody{Limit: postsPageLimit, Platforms: post.Platforms, Langs: searchLangs,
		Sentiments: sentiments, Categories: store.Categories}
	ms, err := s.deps.Monitors.List(r.Context())
	if err != nil {
		s.log.Error("list monitors", "err", err)
		s.serverError(w, r, v)
		return
	}
	body.Monitors = ms
	for _, p := range periods {
		body.Periods = append(body.Periods, p.Value)
	}
	q, form, err := parsePageQuery(r.URL.Query(), s.deps.Clock.Now(), s.cfg.Location)
	body.Form = form
	var pe *paramError
	if errors.As(err, &pe) {
		p := s.newPage(r, v, "posts.title", "posts", body)
		p.Error, p.Status = "posts.bad_"+pe.Param, http.StatusBadRequest
		s.render(w, r, v, "posts", p)
		return
	}
	q.Limit = postsPageLimit
	body.Posts, err = s.deps.Posts.SearchStoredPosts(r.Context(), q)
	if err != nil {
		s.log.Error("search posts", "err", err)
		s.serverError(w, r, v)
		return
	}
	body.Searched = true
	body.Full = len(body.Posts) >= postsPageLimit
	s.render(w, r, v, "posts", s.newPage(r, v, "posts.title", "posts", body))
}
