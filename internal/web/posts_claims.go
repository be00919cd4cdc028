package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/incident"
)

// maxClaimChoices bounds the claims the post view offers; a team rarely keeps more open at once.
const maxClaimChoices = 200

// openClaims lists the claims of the open incidents as the post view offers them, newest incident
// first; a claim's value is "incident:claim".
func (s *Server) openClaims(ctx context.Context) ([]option, error) {
	list, err := s.deps.Incidents.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: incidents for claim links: %w", err)
	}
	var out []option
	for _, inc := range list {
		if inc.Status == incident.StatusResolved || inc.Status == incident.StatusReviewed {
			continue
		}
		room, err := s.deps.Incidents.Room(ctx, inc.ID)
		if err != nil {
			return nil, fmt.Errorf("web: claims of incident %d: %w", inc.ID, err)
		}
		for _, c := range room.Claims {
			if len(out) == maxClaimChoices {
				return out, nil
			}
			out = append(out, option{Value: fmt.Sprintf("%d:%d", inc.ID, c.ID), Label: inc.Title + " — " + c.Text})
		}
	}
	return out, nil
}

// parseClaimKey reads the "incident:claim" value of a claim choice.
func parseClaimKey(s string) (incidentID, claimID int64, err error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, fmt.Errorf("claim %q: want incident:claim", s)
	}
	if incidentID, err = strconv.ParseInt(a, 10, 64); err != nil || incidentID <= 0 {
		return 0, 0, fmt.Errorf("claim %q: incident %q is not a positive number", s, a)
	}
	if claimID, err = strconv.ParseInt(b, 10, 64); err != nil || claimID <= 0 {
		return 0, 0, fmt.Errorf("claim %q: claim %q is not a positive number", s, b)
	}
	return incidentID, claimID, nil
}

// postLinkClaim links a post found on the posts page to a claim of an open incident, as one of the
// claim's sources; the incident's timeline records it. The responder returns to the same search.
func (s *Server) postLinkClaim(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Incidents == nil {
		s.notFound(w, r, v)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	inc, claim, err := parseClaimKey(r.PostFormValue("claim"))
	p, ok := postRef(r)
	if err != nil || !ok {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	if _, err := s.deps.Incidents.LinkPost(r.Context(), inc, claim, p, v.id.User.Email); s.incidentProblem(w, r, v, err) {
		return
	}
	// Back to the search the post was found with; only its query string is taken from the form.
	back, err := url.ParseQuery(r.PostFormValue("back"))
	if err != nil {
		back = url.Values{}
	}
	back.Set("linked", "1")
	http.Redirect(w, r, "/posts?"+back.Encode(), http.StatusSeeOther)
}
