package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// postsPageLimit is how many results the search page shows; the page says so when there may be more.
const postsPageLimit = 100

type postsBody struct {
	Form      pageQuery
	Searched  bool // false when the form was wrong and nothing was searched
	Posts     []postView
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

// postView is a stored post as the "post" partial shows it: with the names of the monitors it
// matched rather than their ids.
type postView struct {
	store.StoredPost
	Monitors []monitorRef
	// LinkClaims are the claims of open incidents the post can be linked to, on the posts page for
	// those who handle incidents; CSRF and Back (the search's query string) go with that form.
	LinkClaims []option
	CSRF       string
	Back       string
}

type monitorRef struct{ ID, Name string }

// postViews names the monitors of each post from ms. A monitor deleted since shows its id.
func postViews(sps []store.StoredPost, ms []store.Monitor) []postView {
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	out := make([]postView, len(sps))
	for i, sp := range sps {
		out[i].StoredPost = sp
		for _, id := range sp.Monitors {
			name := names[id]
			if name == "" {
				name = id
			}
			out[i].Monitors = append(out[i].Monitors, monitorRef{ID: id, Name: name})
		}
	}
	return out
}

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
	found, err := s.deps.Posts.SearchStoredPosts(r.Context(), q)
	if err != nil {
		s.log.Error("search posts", "err", err)
		s.serverError(w, r, v)
		return
	}
	body.Posts = postViews(found, ms)
	body.Searched = true
	body.Full = len(body.Posts) >= postsPageLimit
	if s.deps.Incidents != nil && v.id.Can(auth.HandleIncidents) && len(body.Posts) > 0 {
		claims, err := s.openClaims(r.Context())
		if err != nil {
			s.log.Error("search posts: open claims", "err", err)
			s.serverError(w, r, v)
			return
		}
		back := r.URL.Query()
		back.Del("linked")
		for i := range body.Posts {
			body.Posts[i].LinkClaims, body.Posts[i].CSRF, body.Posts[i].Back = claims, v.csrf, back.Encode()
		}
	}
	p := s.newPage(r, v, "posts.title", "posts", body)
	if r.URL.Query().Get("linked") == "1" {
		p.Notice = "posts.linked"
	}
	s.render(w, r, v, "posts", p)
}
