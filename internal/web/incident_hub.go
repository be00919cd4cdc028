package web

import "sync"

// IncidentHub tells the open incident rooms in this process that their incident changed, so a room's
// event stream wakes at once instead of re-reading the incident on a timer. The incident service calls
// Notify after every stored change (timeline, claims, tasks, the incident's own fields). A change means
// only "read the room again", so notifications coalesce: a room that has one pending needs no second,
// and Notify never blocks. It is safe for concurrent use.
type IncidentHub struct {
	mu     sync.Mutex
	subs   map[int64]map[chan struct{}]struct{}
	closed bool
}

// NewIncidentHub returns an empty hub.
func NewIncidentHub() *IncidentHub {
	return &IncidentHub{subs: make(map[int64]map[chan struct{}]struct{})}
}

// Notify wakes every subscriber of incident id.
func (h *IncidentHub) Notify(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is already pending; the room reads everything then
		}
	}
}

// Subscribe returns a channel that receives a value after incident id changed, and the function that
// ends the subscription. The channel is closed when cancel is called or the hub closes; a subscription
// to a closed hub starts closed.
func (h *IncidentHub) Subscribe(id int64) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	if h.subs[id] == nil {
		h.subs[id] = make(map[chan struct{}]struct{})
	}
	h.subs[id][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[id][ch]; ok {
			delete(h.subs[id], ch)
			if len(h.subs[id]) == 0 {
				delete(h.subs, id)
			}
			close(ch)
		}
	}
}

// Subscribers returns how many subscriptions are live, over all incidents.
func (h *IncidentHub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.subs {
		n += len(s)
	}
	return n
}

// Close ends every subscription, so that event streams return when the server shuts down.
func (h *IncidentHub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for id, s := range h.subs {
		for ch := range s {
			close(ch)
		}
		delete(h.subs, id)
	}
}
