package web

import (
	"context"
	"net/url"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// topPostText is how much of a top post's text the alert page shows; the link leads to the rest.
const topPostText = 500

// topPostView is one of an alert's top posts as the alert page shows it: what the explanation recorded
// (id, platform, reach) and, when the post is stored, what it said, who wrote it and where it is.
type topPostView struct {
	ID       string
	Platform string
	Reach    int64
	Stored   bool
	Text     string
	Cut      bool // Text was shortened to topPostText characters
	Handle   string
	Name     string
	URL      string // only http and https links, so a post cannot put a script link on the page
	Lang     string
}

// topPosts looks up the stored posts behind an explanation's top posts. Explanations written before
// top posts carried their platform name only an id, and those, like posts the store no longer has,
// show their id and reach alone. A failed lookup is logged and the page shows the ids: the alert is
// worth more than its decoration.
func (s *Server) topPosts(ctx context.Context, alertID string, top []alert.TopPost) []topPostView {
	out := make([]topPostView, len(top))
	var keys []store.PostKey
	for i, p := range top {
		out[i] = topPostView{ID: p.ID, Platform: p.Platform, Reach: p.Reach}
		if p.Platform != "" && len(keys) < store.MaxPostKeys {
			keys = append(keys, store.PostKey{Platform: p.Platform, ID: p.ID})
		}
	}
	if len(keys) == 0 {
		return out
	}
	posts, err := s.deps.Alerts.PostsByKeys(ctx, keys)
	if err != nil {
		s.log.Error("alert top posts", "alert", alertID, "err", err)
		return out
	}
	byKey := make(map[store.PostKey]*store.StoredPost, len(posts))
	for i := range posts {
		byKey[store.PostKey{Platform: posts[i].Post.Platform, ID: posts[i].Post.ID}] = &posts[i]
	}
	for i := range out {
		sp, ok := byKey[store.PostKey{Platform: out[i].Platform, ID: out[i].ID}]
		if !ok {
			continue
		}
		v := &out[i]
		v.Stored = true
		v.Text, v.Cut = cutText(sp.Post.Text, topPostText)
		v.Handle, v.Name = sp.Post.Author.Handle, sp.Post.Author.Name
		v.URL = webLink(sp.Post.URL)
		v.Lang = sp.Analysis.Lang
		if v.Lang == "" {
			v.Lang = sp.Post.Lang
		}
	}
	return out
}

// cutText shortens s to at most n characters (runes), on a rune boundary.
func cutText(s string, n int) (string, bool) {
	i := 0
	for at := range s {
		if i == n {
			return s[:at], true
		}
		i++
	}
	return s, false
}

// webLink returns u when it is an absolute http or https URL, and "" otherwise.
func webLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}
