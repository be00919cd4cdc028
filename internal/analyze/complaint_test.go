package analyze

import "testing"

func TestComplaint(t *testing.T) {
	a := mustAnalyzer(t)
	tests := []struct {
		lang, text string
		want       bool
	}{
		{"nl", "@KPN al 3 dagen geen internet en nog steeds geen reactie. Ik wil mijn geld terug!", true},
		{"nl", "@NS waar blijft mijn terugbetaling? Al twee weken gewacht, schandalig", true},
		{"nl", "@bol mijn pakket is nog steeds niet geleverd, klantenservice onbereikbaar", true},
		{"nl", "@Ziggo storing in Utrecht?? al 2 uur geen internet en tv", true},
		{"nl", "Dank je wel @AH voor de snelle hulp, top service!", false},
		{"nl", "Mooie zonsondergang vanavond aan zee", false},
		{"en", "@united you lost my bag and nobody responds. I want a refund!", true},
		{"en", "@AmazonHelp my order still hasn't arrived after 2 weeks, this is unacceptable", true},
		{"en", "@Apple my iPhone keeps crashing since the update, please fix this", true},
		{"en", "Thanks @Delta for the upgrade, lovely flight!", false},
		{"en", "Congrats to the team on the new store opening", false},
	}
	for _, tt := range tests {
		got := a.AnnotateText("c", tt.text, tt.lang)
		if got.Complaint != tt.want {
			t.Errorf("complaint(%q) = %v (%.2f), want %v", tt.text, got.Complaint, got.ComplaintScore, tt.want)
		}
		if got.ComplaintScore < 0 || got.ComplaintScore > 1 {
			t.Errorf("complaint score %v outside [0, 1]", got.ComplaintScore)
		}
		if got.Complaint != (got.ComplaintScore >= complaintThreshold) {
			t.Errorf("%q: decision %v disagrees with score %v", tt.text, got.Complaint, got.ComplaintScore)
		}
	}
}

// The cue features are what carries the English-fitted weights to Dutch, so each group needs a
// Dutch and an English member that fires.
func TestComplaintCuesBothLanguages(t *testing.T) {
	a := mustAnalyzer(t)
	samples := map[string][2]string{
		"cue_problem":      {"het werkt niet", "it is not working"},
		"cue_waiting":      {"al drie dagen", "for 3 weeks"},
		"cue_contact":      {"geen reactie", "no reply"},
		"cue_demand":       {"geld terug", "refund"},
		"cue_dissatisfied": {"teleurgesteld", "disappointed"},
		"cue_money":        {"betaald", "paid"},
		"cue_praise":       {"bedankt", "thanks"},
		"cue_why":          {"waarom", "why"},
		"cue_personal":     {"mijn", "my"},
	}
	for g, rule := range complaintCueTable {
		pair, ok := samples[string(rule.cat)]
		if !ok {
			t.Errorf("no sample for cue group %s", rule.cat)
			continue
		}
		for _, s := range pair {
			sc := &scratch{}
			sc.toks = sc.tz.Tokenize(nil, s)
			a.phrases.hits(s, sc.toks, &sc.cat)
			if !sc.cat.hit[g] {
				t.Errorf("%q does not fire %s", s, rule.cat)
			}
		}
	}
}
