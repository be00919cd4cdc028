package web

import (
	"sync"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// hubBuffer is how many alert changes a subscriber may fall behind by. A browser that falls further
// behind is disconnected rather than slowing everyone down; its EventSource reconnects and the page
// reloads the list, so it loses nothing but a moment.
const hubBuffer = 64

// AlertHub fans alert changes out to the live alert pages in this process. Publish never blocks, so
// a slow browser cannot hold up detection. It is safe for concurrent use.
type AlertHub struct {
	mu     sync.Mutex
	subs   map[chan store.Alert]struct{}
	closed bool
}

// NewAlertHub returns an empty hub.
func NewAlertHub() *AlertHub {
	return &AlertHub{subs: make(map[chan store.Alert]struct{})}
}

// Publish sends a to every subscriber. A subscriber whose buffer is full is dropped: its channel is
// closed, which ends its event stream.
func (h *AlertHub) Publish(a store.Alert) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- a:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns a channel of alert changes and the function that ends the subscription. The
// channel is closed when the subscriber is dropped, when cancel is called, or when the hub closes; a
// subscription to a closed hub starts closed.
func (h *AlertHub) Subscribe() (<-chan store.Alert, func()) {
	ch := make(chan store.Alert, hubBuffer)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.subs[ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// Subscribers returns how many subscriptions are live.
func (h *AlertHub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Close ends every subscription, so that event streams return when the server shuts down; the HTTP
// server's graceful shutdown would otherwise wait for them until its deadline.
func (h *AlertHub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}
