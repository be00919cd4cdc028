package slack_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/notify/slack"
)

// TestFollowUpsAreOneLine: an update or a resolution is one short line with a link, mentioning nobody.
func TestFollowUpsAreOneLine(t *testing.T) {
	follow := func(status, lang string) notify.Message {
		m := message(lang, "")
		m.Status, m.Step, m.AckLink, m.InReplyTo = status, -2, "", "k0"
		return m
	}
	tests := []struct {
		name    string
		flavour string
		msg     notify.Message
		want    string
	}{
		{"slack update", slack.Slack, follow("updated", "en"),
			`{"text": "Update: [high] crisisdesk: 120 posts &lt;@channel&gt; &amp; more · <https://c.example.org/alerts/al-1|Open the alert>"}`},
		{"mattermost resolution in Dutch", slack.Mattermost, follow("resolved", "nl"),
			`{"text": "Opgelost: [hoog] crisisdesk: 120 posts <@channel> & more · [Melding openen](https://c.example.org/alerts/al-1)"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := notifytest.NewReceiver(t, nil)
			w, err := slack.New(slack.Config{URL: rc.URL + "/services/T000/B000/XXXX", Flavour: tt.flavour}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Notify(t.Context(), tt.msg); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			reqs := rc.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if got, want := decode(t, reqs[0].Body), decode(t, []byte(tt.want)); !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("payload:\n%s", g)
			}
		})
	}
}
