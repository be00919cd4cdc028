package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

type searchResult struct {
	Posts []apiPost `json:"posts"`
}

// apiPost is a post as the API returns it: the post contract's fields, plus what ingest found in it.
// analysis is absent for a post stored without one.
type apiPost struct {
	post.Post
	Analysis *store.Analysis `json:"analysis,omitempty"`
	Monitors []string        `json:"monitors"`
}

func newAPIPost(sp store.StoredPost) apiPost {
	ap := apiPost{Post: sp.Post, Monitors: sp.Monitors}
	if sp.Analysis.Analysed() {
		a := sp.Analysis
		ap.Analysis = &a
	}
	if ap.Monitors == nil {
		ap.Monitors = []string{}
	}
	return ap
}

// apiSearchPosts returns stored posts, newest first. A bad parameter is a 400 that names it.
func (s *Server) apiSearchPosts(w http.ResponseWriter, r *http.Request, v *visit) {
	q, err := parseAPIQuery(r.URL.Query())
	var pe *paramError
	if errors.As(err, &pe) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: pe.Error(), Parameter: pe.Param})
		return
	}
	stored, err := s.deps.Posts.SearchStoredPosts(r.Context(), q)
	if err != nil {
		s.log.Error("search posts", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "search failed")
		return
	}
	posts := make([]apiPost, len(stored))
	for i, sp := range stored {
		posts[i] = newAPIPost(sp)
	}
	writeJSON(w, http.StatusOK, searchResult{Posts: posts})
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openapi)
}
