package escalate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

var (
	t0     = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	secret = []byte("an-acknowledge-secret-of-32-bytes!")
	anna   = Recipient{ID: "anna", Name: "Anna de Vries", Lang: "nl", Contacts: []Contact{{"email", "anna@example.org"}, {"slack", "U0ANNA"}}}
	bram   = Recipient{ID: "bram", Name: "Bram", Lang: "en", Contacts: []Contact{{"email", "bram@example.org"}}}
)

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.BaseURL = "https://crisis.example.org/"
	cfg.Secret = secret
	return cfg
}

// A script line: at a moment in simulated time, something happens.
type act struct {
	at  time.Duration
	do  string // fire, update, resolve, ack (by who), restart
	who string
}

type rig struct {
	t      *testing.T
	path   string
	store  *sqlite.Store
	clock  *clock.Sim
	engine *Engine
	router Router
}

func newRig(t *testing.T, router Router) *rig {
	r := &rig{t: t, path: filepath.Join(t.TempDir(), "crisisdesk.db"), clock: clock.NewSim(t0), router: router}
	r.restart()
	return r
}

// restart closes the store and opens it again with a new engine, as a restarted process would.
func (r *rig) restart() {
	r.t.Helper()
	if r.store != nil {
		if err := r.store.Close(); err != nil {
			r.t.Fatal(err)
		}
	}
	s, err := sqlite.Open(r.t.Context(), r.path, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { s.Close() })
	e, err := New(testConfig(), s, r.router, nil, r.clock, nil, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.store, r.engine = s, e
}

func event(status string) alert.Event {
	return alert.Event{At: t0, AlertID: "al-1", Monitor: "bank", Kind: "volume_spike", Severity: alert.High,
		Summary: "120 posts in 10 min", Status: status,
		Explanation: &alert.Explanation{Text: map[string]string{"nl": "120 berichten in 10 min", "en": "120 posts in 10 min"}}}
}

// ackLink returns the acknowledge token of the latest notification to who.
func (r *rig) ackToken(who string) string {
	r.t.Helper()
	ns, err := r.store.NotificationsByAlert(r.t.Context(), "al-1")
	if err != nil {
		r.t.Fatal(err)
	}
	for _, n := range slices.Backward(ns) {
		if n.Recipient != who {
			continue
		}
		var m notify.Message
		if err := json.Unmarshal(n.Payload, &m); err != nil {
			r.t.Fatal(err)
		}
		_, token, ok := strings.Cut(m.AckLink, "/ack/")
		if !ok {
			r.t.Fatalf("no ack link in %+v", m)
		}
		return token
	}
	r.t.Fatalf("%s was never notified", who)
	return ""
}

func (r *rig) play(script []act, until time.Duration) {
	r.t.Helper()
	ctx := r.t.Context()
	for now := time.Duration(0); now <= until; now += time.Second {
		r.clock.Set(t0.Add(now))
		for _, a := range script {
			if a.at != now {
				continue
			}
			var err error
			switch a.do {
			case "fire":
				err = r.engine.Handle(ctx, event(alert.Firing))
			case "update":
				err = r.engine.Handle(ctx, event(alert.Updated))
			case "resolve":
				err = r.engine.Handle(ctx, event(alert.Resolved))
			case "ack":
				_, err = r.engine.Acknowledge(ctx, r.ackToken(a.who), a.who+" via test")
			case "restart":
				r.restart()
			default:
				r.t.Fatalf("unknown act %q", a.do)
			}
			if err != nil {
				r.t.Fatalf("%v %s: %v", a.at, a.do, err)
			}
		}
		if _, err := r.engine.Tick(ctx); err != nil {
			r.t.Fatalf("tick at %v: %v", now, err)
		}
	}
}

// fired lists the notifications as "at step recipient channel", at relative to t0.
func (r *rig) fired() []string {
	r.t.Helper()
	ns, err := r.store.NotificationsByAlert(r.t.Context(), "al-1")
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%v s%d %s %s", n.CreatedAt.Sub(t0), n.Step, n.Recipient, n.Channel))
	}
	slices.Sort(out)
	return out
}

func TestEscalationTimeline(t *testing.T) {
	twoSteps := Policy{Name: "crisis", Repeat: 2, Steps: []Step{
		{Recipients: []Recipient{anna}, Channels: []string{"email", "slack"}, Wait: 5 * time.Minute},
		{Recipients: []Recipient{bram}, Channels: []string{"email", "slack"}, Wait: 10 * time.Minute},
	}}
	tests := []struct {
		name      string
		policy    Policy
		noRoute   bool
		script    []act
		until     time.Duration
		want      []string
		wantState string
		wantBy    string
	}{
		{
			name: "no ack after 5m: the next step; an ack at 6m stops it", policy: twoSteps,
			script: []act{{0, "fire", ""}, {6 * time.Minute, "ack", "bram"}}, until: 35 * time.Minute,
			// bram has no slack contact, so he gets e-mail only.
			want:      []string{"0s s0 anna email", "0s s0 anna slack", "5m0s s1 bram email"},
			wantState: store.EscalationAcked, wantBy: "bram",
		},
		{
			name: "an ack within the wait: nothing more", policy: twoSteps,
			script: []act{{0, "fire", ""}, {4*time.Minute + 59*time.Second, "ack", "anna"}}, until: 35 * time.Minute,
			want:      []string{"0s s0 anna email", "0s s0 anna slack"},
			wantState: store.EscalationAcked, wantBy: "anna",
		},
		{
			name: "nobody answers: the policy repeats, then stops", policy: twoSteps,
			script: []act{{0, "fire", ""}}, until: 35 * time.Minute,
			want: []string{"0s s0 anna email", "0s s0 anna slack", "15m0s s2 anna email", "15m0s s2 anna slack",
				"20m0s s3 bram email", "5m0s s1 bram email"},
			wantState: store.EscalationExhausted,
		},
		{
			name: "resolution stops it", policy: twoSteps,
			script: []act{{0, "fire", ""}, {3 * time.Minute, "resolve", ""}}, until: 35 * time.Minute,
			// Anna hears once that it is over, where she was paged.
			want:      []string{"0s s0 anna email", "0s s0 anna slack", "3m0s s-1 anna email", "3m0s s-1 anna slack"},
			wantState: store.EscalationResolved, wantBy: "resolved",
		},
		{
			name: "restarts continue where it was and fire nothing twice", policy: twoSteps,
			script: []act{{0, "fire", ""}, {2 * time.Minute, "restart", ""}, {5 * time.Minute, "restart", ""},
				{7 * time.Minute, "restart", ""}, {16 * time.Minute, "ack", "anna"}},
			until:     35 * time.Minute,
			want:      []string{"0s s0 anna email", "0s s0 anna slack", "15m0s s2 anna email", "15m0s s2 anna slack", "5m0s s1 bram email"},
			wantState: store.EscalationAcked, wantBy: "anna",
		},
		{
			name: "firing again and updates do not restart it; an update tells those paged", policy: twoSteps,
			script: []act{{0, "fire", ""}, {time.Minute, "update", ""}, {2 * time.Minute, "fire", ""}, {6 * time.Minute, "ack", "anna"}},
			until:  35 * time.Minute,
			want: []string{"0s s0 anna email", "0s s0 anna slack", "1m0s s-2 anna email", "1m0s s-2 anna slack",
				"5m0s s1 bram email"},
			wantState: store.EscalationAcked, wantBy: "anna",
		},
		{
			name: "resolution after an ack still closes the loop, once", policy: twoSteps,
			script: []act{{0, "fire", ""}, {6 * time.Minute, "ack", "bram"}, {10 * time.Minute, "resolve", ""},
				{11 * time.Minute, "resolve", ""}},
			until: 35 * time.Minute,
			want: []string{"0s s0 anna email", "0s s0 anna slack", "10m0s s-1 anna email", "10m0s s-1 anna slack",
				"10m0s s-1 bram email", "5m0s s1 bram email"},
			wantState: store.EscalationAcked, wantBy: "bram",
		},
		{
			name: "an alert without a route pages nobody", policy: twoSteps, noRoute: true,
			script: []act{{0, "fire", ""}}, until: 35 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return tt.policy, !tt.noRoute }))
			r.play(tt.script, tt.until)
			if got := r.fired(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("notifications:\n got %q\nwant %q", got, tt.want)
			}
			esc, err := r.store.EscalationByAlert(t.Context(), "al-1")
			if tt.noRoute {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("escalation without a route: %+v, %v", esc, err)
				}
				return
			}
			if err != nil || esc.State != tt.wantState || esc.StoppedBy != tt.wantBy {
				t.Errorf("escalation = %s by %q (%v), want %s by %q", esc.State, esc.StoppedBy, err, tt.wantState, tt.wantBy)
			}
		})
	}
}

func TestMessagesAreInTheRecipientsLanguage(t *testing.T) {
	p := Policy{Name: "p", Steps: []Step{{Recipients: []Recipient{anna, bram}, Channels: []string{"email"}, Wait: time.Minute}}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	r.play([]act{{0, "fire", ""}}, 0)
	ns, err := r.store.NotificationsByAlert(t.Context(), "al-1")
	if err != nil || len(ns) != 2 {
		t.Fatalf("notifications: %v %v", ns, err)
	}
	want := map[string][3]string{
		"anna": {"nl", "120 berichten in 10 min", "anna@example.org"},
		"bram": {"en", "120 posts in 10 min", "bram@example.org"},
	}
	for _, n := range ns {
		var m notify.Message
		if err := json.Unmarshal(n.Payload, &m); err != nil {
			t.Fatal(err)
		}
		w := want[n.Recipient]
		if m.Lang != w[0] || m.Summary != w[1] || m.To != w[2] || m.Link != "https://crisis.example.org/alerts/al-1" ||
			!strings.HasPrefix(m.AckLink, "https://crisis.example.org/ack/") || !m.AckExpires.Equal(t0.Add(24*time.Hour)) ||
			m.Severity != "high" || m.Status != "firing" {
			t.Errorf("message to %s: %+v", n.Recipient, m)
		}
	}
}

func TestAcknowledge(t *testing.T) {
	p := Policy{Name: "p", Steps: []Step{{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: time.Minute}}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	r.play([]act{{0, "fire", ""}}, 0)
	good := r.ackToken("anna")
	payload, sig, _ := strings.Cut(good, ".")
	forged := signToken([]byte("another-secret-that-is-32-bytes-long"), tokenClaims{Alert: "al-1", Recipient: "anna", Expires: t0.Add(time.Hour).Unix()})
	otherAlert := signToken(secret, tokenClaims{Alert: "al-2", Recipient: "anna", Expires: t0.Add(time.Hour).Unix()})
	steps := []struct {
		name    string
		advance time.Duration
		token   string
		wantErr error
	}{
		{"tampered signature", 0, payload + "." + strings.Repeat("A", len(sig)), ErrTokenInvalid},
		{"payload from another token", 0, strings.Split(otherAlert, ".")[0] + "." + sig, ErrTokenInvalid},
		{"signed with another secret", 0, forged, ErrTokenInvalid},
		{"garbage", 0, "not-a-token", ErrTokenInvalid},
		{"empty", 0, "", ErrTokenInvalid},
		{"valid, 2 minutes later", 2 * time.Minute, good, nil},
		{"used again", time.Minute, good, ErrTokenUsed},
		{"another alert's link still works", 0, otherAlert, nil},
	}
	for _, st := range steps {
		r.clock.Advance(st.advance)
		a, err := r.engine.Acknowledge(t.Context(), st.token, "198.51.100.7")
		if !errors.Is(err, st.wantErr) || (st.wantErr == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", st.name, err, st.wantErr)
			continue
		}
		if err == nil && (a.Recipient != "anna" || a.By != "198.51.100.7" || a.At != r.clock.Now()) {
			t.Errorf("%s: ack = %+v", st.name, a)
		}
	}
	acks, err := r.store.AcksByAlert(t.Context(), "al-1")
	if err != nil || len(acks) != 1 || !acks[0].At.Equal(t0.Add(2*time.Minute)) || acks[0].By != "198.51.100.7" {
		t.Errorf("recorded acks = %+v, %v; want one, by 198.51.100.7 at +2m", acks, err)
	}
	esc, err := r.store.EscalationByAlert(t.Context(), "al-1")
	if err != nil || esc.State != store.EscalationAcked || esc.StoppedBy != "anna" {
		t.Errorf("escalation = %+v, %v", esc, err)
	}
}

func TestAcknowledgeLinkExpires(t *testing.T) {
	p := Policy{Name: "p", Steps: []Step{{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: time.Minute}}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	r.play([]act{{0, "fire", ""}}, 0)
	token := r.ackToken("anna")
	r.clock.Advance(24 * time.Hour)
	if _, err := r.engine.Acknowledge(t.Context(), token, "x"); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("after 24h: err = %v, want ErrTokenExpired", err)
	}
}

// crashingOutbox fails AdvanceEscalation once, as a process killed between enqueueing a step's
// notifications and recording the step would.
type crashingOutbox struct {
	Outbox
	crashes int
}

func (c *crashingOutbox) AdvanceEscalation(ctx context.Context, alertID, key string, from, to int, next time.Time, state string, at time.Time) error {
	if c.crashes > 0 {
		c.crashes--
		return errors.New("killed before recording the step")
	}
	return c.Outbox.AdvanceEscalation(ctx, alertID, key, from, to, next, state, at)
}

func TestCrashBetweenEnqueueAndAdvanceFiresOnce(t *testing.T) {
	p := Policy{Name: "p", Steps: []Step{
		{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: 5 * time.Minute},
		{Recipients: []Recipient{bram}, Channels: []string{"email"}, Wait: 5 * time.Minute},
	}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	ob := &crashingOutbox{Outbox: r.store, crashes: 1}
	e, err := New(testConfig(), ob, r.router, nil, r.clock, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Handle(t.Context(), event(alert.Firing)); err == nil {
		t.Fatal("the simulated crash did not surface")
	}
	// The restarted engine finds step 0 still due and fires it again; the outbox keeps one copy.
	r.clock.Advance(time.Second)
	if n, err := r.engine.Tick(t.Context()); err != nil || n != 1 {
		t.Fatalf("Tick after the crash = %d, %v", n, err)
	}
	r.clock.Advance(5 * time.Minute)
	if _, err := r.engine.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{"0s s0 anna email", "5m1s s1 bram email"}
	if got := r.fired(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notifications = %q, want %q", got, want)
	}
}

func TestPolicyValidate(t *testing.T) {
	ok := Step{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: time.Minute}
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"valid", Policy{Name: "p", Steps: []Step{ok}}, ""},
		{"no steps", Policy{Name: "p"}, "has no steps"},
		{"zero wait", Policy{Name: "p", Steps: []Step{ok, {Recipients: ok.Recipients, Channels: ok.Channels}}}, "steps[1].wait must be > 0"},
		{"no channels", Policy{Name: "p", Steps: []Step{{Recipients: ok.Recipients, Wait: time.Minute}}}, "steps[0] needs recipients and channels"},
		{"recipient without id", Policy{Name: "p", Steps: []Step{{Recipients: []Recipient{{Name: "x"}}, Channels: ok.Channels, Wait: time.Minute}}}, "recipients[0] has no id"},
		{"negative repeat", Policy{Name: "p", Steps: []Step{ok}, Repeat: -1}, "repeat -1"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: Validate = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add(signToken(secret, tokenClaims{Alert: "al-1", Recipient: "anna", Expires: t0.Add(time.Hour).Unix()}))
	f.Add("e30.AAAA")
	f.Add(".")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := parseToken(secret, token, t0)
		if err != nil {
			return
		}
		// Whatever parses was signed with this secret and no other.
		if _, err := parseToken([]byte("a different secret of 32 bytes!!"), token, t0); err == nil {
			t.Fatalf("token %q verifies under two secrets", token)
		}
		if c.Alert == "" || c.Recipient == "" || !t0.Before(time.Unix(c.Expires, 0)) {
			t.Fatalf("parsed claims %+v break the rules", c)
		}
	})
}
