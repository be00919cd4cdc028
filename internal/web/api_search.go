package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

type searchResult struct {
	Posts []post.Post `json:"posts"`
}

// apiSearchPosts returns stored posts, newest first. A bad parameter is a 400 that names it.
func (s *Server) apiSearchPosts(w http.ResponseWriter, r *http.Request, v *visit) {
	q, err := parseAPIQuery(r.URL.Query())
	var pe *paramError
	if errors.As(err, &pe) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: pe.Error(), Parameter: pe.Param})
		return
	}
	posts, err := s.deps.Posts.SearchPosts(r.Context(), q)
	if err != nil {
		s.log.Error("search posts", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "search failed")
		return
	}
	if posts == nil {
		posts = []post.Post{}
	}
	writeJSON(w, http.StatusOK, searchResult{Posts: posts})
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openapi)
}
