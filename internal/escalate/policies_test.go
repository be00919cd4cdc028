package escalate

import (
	"fmt"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

var (
	carol = Recipient{ID: "carol", Name: "Carol", Lang: "en", Contacts: []Contact{{"email", "carol@example.org"}}}
	dave  = Recipient{ID: "dave", Name: "Dave", Lang: "en", Contacts: []Contact{{"email", "dave@example.org"}}}
	erin  = Recipient{ID: "erin", Name: "Erin", Lang: "en", Contacts: []Contact{{"email", "erin@example.org"}}}
)

// Two policies chosen for one alert (the routing tree's continue): both page, each at its own pace,
// and a person in both is paged once.
func TestEveryRoutedPolicyPages(t *testing.T) {
	comms := Policy{ID: "comms", Name: "Communications", Steps: []Step{
		{Recipients: []Recipient{anna, bram}, Channels: []string{"email"}, Wait: 10 * time.Minute},
		{Recipients: []Recipient{carol}, Channels: []string{"email"}, Wait: 10 * time.Minute},
	}}
	legal := Policy{ID: "legal", Name: "Legal", Steps: []Step{
		{Recipients: []Recipient{anna, dave}, Channels: []string{"email"}, Wait: 30 * time.Minute},
		{Recipients: []Recipient{erin}, Channels: []string{"email"}, Wait: 30 * time.Minute},
	}}
	tests := []struct {
		name   string
		script []act
		want   []string
		// state of each policy's escalation at the end, by key
		wantState map[string]string
	}{
		{
			name:   "nobody answers: each policy runs its own steps to the end",
			script: []act{{0, "fire", ""}, {time.Minute, "fire", ""}},
			// Anna is in the first step of both and gets one page, not two.
			want:      []string{"0s s0 anna email", "0s s0 bram email", "0s s0 dave email", "10m0s s1 carol email", "30m0s s1 erin email"},
			wantState: map[string]string{"comms": store.EscalationExhausted, "legal": store.EscalationExhausted},
		},
		{
			name:      "an acknowledgement stops both",
			script:    []act{{0, "fire", ""}, {12 * time.Minute, "ack", "carol"}},
			want:      []string{"0s s0 anna email", "0s s0 bram email", "0s s0 dave email", "10m0s s1 carol email"},
			wantState: map[string]string{"comms": store.EscalationAcked, "legal": store.EscalationAcked},
		},
		{
			name:      "a restart between the policies' steps fires nothing twice",
			script:    []act{{0, "fire", ""}, {10 * time.Minute, "restart", ""}, {20 * time.Minute, "restart", ""}},
			want:      []string{"0s s0 anna email", "0s s0 bram email", "0s s0 dave email", "10m0s s1 carol email", "30m0s s1 erin email"},
			wantState: map[string]string{"comms": store.EscalationExhausted, "legal": store.EscalationExhausted},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, PoliciesFunc(func(alert.Event) []Policy { return []Policy{comms, legal} }))
			r.play(tt.script, 90*time.Minute)
			if got := r.fired(); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("notifications:\n got %q\nwant %q", got, tt.want)
			}
			es, err := r.store.EscalationsByAlert(t.Context(), "al-1")
			if err != nil || len(es) != 2 {
				t.Fatalf("escalations = %+v, %v; want one per policy", es, err)
			}
			for _, e := range es {
				if e.State != tt.wantState[e.PolicyKey] {
					t.Errorf("escalation %q = %s, want %s", e.PolicyKey, e.State, tt.wantState[e.PolicyKey])
				}
			}
		})
	}
}

// The escalation of one policy is timed on its own: at 10m only the first policy's second step is due.
func TestPoliciesKeepTheirOwnProgress(t *testing.T) {
	fast := Policy{Name: "fast", Steps: []Step{{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: 10 * time.Minute},
		{Recipients: []Recipient{bram}, Channels: []string{"email"}, Wait: 10 * time.Minute}}}
	// Same name twice: the keys still differ, so neither overwrites the other's progress.
	slow := Policy{Name: "fast", Steps: []Step{{Recipients: []Recipient{dave}, Channels: []string{"email"}, Wait: time.Hour}}}
	r := newRig(t, PoliciesFunc(func(alert.Event) []Policy { return []Policy{fast, slow} }))
	r.play([]act{{0, "fire", ""}}, 10*time.Minute)
	es, err := r.store.EscalationsByAlert(t.Context(), "al-1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range es {
		got[e.PolicyKey] = fmt.Sprintf("%s seq %d next %v", e.State, e.NextSeq, e.NextAt.Sub(t0))
	}
	want := map[string]string{"fast": "active seq 2 next 20m0s", "fast#2": "active seq 1 next 1h0m0s"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("progress = %v, want %v", got, want)
	}
}

func TestPolicyKeys(t *testing.T) {
	got := policyKeys([]Policy{{ID: "a"}, {Name: "b"}, {ID: "a"}, {}, {}})
	want := []string{"a", "b", "a#2", "policy", "policy#2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("policyKeys = %q, want %q", got, want)
	}
}

func TestProgressOf(t *testing.T) {
	p := Policy{ID: "comms", Name: "Communications", Repeat: 2, Steps: []Step{
		{Recipients: []Recipient{anna}, Channels: []string{"email"}, Wait: 10 * time.Minute},
		{Recipients: []Recipient{bram}, Channels: []string{"email"}, Wait: 10 * time.Minute},
	}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	r.play([]act{{0, "fire", ""}}, 15*time.Minute)
	es, err := r.store.EscalationsByAlert(t.Context(), "al-1")
	if err != nil || len(es) != 1 {
		t.Fatalf("escalations = %+v, %v", es, err)
	}
	got, err := ProgressOf(es[0])
	if err != nil || got != (Progress{Policy: "Communications", Fired: 2, Steps: 4}) {
		t.Errorf("ProgressOf = %+v, %v; want Communications, 2 of 4 fired", got, err)
	}
	es[0].Policy = []byte("{")
	if _, err := ProgressOf(es[0]); err == nil {
		t.Error("ProgressOf of an unreadable policy: no error")
	}
}
