package campaign

import (
	"strconv"
	"testing"
	"time"
)

func TestSignSimilarity(t *testing.T) {
	sg := NewSigner()
	base := "Dit bedrijf steelt van gewone klanten en de media zwijgen erover, lees het bewijs"
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"identical", base, base, 1, 1},
		{"an opener added", base, "Deel dit! " + base, 0.6, 1},
		{"case, accents and a link do not matter", base, "DIT BEDRIJF stéélt van gewone klanten en de media zwijgen erover, lees het bewijs https://x.example/a", 0.9, 1},
		{"different texts", base, "Vanmiddag lekker gefietst langs de kust, prachtig weer en een ijsje gehaald", 0, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := sg.Sign(tt.a), sg.Sign(tt.b)
			if !a.Valid || !b.Valid {
				t.Fatal("signature of a full sentence is not valid")
			}
			if got := similarity(&a.mins, &b.mins); got < tt.min || got > tt.max {
				t.Errorf("similarity = %.2f, want between %.2f and %.2f", got, tt.min, tt.max)
			}
		})
	}
	if s := sg.Sign("lol +1"); s.Valid {
		t.Error("a two-word post got a valid signature; short posts all look alike")
	}
	if s := sg.Sign("lees dit https://Bewijs.example/pagina/?utm=1 nu meteen even"); len(s.Links) != 1 || s.Links[0] != "bewijs.example/pagina" {
		t.Errorf("links = %q, want the normalised bewijs.example/pagina", s.Links)
	}
}

func TestTracker(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	young := start.Add(-3 * 24 * time.Hour)
	old := start.AddDate(-4, 0, 0)
	text := "Dit bedrijf steelt van gewone klanten en de media zwijgen erover, lees het bewijs"
	link := " https://bewijs.example/x?n="
	tests := []struct {
		name     string
		n        int
		created  time.Time
		withLink bool
		gap      time.Duration
		sameUser bool
		wantAt   int // index of the post at which the cluster first fires; -1 never
	}{
		{"young accounts with one link", 8, young, true, time.Minute, false, 3},
		{"young accounts without a link", 8, young, false, time.Minute, false, 3},
		{"established accounts sharing a link", 8, old, true, time.Minute, false, 4},
		{"established accounts, no link: people say the same thing", 30, old, false, 10 * time.Second, false, -1},
		{"one account repeating itself", 10, young, true, time.Minute, true, -1},
		{"too slow: each post after the window closed", 8, young, true, 20 * time.Minute, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(DefaultConfig())
			sg := NewSigner()
			fired := -1
			for i := range tt.n {
				s := text
				if tt.withLink {
					s += link + strconv.Itoa(i)
				}
				sig := sg.Sign(s)
				author := "acct" + strconv.Itoa(i)
				if tt.sameUser {
					author = "acct"
				}
				c, ok := tr.Add(Post{ID: "p" + strconv.Itoa(i), Author: author, AuthorCreated: &tt.created,
					At: start.Add(time.Duration(i) * tt.gap), Sig: &sig})
				if ok && fired < 0 {
					fired = i
					if c.Accounts != i+1 || len(c.PostIDs) != i+1 {
						t.Errorf("cluster at post %d has %d accounts and %d posts, want %d", i, c.Accounts, len(c.PostIDs), i+1)
					}
				}
			}
			if fired != tt.wantAt {
				t.Errorf("fired at post %d, want %d", fired, tt.wantAt)
			}
		})
	}
}

func TestTrackerBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxClusters = 100
	tr := NewTracker(cfg)
	sg := NewSigner()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 1000 {
		sig := sg.Sign("unique post " + strconv.Itoa(i) + " with words " + strconv.Itoa(i*31) + " and " + strconv.Itoa(i*977) + " more " + strconv.Itoa(i*7))
		tr.Add(Post{ID: strconv.Itoa(i), Author: strconv.Itoa(i), At: start.Add(time.Duration(i) * time.Second), Sig: &sig})
	}
	if tr.Open() > 100 {
		t.Errorf("%d clusters open, want at most 100", tr.Open())
	}
	sig := sg.Sign("one more unique post to trigger the sweep after the window has passed")
	tr.Add(Post{ID: "late", Author: "late", At: start.Add(2 * time.Hour), Sig: &sig})
	if tr.Open() != 1 {
		t.Errorf("%d clusters open two hours later, want only the new one", tr.Open())
	}
}
