package alert

import (
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// A negative spike from the drift detector says that it is a sustained rise, of which series, in both
// languages; a window negative spike does not.
func TestSustainedTexts(t *testing.T) {
	for _, tt := range []struct {
		series, en, nl string
	}{
		{"complaints", "sustained rise: 34 complaints over the last 75 min", "aanhoudende stijging: 34 klachten in de laatste 75 min"},
		{"negative", "sustained rise: 34 negative posts over the last 75 min", "aanhoudende stijging: 34 negatieve berichten in de laatste 75 min"},
	} {
		s := detect.Signal{Kind: detect.NegativeSpike, Window: 75 * time.Minute, Observed: 34, Expected: 11.2, PValue: 3e-6,
			NegShare: 0.52, ExpectedNeg: 0.27, Sustained: true, Series: tt.series}
		en, nl := Summary(&s, "en"), Summary(&s, "nl")
		if !strings.HasPrefix(en, tt.en) || !strings.Contains(en, "11.2 expected, 52% of posts where 27% is usual (p=3e-06)") {
			t.Errorf("en %q, want it to start %q and give the figures", en, tt.en)
		}
		if !strings.HasPrefix(nl, tt.nl) || !strings.Contains(nl, "11.2 verwacht, 52% van de berichten waar 27% gewoon is") {
			t.Errorf("nl %q, want it to start %q and give the figures", nl, tt.nl)
		}
	}
	plain := detect.Signal{Kind: detect.NegativeSpike, Window: 10 * time.Minute, Observed: 12, Expected: 2, NegShare: 0.6, ExpectedNeg: 0.2}
	if s := Summary(&plain, "en"); strings.Contains(s, "sustained") {
		t.Errorf("window negative spike %q says sustained", s)
	}
}

// The explanation keeps each top post's platform, so the alert page can look the post up.
func TestExplanationTopPostPlatform(t *testing.T) {
	s := sig("m1", detect.VolumeSpike, 20, 4, 1000)
	s.Top = []detect.PostRef{{ID: "p1", Platform: "mastodon", Reach: 900}, {ID: "p2", Reach: 10}}
	evs := runSteps(t, DefaultConfig(), []step{{at: time.Minute, sig: s}}, time.Minute)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	got := evs[0].Explanation.TopPosts
	if len(got) != 2 || got[0] != (TopPost{ID: "p1", Platform: "mastodon", Reach: 900}) || got[1] != (TopPost{ID: "p2", Reach: 10}) {
		t.Errorf("top posts %+v", got)
	}
}
