package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// incidentTick is how often the stream asks the page to redraw the clocks when nothing happened, so a
// warning or a breach shows without anyone touching the page. Each tick also re-reads the timeline
// once, as a safety net for writers the hub does not hear: another crisisdesk process on the same
// database.
const incidentTick = 30 * time.Second

// incidentEvents streams "changed" events to an open incident room whenever the incident changes, and
// "tick" events for the clocks. Changes arrive from the incident hub, which the incident service
// notifies after every stored change, whoever made it (people in this app, the alert pipeline,
// published statements); nothing is re-read per viewer until something happened. The page then fetches
// itself again and swaps in the parts that changed. The stream ends when the browser goes away, the
// server shuts down, or the incident cannot be read any more.
func (s *Server) incidentEvents(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := incidentID(r)
	if s.deps.Incidents == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	// Subscribe before the first read, so that a change between the two is not missed.
	var changes <-chan struct{}
	if s.deps.IncidentHub != nil {
		ch, cancel := s.deps.IncidentHub.Subscribe(id)
		defer cancel()
		changes = ch
	}
	last, err := s.latestEntry(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	if err != nil {
		s.log.Error("incident event stream", "incident", id, "err", err)
		s.serverError(w, r, v)
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for ordinary requests; a stream lives as long as its page.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.log.Warn("incident event stream: clear write deadline", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n: connected\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(incidentTick)
	defer tick.Stop()
	for {
		event := "tick"
		select {
		case <-ctx.Done():
			return
		case _, open := <-changes:
			if !open {
				return // the hub closed: the server is shutting down
			}
			event = "changed"
		case <-tick.C:
		}
		now, err := s.latestEntry(ctx, id)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("incident event stream", "incident", id, "err", err)
			}
			return
		}
		if now != last {
			event = "changed"
		}
		last = now
		if _, err := fmt.Fprintf(w, "event: %s\nid: %d\ndata: %d\n\n", event, last, last); err != nil || rc.Flush() != nil {
			return
		}
	}
}

// latestEntry is the id of the incident's newest timeline entry. Entry ids only grow, so a new one
// means the room changed.
func (s *Server) latestEntry(ctx context.Context, id int64) (int64, error) {
	room, err := s.deps.Incidents.Room(ctx, id)
	if err != nil {
		return 0, err
	}
	var last int64
	for _, e := range room.Timeline {
		last = max(last, e.ID)
	}
	return last, nil
}
