package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// DeliveryStore is the part of the outbox behind the dead-letter list. Both stores are one.
type DeliveryStore interface {
	DeadNotifications(ctx context.Context, limit int) ([]store.Notification, error)
	RetryNotification(ctx context.Context, id int64, now time.Time) error
}

// deadLetterView is one dead letter as the page shows it: never its payload, and its error with any
// address cut down to scheme and host, since a webhook's URL is its secret.
type deadLetterView struct {
	ID        int64
	AlertID   string
	Recipient string // the person's name where the plan knows them, else the recipient as stored
	Channel   string
	Attempts  int
	LastError string
	GaveUpAt  time.Time
}

type deliveriesBody struct {
	Dead     []deadLetterView
	CanRetry bool
}

// deliveriesLimit is how many dead letters the page lists; more than that means something is broken
// for everyone, and the newest say what.
const deliveriesLimit = 200

func (s *Server) deliveriesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Deliveries == nil {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	dead, err := s.deps.Deliveries.DeadNotifications(ctx, deliveriesLimit)
	if err != nil {
		s.log.Error("list dead notifications", "err", err)
		s.serverError(w, r, v)
		return
	}
	names := map[string]string{}
	if s.deps.Plans != nil {
		// Names make the list readable; without a readable plan the stored ids still say who.
		if p, _, _, err := plan.Current(ctx, s.deps.Plans); err == nil {
			for _, per := range p.People {
				names[per.ID] = per.Name
			}
		}
	}
	body := deliveriesBody{Dead: make([]deadLetterView, len(dead)), CanRetry: v.id.Can(auth.ManageSettings)}
	for i, n := range dead {
		who := n.Recipient
		if name := names[n.Recipient]; name != "" {
			who = name + " (" + n.Recipient + ")"
		}
		body.Dead[i] = deadLetterView{ID: n.ID, AlertID: n.AlertID, Recipient: who, Channel: n.Channel,
			Attempts: n.Attempts, LastError: redactURLs(n.LastError), GaveUpAt: n.UpdatedAt}
	}
	p := s.newPage(r, v, "deliveries.title", "deliveries", body)
	switch r.URL.Query().Get("done") {
	case "retried":
		p.Notice = "deliveries.retried"
	case "gone":
		p.Error = "deliveries.gone"
	}
	s.render(w, r, v, "deliveries", p)
}

// deliveryRetry puts a dead letter back in the outbox; the worker sends it with a fresh retry budget.
func (s *Server) deliveryRetry(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Deliveries == nil {
		s.notFound(w, r, v)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r, v)
		return
	}
	err = s.deps.Deliveries.RetryNotification(r.Context(), id, s.deps.Clock.Now())
	switch {
	case isNotFound(err):
		// Someone else retried it first, or it was never dead: the list says what is left.
		http.Redirect(w, r, "/admin/deliveries?done=gone", http.StatusSeeOther)
		return
	case err != nil:
		s.log.Error("retry notification", "id", id, "err", err)
		s.serverError(w, r, v)
		return
	}
	s.log.Info("dead notification retried", "id", id, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/admin/deliveries?done=retried", http.StatusSeeOther)
}

// urlRE finds addresses in error texts; Go's HTTP client puts the whole request URL in its errors.
var urlRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)([^/\s"'@]*@)?([^/\s"'?#@]*)[^\s"']*`)

// redactURLs keeps the scheme and host of every address in s and drops credentials, path and query,
// where Slack, Teams and webhook URLs carry their secret.
func redactURLs(s string) string {
	return urlRE.ReplaceAllString(s, "$1$3/…")
}
