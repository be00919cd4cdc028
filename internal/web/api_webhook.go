package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/notify/webhook"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// apiWebhook takes posts from another tool for a source of kind webhook. The route is public: the
// credential is the HMAC-SHA256 signature over the timestamp and the body, in the same scheme our own
// outgoing webhooks use (package notify/webhook), so one tool's sender can talk to another's receiver.
// A signed timestamp older than the tolerance is refused, which bounds replays; a replay within it stores
// nothing new, as posts are idempotent by (platform, id).
func (s *Server) apiWebhook(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Sources == nil {
		s.notFound(w, r, v)
		return
	}
	id := r.PathValue("id")
	key, err := s.deps.Sources.WebhookSecret(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, supervisor.ErrNotWebhook):
		// Unknown, disabled and non-webhook sources answer alike, so the endpoint tells a prober nothing.
		writeJSONError(w, http.StatusNotFound, "no enabled webhook source with this id")
		return
	case err != nil:
		s.log.Error("webhook secret", "source", id, "err", err)
		writeJSONError(w, http.StatusInternalServerError, "the source cannot be read")
		return
	}
	// The signature covers the exact bytes, so the body is read whole before anything is parsed.
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeJSONError(w, http.StatusRequestEntityTooLarge, "the body is larger than the limit; nothing was stored; send fewer posts per request")
		return
	case err != nil:
		writeJSONError(w, http.StatusBadRequest, "could not read the request body")
		return
	}
	if err := webhook.Verify([]byte(key.Reveal()), r.Header.Get(webhook.SignatureHeader), raw, s.deps.Clock.Now(), webhook.DefaultTolerance); err != nil {
		s.log.Info("webhook refused", "source", id, "reason", err)
		writeJSONError(w, http.StatusUnauthorized, "missing, invalid or expired "+webhook.SignatureHeader+" signature")
		return
	}
	res, status, ok := s.ingestBody(w, r, bytes.NewReader(raw))
	if !ok {
		return
	}
	s.log.Info("webhook posts ingested", "source", id, "received", res.Received, "inserted", res.Inserted,
		"duplicates", res.Duplicates, "dropped", res.Dropped, "bad", len(res.Errors)+res.ErrorsOmitted)
	writeJSON(w, status, res)
}
