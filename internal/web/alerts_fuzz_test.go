package web

import (
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// FuzzAlertView feeds stored alerts with any explanation, severity and kind to what the alert pages and
// the event stream make of them. The explanation is JSON written by this program, but a database is
// shared and outlives versions, so reading it must never fail the page.
func FuzzAlertView(f *testing.F) {
	f.Add([]byte(`{"observed":12,"expected":1.5,"p_value":0.0001,"warmup":true,"reach":1200,"top_posts":[{"id":"p1","reach":900}],"languages":{"nl":3},"categories":{"data_breach":2},"text":{"en":"12 posts in 15 min. top posts: p1.","nl":"12 berichten. p1."}}`), "high", "volume_spike")
	f.Add([]byte(`null`), "critical", "category:data_breach")
	f.Add([]byte(`{"text":{"en":""}}`), "bogus", "category:")
	f.Add([]byte{}, "", "")
	def, err := plan.Default()
	if err != nil {
		f.Fatal(err)
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, explanation []byte, severity, kind string) {
		a := store.Alert{ID: "a1", Monitor: "m1", Kind: kind, Severity: severity, Status: store.AlertOpen, Explanation: explanation}
		for _, lang := range languages {
			v := h.web.alertView(a, alertTexts{lang: lang, monitors: map[string]string{"m1": "Acme"}, protocol: def.Protocol})
			if v.SevLabel == "" || v.KindLabel == "" && kind != "" || v.MonitorName != "Acme" {
				t.Fatalf("%s: view %+v", lang, v)
			}
			if ex := decodeExplanation(explanation); ex != nil && ex.Text[lang] != "" && !strings.HasPrefix(ex.Text[lang], v.Summary) {
				t.Fatalf("%s: summary %q is not the start of the explanation %q", lang, v.Summary, ex.Text[lang])
			}
		}
	})
}
