package web

import (
	"errors"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/escalate"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// maxAckToken bounds the token a visitor may send; real ones are about 150 characters.
const maxAckToken = 1024

type ackBody struct {
	Token   string
	Alert   *alertView // after acknowledging
	Problem string     // message key
}

// ackForm shows the acknowledge link's confirmation form. It acknowledges nothing: mail scanners and
// link previews follow links, and a page that is only fetched must not tell the team someone is on it.
// The token may come in the path, as notifications send it, or in the query.
func (s *Server) ackForm(w http.ResponseWriter, r *http.Request, v *visit) {
	token := r.PathValue("token")
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	if s.deps.AckLinks == nil || token == "" || len(token) > maxAckToken {
		s.renderAck(w, r, v, http.StatusNotFound, ackBody{Problem: "ack.invalid"})
		return
	}
	s.renderAck(w, r, v, http.StatusOK, ackBody{Token: token})
}

// ackSubmit records the acknowledgement of the posted token: the engine checks it, records who and
// when and stops the escalation; the alert then shows who acknowledged it.
func (s *Server) ackSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	token := r.PostFormValue("token")
	if s.deps.AckLinks == nil || token == "" || len(token) > maxAckToken {
		s.renderAck(w, r, v, http.StatusNotFound, ackBody{Problem: "ack.invalid"})
		return
	}
	ctx := r.Context()
	ack, err := s.deps.AckLinks.Acknowledge(ctx, token, s.clientAddr(r))
	switch {
	case errors.Is(err, escalate.ErrTokenUsed):
		s.renderAck(w, r, v, http.StatusConflict, ackBody{Problem: "ack.used"})
		return
	case errors.Is(err, escalate.ErrTokenInvalid), errors.Is(err, escalate.ErrTokenExpired):
		s.renderAck(w, r, v, http.StatusNotFound, ackBody{Problem: "ack.invalid"})
		return
	case err != nil:
		s.log.Error("acknowledge link", "err", err)
		s.serverError(w, r, v)
		return
	}
	body := ackBody{}
	if s.deps.Alerts != nil {
		if err := s.deps.Alerts.AcknowledgeAlert(ctx, ack.AlertID, ack.Recipient, ack.At); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("acknowledge link: record on alert", "alert", ack.AlertID, "err", err)
			s.serverError(w, r, v)
			return
		}
		s.publishAlert(ctx, ack.AlertID)
		s.incidentsAcknowledged(ctx, ack.AlertID, ack.Recipient)
		if a, err := s.deps.Alerts.AlertByID(ctx, ack.AlertID); err == nil {
			at, err := s.alertTexts(ctx, v.lang)
			if err == nil {
				av := s.alertView(a, at)
				body.Alert = &av
			}
		}
	}
	s.log.Info("alert acknowledged by link", "alert", ack.AlertID, "recipient", ack.Recipient)
	s.renderAck(w, r, v, http.StatusOK, body)
}

func (s *Server) renderAck(w http.ResponseWriter, r *http.Request, v *visit, status int, body ackBody) {
	p := s.newPage(r, v, "ack.title", "", body)
	p.Status = status
	s.render(w, r, v, "alerts_ack", p)
}
