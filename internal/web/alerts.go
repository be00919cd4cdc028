package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// AlertStore is what the alert pages read and change.
type AlertStore interface {
	AlertByID(ctx context.Context, id string) (store.Alert, error)
	Alerts(ctx context.Context, q store.AlertQuery) ([]store.Alert, error)
	AcknowledgeAlert(ctx context.Context, id, by string, at time.Time) error
	ResolveAlert(ctx context.Context, id, by string, at time.Time) error
	CreateSilence(ctx context.Context, s store.Silence) error
	Silences(ctx context.Context, t time.Time) ([]store.Silence, error)
	ExpireSilence(ctx context.Context, id string, t time.Time) error
	// NotificationsByAlert is the delivery state of an alert's pages.
	NotificationsByAlert(ctx context.Context, alertID string) ([]store.Notification, error)
	// StopEscalation ends the paging of an alert that a person acknowledged or resolved here.
	StopEscalation(ctx context.Context, alertID, state, by string, at time.Time) error
	// EscalationsByAlert is the progress of each policy paging for an alert (alert_escalations.go).
	EscalationsByAlert(ctx context.Context, alertID string) ([]store.Escalation, error)
	// MonitorActivity is a monitor's matched and negative posts per time bucket, for its charts.
	MonitorActivity(ctx context.Context, monitor string, since, until time.Time, step time.Duration) ([]store.ActivityBucket, error)
	// PostsByKeys reads the stored posts an explanation names, to show their text.
	PostsByKeys(ctx context.Context, keys []store.PostKey) ([]store.StoredPost, error)
}

// AckLinks checks and records the acknowledge links sent in notifications (*escalate.Engine).
type AckLinks interface {
	Acknowledge(ctx context.Context, token, by string) (store.Ack, error)
}

// Silencer applies a new silence to the running alert manager (*alert.Manager).
type Silencer interface {
	AddSilence(s alert.Silence) error
}

// Alert page limits.
const (
	// recentAlerts is how far back the alert list shows resolved alerts.
	recentAlerts = 7 * 24 * time.Hour
	alertListMax = 200
	// maxSilenceHours bounds a silence set from an alert, so a slip of the keyboard cannot mute a
	// monitor for a year.
	maxSilenceHours = 24 * 14
	// sseHeartbeat is how often an idle event stream sends a comment, so proxies keep it open and a
	// dead connection is noticed.
	sseHeartbeat = 15 * time.Second
)

// alertView is an alert as the pages and the event stream show it, in the visitor's language.
type alertView struct {
	ID          string    `json:"id"`
	Monitor     string    `json:"monitor"`
	MonitorName string    `json:"monitor_name"`
	Kind        string    `json:"kind"`
	KindLabel   string    `json:"kind_label"`
	Severity    string    `json:"severity"`
	SevLabel    string    `json:"severity_label"`
	SevMeaning  string    `json:"severity_meaning,omitempty"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	Summary     string    `json:"summary"`
	PostIDs     []string  `json:"post_ids"`
	OpenedAt    time.Time `json:"opened_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	ResolvedAt  time.Time `json:"resolved_at,omitzero"`
	ResolvedBy  string    `json:"resolved_by,omitempty"`
	AckedBy     string    `json:"acked_by,omitempty"`
	AckedAt     time.Time `json:"acked_at,omitzero"`
	When        string    `json:"when"` // UpdatedAt as the page shows it
}

// alertTexts holds what an alert view needs besides the alert: monitor names and the protocol.
type alertTexts struct {
	lang     string
	monitors map[string]string
	protocol plan.Protocol
}

func (s *Server) alertTexts(ctx context.Context, lang string) (alertTexts, error) {
	at := alertTexts{lang: lang, monitors: map[string]string{}}
	ms, err := s.deps.Monitors.List(ctx)
	if err != nil {
		return at, fmt.Errorf("web: monitors for alerts: %w", err)
	}
	for _, m := range ms {
		at.monitors[m.ID] = m.Name
	}
	if s.deps.Plans != nil {
		p, _, _, err := plan.Current(ctx, s.deps.Plans)
		if err != nil {
			return at, fmt.Errorf("web: crisis plan for alerts: %w", err)
		}
		at.protocol = p.Protocol
	}
	return at, nil
}

func (s *Server) alertView(a store.Alert, at alertTexts) alertView {
	t := func(k string) string { return s.msgs.text(at.lang, k) }
	v := alertView{
		ID: a.ID, Monitor: a.Monitor, MonitorName: at.monitors[a.Monitor], Kind: a.Kind, KindLabel: kindLabel(t, a.Kind),
		Severity: a.Severity, SevLabel: t(severityKey(a.Severity)), Status: a.Status,
		StatusLabel: t(statusKey(a.Status)), Summary: a.Summary, PostIDs: a.PostIDs,
		OpenedAt: a.OpenedAt, UpdatedAt: a.UpdatedAt, ResolvedAt: a.ResolvedAt, ResolvedBy: a.ResolvedBy,
		AckedBy: a.AckedBy, AckedAt: a.AckedAt, When: a.UpdatedAt.In(s.cfg.Location).Format("2006-01-02 15:04 MST"),
	}
	if v.MonitorName == "" {
		v.MonitorName = a.Monitor
	}
	if l, ok := at.protocol.Level(a.Severity); ok {
		if name := l.Name.In(at.lang); name != "" {
			v.SevLabel = name
		}
		v.SevMeaning = l.Meaning.In(at.lang)
	}
	if ex := decodeExplanation(a.Explanation); ex != nil {
		// The explanation's text starts with the summary in each language, so the list speaks the
		// visitor's language even though the stored summary is in the server's.
		if text := ex.Text[at.lang]; text != "" {
			v.Summary, _, _ = strings.Cut(text, ". ")
		}
	}
	return v
}

func kindLabel(t func(string) string, kind string) string {
	if cat, ok := strings.CutPrefix(kind, "category:"); ok {
		return t("alerts.kind_category") + ": " + t("category."+cat)
	}
	switch kind {
	case "volume_spike":
		return t("alerts.kind_volume_spike")
	case "negative_spike":
		return t("alerts.kind_negative_spike")
	case "viral_post":
		return t("alerts.kind_viral_post")
	case "influential_author":
		return t("alerts.kind_influential_author")
	case "coordinated_campaign":
		return t("alerts.kind_coordinated_campaign")
	}
	return kind
}

// severityKey is the message key of a severity's name, used when the plan's protocol has none.
func severityKey(sev string) string {
	switch sev {
	case "low":
		return "alerts.severity_low"
	case "medium":
		return "alerts.severity_medium"
	case "high":
		return "alerts.severity_high"
	case "critical":
		return "alerts.severity_critical"
	}
	return "alerts.severity_unknown"
}

func statusKey(status string) string {
	if status == store.AlertResolved {
		return "alerts.status_resolved"
	}
	return "alerts.status_open"
}

func decodeExplanation(b []byte) *alert.Explanation {
	if len(b) == 0 {
		return nil
	}
	var ex alert.Explanation
	if json.Unmarshal(b, &ex) != nil {
		return nil
	}
	return &ex
}

// listAlerts returns the open alerts first, then those resolved within recentAlerts, each group most
// recently updated first.
func (s *Server) listAlerts(ctx context.Context, monitor string) ([]store.Alert, error) {
	open, err := s.deps.Alerts.Alerts(ctx, store.AlertQuery{Status: store.AlertOpen, Monitor: monitor, Limit: alertListMax})
	if err != nil {
		return nil, err
	}
	resolved, err := s.deps.Alerts.Alerts(ctx, store.AlertQuery{Status: store.AlertResolved, Monitor: monitor,
		Since: s.deps.Clock.Now().Add(-recentAlerts), Limit: alertListMax})
	if err != nil {
		return nil, err
	}
	return append(open, resolved...), nil
}

type alertsBody struct {
	Open      []alertView
	Resolved  []alertView
	Levels    []plan.Level
	Silences  []silenceView
	CanHandle bool
}

// silenceView is an active or coming silence as the alerts page lists it.
type silenceView struct {
	store.Silence
	MonitorName string
	KindLabel   string // empty when it covers every kind
}

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	as, err := s.listAlerts(ctx, "")
	if err == nil {
		var at alertTexts
		at, err = s.alertTexts(ctx, v.lang)
		if err == nil {
			body := alertsBody{Levels: at.protocol.Levels, CanHandle: v.id.Can(auth.HandleAlerts)}
			var sil []store.Silence
			if sil, err = s.deps.Alerts.Silences(ctx, s.deps.Clock.Now()); err != nil {
				s.log.Error("alerts page: silences", "err", err)
				s.serverError(w, r, v)
				return
			}
			t := func(k string) string { return s.msgs.text(v.lang, k) }
			for _, si := range sil {
				sv := silenceView{Silence: si, MonitorName: at.monitors[si.Monitor]}
				if sv.MonitorName == "" {
					sv.MonitorName = si.Monitor
				}
				if si.Kind != "" {
					sv.KindLabel = kindLabel(t, si.Kind)
				}
				body.Silences = append(body.Silences, sv)
			}
			for _, a := range as {
				av := s.alertView(a, at)
				if a.Status == store.AlertOpen {
					body.Open = append(body.Open, av)
				} else {
					body.Resolved = append(body.Resolved, av)
				}
			}
			p := s.newPage(r, v, "alerts.title", "alerts", body)
			p.Notice = alertNotice(r.URL.Query().Get("done"))
			s.render(w, r, v, "alerts", p)
			return
		}
	}
	s.log.Error("alerts page", "err", err)
	s.serverError(w, r, v)
}

func alertNotice(done string) string {
	switch done {
	case "acknowledged":
		return "alerts.done_acknowledged"
	case "resolved":
		return "alerts.done_resolved"
	case "silenced":
		return "alerts.done_silenced"
	case "unsilenced":
		return "alerts.done_unsilenced"
	}
	return ""
}

// explanationView is the explanation of one alert as the detail page shows it.
type explanationView struct {
	Text          string
	WindowMinutes int
	Observed      float64
	Expected      float64
	PValue        float64
	Warmup        bool
	Reach         int64
	Authors       int
	NegativeShare float64
	Velocity      float64
	TopPosts      []topPostView
	Languages     []countView
	Categories    []countView
}

type countView struct {
	Name string
	N    int
}

func sortedCounts(m map[string]int, label func(string) string) []countView {
	out := make([]countView, 0, len(m))
	for k, n := range m {
		out = append(out, countView{Name: label(k), N: n})
	}
	slices.SortFunc(out, func(a, b countView) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

type deliveryView struct {
	Step      int
	Recipient string
	Channel   string
	State     string
	Attempts  int
	LastError string
	At        time.Time
}

type alertBody struct {
	Alert        alertView
	Explanation  *explanationView
	Deliveries   []deliveryView
	Escalations  []escalationView
	CanHandle    bool
	SilenceHours int
}

func (s *Server) alertPage(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	a, err := s.deps.Alerts.AlertByID(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	if err != nil {
		s.log.Error("alert page", "alert", r.PathValue("id"), "err", err)
		s.serverError(w, r, v)
		return
	}
	at, err := s.alertTexts(ctx, v.lang)
	if err != nil {
		s.log.Error("alert page", "alert", a.ID, "err", err)
		s.serverError(w, r, v)
		return
	}
	ns, err := s.deps.Alerts.NotificationsByAlert(ctx, a.ID)
	if err != nil {
		s.log.Error("alert deliveries", "alert", a.ID, "err", err)
		s.serverError(w, r, v)
		return
	}
	body := alertBody{Alert: s.alertView(a, at), CanHandle: v.id.Can(auth.HandleAlerts), SilenceHours: 4}
	t := func(k string) string { return s.msgs.text(v.lang, k) }
	if ex := decodeExplanation(a.Explanation); ex != nil {
		text := ex.Text[v.lang]
		if text == "" {
			text = a.Summary
		}
		body.Explanation = &explanationView{
			Text: text, WindowMinutes: ex.WindowMinutes, Observed: ex.Observed, Expected: ex.Expected, PValue: ex.PValue,
			Warmup: ex.Warmup, Reach: ex.Reach, Authors: ex.Authors, NegativeShare: ex.NegativeShare, Velocity: ex.Velocity,
			TopPosts:   s.topPosts(ctx, a.ID, ex.TopPosts),
			Languages:  sortedCounts(ex.Languages, func(l string) string { return t("lang." + l) }),
			Categories: sortedCounts(ex.Categories, func(c string) string { return t("category." + c) }),
		}
	}
	for _, n := range ns {
		at := n.UpdatedAt
		if !n.DeliveredAt.IsZero() {
			at = n.DeliveredAt
		}
		body.Deliveries = append(body.Deliveries, deliveryView{Step: n.Step, Recipient: n.Recipient, Channel: n.Channel,
			State: n.State, Attempts: n.Attempts, LastError: redactURLs(n.LastError), At: at})
	}
	body.Escalations = s.escalationViews(ctx, a.ID)
	p := s.newPage(r, v, "alert.title", "alerts", body)
	p.Notice = alertNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "alerts_detail", p)
}

// alertAction loads the alert of a POST, runs do on it, tells the live pages and returns to the alert.
func (s *Server) alertAction(w http.ResponseWriter, r *http.Request, v *visit, done string, do func(ctx context.Context, a store.Alert, by string, now time.Time) error) {
	ctx := r.Context()
	a, err := s.deps.Alerts.AlertByID(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	if err == nil {
		err = do(ctx, a, v.id.User.Email, s.deps.Clock.Now())
	}
	if errors.Is(err, errBadSilence) {
		s.renderError(w, r, v, http.StatusUnprocessableEntity, "alerts.bad_hours")
		return
	}
	if err != nil {
		s.log.Error("alert action", "alert", a.ID, "action", done, "err", err)
		s.serverError(w, r, v)
		return
	}
	s.publishAlert(ctx, a.ID)
	http.Redirect(w, r, "/alerts/"+a.ID+"?done="+done, http.StatusSeeOther)
}

// publishAlert pushes the stored state of an alert to the live pages.
func (s *Server) publishAlert(ctx context.Context, id string) {
	if s.deps.AlertHub == nil {
		return
	}
	a, err := s.deps.Alerts.AlertByID(ctx, id)
	if err != nil {
		s.log.Error("publish alert", "alert", id, "err", err)
		return
	}
	s.deps.AlertHub.Publish(a)
}

// stopPaging ends an alert's escalation; an alert that paged nobody has none to stop.
func (s *Server) stopPaging(ctx context.Context, id, state, by string, now time.Time) error {
	err := s.deps.Alerts.StopEscalation(ctx, id, state, by, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

func (s *Server) alertAcknowledge(w http.ResponseWriter, r *http.Request, v *visit) {
	s.alertAction(w, r, v, "acknowledged", func(ctx context.Context, a store.Alert, by string, now time.Time) error {
		if err := s.deps.Alerts.AcknowledgeAlert(ctx, a.ID, by, now); err != nil {
			return err
		}
		s.incidentsAcknowledged(ctx, a.ID, by)
		return s.stopPaging(ctx, a.ID, store.EscalationAcked, by, now)
	})
}

func (s *Server) alertResolve(w http.ResponseWriter, r *http.Request, v *visit) {
	s.alertAction(w, r, v, "resolved", func(ctx context.Context, a store.Alert, by string, now time.Time) error {
		if err := s.deps.Alerts.ResolveAlert(ctx, a.ID, by, now); err != nil {
			return err
		}
		return s.stopPaging(ctx, a.ID, store.EscalationResolved, by, now)
	})
}

var errBadSilence = errors.New("web: silence hours out of range")

// alertSilence silences the alert's monitor, or only its kind on that monitor, for N hours.
func (s *Server) alertSilence(w http.ResponseWriter, r *http.Request, v *visit) {
	s.alertAction(w, r, v, "silenced", func(ctx context.Context, a store.Alert, by string, now time.Time) error {
		hours, err := strconv.Atoi(r.PostFormValue("hours"))
		if err != nil || hours < 1 || hours > maxSilenceHours {
			return errBadSilence
		}
		si := store.Silence{ID: newSilenceID(now), Monitor: a.Monitor, Start: now, End: now.Add(time.Duration(hours) * time.Hour),
			Comment: strings.TrimSpace(r.PostFormValue("comment")), CreatedBy: by, CreatedAt: now}
		if r.PostFormValue("scope") == "kind" {
			si.Kind = a.Kind
		}
		if len(si.Comment) > 500 {
			si.Comment = si.Comment[:500]
		}
		if err := s.deps.Alerts.CreateSilence(ctx, si); err != nil {
			return err
		}
		if s.deps.Silencer == nil {
			return nil
		}
		return s.deps.Silencer.AddSilence(alert.Silence{ID: si.ID, Monitor: si.Monitor, Kind: si.Kind, Start: si.Start, End: si.End, Comment: si.Comment})
	})
}

// silenceEnd ends a silence now, in the store and in the running alert manager, which replaces a
// silence by its id.
func (s *Server) silenceEnd(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	id := r.PathValue("id")
	now := s.deps.Clock.Now()
	err := s.deps.Alerts.ExpireSilence(ctx, id, now)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return
	}
	if err == nil && s.deps.Silencer != nil {
		// The silence as stored now, ended, replaces the manager's copy.
		var sil []store.Silence
		sil, err = s.deps.Alerts.Silences(ctx, now.Add(-time.Nanosecond))
		for _, si := range sil {
			if si.ID != id || err != nil {
				continue
			}
			// The manager keeps no silence that ends before it starts; one that ended just now, before
			// it began or as it began, covers nothing from now on, which is what ending it means.
			if !si.End.After(si.Start) {
				si.Start = si.End.Add(-time.Nanosecond)
			}
			err = s.deps.Silencer.AddSilence(alert.Silence{ID: si.ID, Monitor: si.Monitor, Kind: si.Kind, Start: si.Start, End: si.End, Comment: si.Comment})
		}
	}
	if err != nil {
		s.log.Error("end silence", "silence", id, "err", err)
		s.serverError(w, r, v)
		return
	}
	http.Redirect(w, r, "/alerts?done=unsilenced", http.StatusSeeOther)
}

func newSilenceID(now time.Time) string {
	b := make([]byte, 6)
	rand.Read(b) // never fails (crypto/rand)
	return "s" + strconv.FormatInt(now.UnixNano(), 36) + "-" + hex.EncodeToString(b)
}

// alertEvents streams alert changes to a live alert page as server-sent events: one "alert" event per
// change, with the alert as JSON in the visitor's language, and a comment every sseHeartbeat. It ends
// when the browser goes away, when the hub drops a subscriber that fell behind, or when the server
// shuts down and closes the hub.
func (s *Server) alertEvents(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.AlertHub == nil {
		s.notFound(w, r, v)
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for ordinary requests; a stream lives as long as its page.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.log.Warn("event stream: clear write deadline", "err", err)
	}
	ch, cancel := s.deps.AlertHub.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n: connected\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ctx := r.Context()
	at, err := s.alertTexts(ctx, v.lang)
	if err != nil {
		s.log.Error("event stream", "err", err)
		return
	}
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case a, ok := <-ch:
			if !ok {
				return
			}
			if _, known := at.monitors[a.Monitor]; !known {
				// A monitor created since the stream began: read the names again.
				if fresh, err := s.alertTexts(ctx, v.lang); err == nil {
					at = fresh
				}
			}
			b, err := json.Marshal(s.alertView(a, at))
			if err != nil {
				s.log.Error("event stream: encode alert", "alert", a.ID, "err", err)
				continue
			}
			if _, err := fmt.Fprintf(w, "event: alert\nid: %s\ndata: %s\n\n", a.ID, b); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// apiAlerts is GET /api/v1/alerts: open alerts and those resolved in the last 7 days, optionally of
// one monitor.
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && status != store.AlertOpen && status != store.AlertResolved {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "status must be open or resolved", Parameter: "status"})
		return
	}
	as, err := s.listAlerts(ctx, q.Get("monitor"))
	if err != nil {
		s.log.Error("api alerts", "err", err)
		s.serverError(w, r, v)
		return
	}
	at, err := s.alertTexts(ctx, "en")
	if err != nil {
		s.log.Error("api alerts", "err", err)
		s.serverError(w, r, v)
		return
	}
	out := []apiAlert{}
	for _, a := range as {
		if status == "" || a.Status == status {
			out = append(out, apiAlertOf(a, at))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": out})
}

// apiAlert is an alert in the JSON API: the stored fields and the explanation, with no translated
// labels.
type apiAlert struct {
	ID          string             `json:"id"`
	Monitor     string             `json:"monitor"`
	MonitorName string             `json:"monitor_name"`
	Kind        string             `json:"kind"`
	Severity    string             `json:"severity"`
	Status      string             `json:"status"`
	Summary     string             `json:"summary"`
	PostIDs     []string           `json:"post_ids"`
	OpenedAt    time.Time          `json:"opened_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	ResolvedAt  time.Time          `json:"resolved_at,omitzero"`
	ResolvedBy  string             `json:"resolved_by,omitempty"`
	AckedBy     string             `json:"acked_by,omitempty"`
	AckedAt     time.Time          `json:"acked_at,omitzero"`
	Explanation *alert.Explanation `json:"explanation,omitempty"`
}

func apiAlertOf(a store.Alert, at alertTexts) apiAlert {
	return apiAlert{ID: a.ID, Monitor: a.Monitor, MonitorName: at.monitors[a.Monitor], Kind: a.Kind, Severity: a.Severity,
		Status: a.Status, Summary: a.Summary, PostIDs: a.PostIDs, OpenedAt: a.OpenedAt, UpdatedAt: a.UpdatedAt,
		ResolvedAt: a.ResolvedAt, ResolvedBy: a.ResolvedBy, AckedBy: a.AckedBy, AckedAt: a.AckedAt,
		Explanation: decodeExplanation(a.Explanation)}
}
