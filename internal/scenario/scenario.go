// Package scenario generates labelled streams of posts for measuring detection and for drills: weeks of
// normal traffic for a few monitors with a daily and weekly rhythm, noise and harmless bursts (a TV
// advert, a weekly football match), and crises injected on top with a ground-truth onset. It also
// replays the real volume curves of the CrisisLexT26 collection. Everything is deterministic by seed.
//
// A Scenario is data: its posts in time order, the monitors to watch them with, the onset and which
// posts belong to the crisis. Run feeds it through the same pipeline as `crisisdesk replay` and scores
// the alerts.
package scenario

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// Monitor is one monitor of a scenario, in the shape of a line of the monitors file.
type Monitor struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

// Scenario is a labelled stream.
type Scenario struct {
	Name     string
	Crisis   bool      // false for normal traffic
	Onset    time.Time // ground truth: when the crisis starts; zero for normal traffic
	Target   string    // the monitor the crisis is about
	Start    time.Time // first post
	End      time.Time // the stream covers [Start, End)
	Monitors []Monitor
	Posts    []post.Post
	// CrisisPosts holds the ids of the posts that belong to the crisis.
	CrisisPosts map[string]bool
	// Note says how the onset was defined, for replayed real curves.
	Note string
}

// Config sets the size and timing of generated scenarios.
type Config struct {
	Seed    uint64
	Start   time.Time     // start of the stream; a Monday 00:00 UTC keeps the weekly rhythm readable
	History time.Duration // normal traffic before a crisis's onset
	After   time.Duration // how long a crisis scenario runs after its onset
	Rate    float64       // mean posts per hour on the main monitor at the daily peak
}

// DefaultConfig returns two weeks of history, six hours of crisis and a busy brand monitor.
func DefaultConfig() Config {
	return Config{
		Seed:    1,
		Start:   time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		History: 14 * 24 * time.Hour,
		After:   6 * time.Hour,
		Rate:    40,
	}
}

// The monitors every generated scenario uses: a busy brand and a quiet one. Posts about other things
// are mixed in and match neither.
const (
	MainMonitor  = "voltana"
	QuietMonitor = "kustbank"
	mainBrand    = "Voltana"
	quietBrand   = "Kustbank"
)

func monitors() []Monitor {
	return []Monitor{
		{ID: MainMonitor, Query: "voltana OR #voltana OR @voltana"},
		{ID: QuietMonitor, Query: "kustbank OR #kustbank OR @kustbank"},
	}
}

// Crises lists the generated crisis scenarios by name.
func Crises() []string {
	return []string{"complaint_wave", "viral_complaint", "data_leak_rumour", "press_article", "smear_campaign", "outage"}
}

// gen holds the state of one generation run.
type gen struct {
	cfg     Config
	r       *rand.Rand
	g       map[string]*grammar
	authors []post.Author
	posts   []post.Post
	crisis  map[string]bool
	next    int
}

func newGen(cfg Config, salt uint64) *gen {
	g := &gen{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, salt)), g: grammars(), crisis: map[string]bool{}}
	// Followers follow a heavy tail: most accounts have a few hundred, a handful tens of thousands.
	for i := range 6000 {
		f := int64(math.Exp(g.r.NormFloat64()*1.3 + 5.5))
		created := cfg.Start.AddDate(-1-g.r.IntN(9), -g.r.IntN(12), 0)
		g.authors = append(g.authors, post.Author{
			ID: "did:example:u" + strconv.Itoa(i), Handle: "user" + strconv.Itoa(i) + ".example.social",
			Followers: min(f, 40_000), Following: int64(50 + g.r.IntN(800)), CreatedAt: &created, Kind: "person",
		})
	}
	return g
}

// author picks an account; a few accounts post far more often than most, as on any platform.
func (g *gen) author() post.Author {
	u := g.r.Float64()
	return g.authors[int(float64(len(g.authors))*u*u)]
}

func (g *gen) id(prefix string) string {
	g.next++
	return prefix + "-" + strconv.Itoa(g.next)
}

func (g *gen) add(p post.Post, crisis bool) {
	if p.Platform == "" {
		p.Platform = []string{"bluesky", "mastodon", "x", "x", "threads"}[g.r.IntN(5)]
	}
	g.posts = append(g.posts, p)
	if crisis {
		g.crisis[p.ID] = true
	}
}

// say writes one post about brand in a random language with the given tone.
func (g *gen) say(tone, brand string) (string, string) {
	lang := "nl"
	if g.r.Float64() < 0.35 {
		lang = "en"
	}
	return g.g[tone+"_"+lang].say(g.r, brandForm(g.r, brand)), lang
}

// rhythm is the relative activity at t: quiet at night, peaks mid-morning and in the evening, calmer
// at weekends. Its mean over a week is about 0.55 of the peak.
func rhythm(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60
	day := 0.08 + 0.6*math.Exp(-sq((h-10)/2.5)) + 0.45*math.Exp(-sq((h-14)/2.5)) + 0.9*math.Exp(-sq((h-20.5)/2))
	day = min(day, 1)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		day *= 0.7
	}
	return day
}

func sq(x float64) float64 { return x * x }

// poisson draws a Poisson count (Knuth's method; the means here are small).
func (g *gen) poisson(mean float64) int {
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*g.r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// normal adds everyday traffic for [from, to): both monitors and unrelated posts, with a realistic
// mix of tones, the odd reply thread and repost, press items, and the harmless bursts.
func (g *gen) normal(from, to time.Time) {
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		rh := rhythm(t)
		for _, b := range []struct {
			brand string
			rate  float64
		}{{mainBrand, g.cfg.Rate}, {quietBrand, g.cfg.Rate / 8}, {"Fietsplaza", g.cfg.Rate / 2}} {
			n := g.poisson(b.rate * rh / 60)
			for range n {
				g.everyday(t.Add(time.Duration(g.r.Int64N(int64(time.Minute)))), b.brand)
			}
		}
		// A press item about the main brand about twice a day, neutral in tone.
		if g.r.Float64() < 2.0/1440 {
			g.add(post.Post{ID: g.id("news"), Platform: "news", CreatedAt: t, Lang: "nl",
				Text:   "Voltana maakt nieuwe tarieven bekend voor het komende kwartaal",
				Author: post.Author{ID: "press:regiokrant", Handle: "regiokrant.example", Followers: 85_000, Kind: "press"}}, false)
		}
	}
	g.harmless(from, to)
}

func (g *gen) everyday(at time.Time, brand string) {
	tone := "neutral"
	switch u := g.r.Float64(); {
	case u < 0.25:
		tone = "positive"
	case u < 0.45:
		tone = "negative"
	}
	text, lang := g.say(tone, brand)
	p := post.Post{ID: g.id("p"), CreatedAt: at, Text: text, Lang: lang, Author: g.author()}
	// About one post in twenty starts a small thread or gets a repost or two, as normal posts do.
	if g.r.Float64() < 0.05 {
		for k := range 1 + g.r.IntN(3) {
			rt := post.Post{ID: g.id("p"), CreatedAt: at.Add(time.Duration(k+1) * time.Duration(1+g.r.IntN(20)) * time.Minute),
				Text: p.Text, Lang: lang, RepostOf: p.ID, Author: g.author()}
			g.add(rt, false)
		}
	}
	g.add(p, false)
}

// harmless adds the bursts that must not raise an alert: a TV advert once a week on a random evening
// (a wave of praise), and a football match in the Voltana Stadium every Sunday afternoon (chatter that
// names the brand without being about it).
func (g *gen) harmless(from, to time.Time) {
	for week := from.Truncate(7 * 24 * time.Hour); week.Before(to); week = week.Add(7 * 24 * time.Hour) {
		ad := week.Add(time.Duration(g.r.IntN(7))*24*time.Hour + 20*time.Hour + time.Duration(g.r.IntN(60))*time.Minute)
		if !ad.Before(from) && ad.Before(to) {
			n := 150 + g.r.IntN(150)
			for i := range n {
				at := ad.Add(time.Duration(float64(time.Hour) * math.Pow(float64(i)/float64(n), 2)))
				g.add(post.Post{ID: g.id("ad"), CreatedAt: at, Text: adTalk.say(g.r, brandForm(g.r, mainBrand)), Author: g.author()}, false)
			}
		}
		match := week.Add(6*24*time.Hour + 14*time.Hour + 30*time.Minute) // weeks start on Monday
		if !match.Before(from) && match.Before(to) {
			n := 120 + g.r.IntN(80)
			for range n {
				at := match.Add(time.Duration(g.r.Int64N(int64(2 * time.Hour))))
				text := matchTalk.say(g.r, "Voltana")
				g.add(post.Post{ID: g.id("match"), CreatedAt: at, Text: text, Author: g.author()}, false)
			}
		}
	}
}

func (g *gen) finish(s *Scenario) *Scenario {
	sort.SliceStable(g.posts, func(i, j int) bool { return g.posts[i].CreatedAt.Before(g.posts[j].CreatedAt) })
	s.Posts, s.CrisisPosts = g.posts, g.crisis
	s.Monitors = monitors()
	return s
}

// Normal returns the given number of weeks of normal traffic, harmless bursts included.
func Normal(cfg Config, weeks int) *Scenario {
	g := newGen(cfg, 0)
	end := cfg.Start.Add(time.Duration(weeks) * 7 * 24 * time.Hour)
	g.normal(cfg.Start, end)
	return g.finish(&Scenario{Name: "normal", Target: MainMonitor, Start: cfg.Start, End: end})
}

// Generate returns one crisis scenario by name: History of normal traffic, then the crisis from Onset
// on top of normal traffic for After.
func Generate(name string, cfg Config) (*Scenario, error) {
	salt := uint64(0)
	for i, n := range Crises() {
		if n == name {
			salt = uint64(i + 1)
		}
	}
	if salt == 0 {
		return nil, fmt.Errorf("scenario: unknown crisis %q", name)
	}
	g := newGen(cfg, salt)
	// The onset falls on a weekday between 09:00 and 18:00, in the third week of the stream.
	day := cfg.Start.Add(cfg.History).Truncate(24 * time.Hour)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.Add(24 * time.Hour)
	}
	onset := day.Add(9*time.Hour + time.Duration(g.r.IntN(9*60))*time.Minute)
	end := onset.Add(cfg.After)
	g.normal(cfg.Start, end)
	switch name {
	case "complaint_wave":
		g.complaintWave(onset, end)
	case "viral_complaint":
		g.viralComplaint(onset, end)
	case "data_leak_rumour":
		g.dataLeak(onset, end)
	case "press_article":
		g.pressArticle(onset, end)
	case "smear_campaign":
		g.smear(onset)
	case "outage":
		g.outage(onset, end)
	}
	return g.finish(&Scenario{Name: name, Crisis: true, Onset: onset, Target: MainMonitor, Start: cfg.Start, End: end}), nil
}

// ramp adds crisis posts at a rate (per minute) that rate(t) gives, minute by minute from onset.
func (g *gen) ramp(onset, end time.Time, rate func(min float64) float64, text func() (string, string)) {
	for t := onset; t.Before(end); t = t.Add(time.Minute) {
		for range g.poisson(rate(t.Sub(onset).Minutes())) {
			s, lang := text()
			g.add(post.Post{ID: g.id("crisis"), CreatedAt: t.Add(time.Duration(g.r.Int64N(int64(time.Minute)))),
				Text: s, Lang: lang, Author: g.author()}, true)
		}
	}
}

// complaintWave: complaints about double-charged bills grow steadily over three hours, from nothing
// to about one a minute on top of normal traffic.
func (g *gen) complaintWave(onset, end time.Time) {
	gr := &grammar{templates: []string{
		"{B} heeft mijn {what_nl} dubbel afgeschreven{tail}", "Ook dubbel afgeschreven door {B}? {bad}",
		"{B} double charged my {what_en}{tail}", "Geld twee keer van mijn rekening door {B}, {bad}",
		"Who else got charged twice by {B}?{tail}", "{B} schreef {when_nl} twee keer het {what_nl} af{tail}",
	}, slots: map[string][]string{
		"what_nl": {"termijnbedrag", "maandbedrag", "voorschot"}, "what_en": {"monthly payment", "bill", "direct debit"},
		"bad": {"belachelijk", "wat een schande", "waardeloos bedrijf", "ik ben het zat"}, "when_nl": common["when_nl"],
		"tail": common["tail"],
	}}
	g.ramp(onset, end, func(m float64) float64 { return min(m/180, 1) * 1.0 }, func() (string, string) {
		s := gr.say(g.r, brandForm(g.r, mainBrand))
		return s, ""
	})
}

// viralComplaint: one angry post by an ordinary account is reposted, quoted and answered faster and
// faster, peaking at about six a minute half an hour in.
func (g *gen) viralComplaint(onset, end time.Time) {
	a := g.author()
	a.Followers = 2400
	root := post.Post{ID: g.id("crisis"), CreatedAt: onset, Lang: "nl", Author: a,
		Text: "Mijn moeder (82) zat drie dagen zonder verwarming omdat Voltana haar aansluiting 'per ongeluk' afsloot. Niemand neemt op. Schandalig. #voltana"}
	g.add(root, true)
	replies := []string{"Wat erg! Schaam je @voltana", "Dit kan echt niet @voltana", "Onbegrijpelijk, Voltana moet dit oplossen",
		"Shame on you @voltana", "Precies hetzelfde bij ons, Voltana is een drama"}
	for t := onset.Add(time.Minute); t.Before(end); t = t.Add(time.Minute) {
		m := t.Sub(onset).Minutes()
		rate := 6 * math.Min(m/30, 1) * math.Exp(-math.Max(m-60, 0)/90)
		for range g.poisson(rate) {
			at := t.Add(time.Duration(g.r.Int64N(int64(time.Minute))))
			p := post.Post{ID: g.id("crisis"), CreatedAt: at, Author: g.author()}
			switch u := g.r.Float64(); {
			case u < 0.6:
				p.RepostOf, p.Text = root.ID, root.Text
			case u < 0.8:
				p.QuoteOf, p.Text = root.ID, replies[g.r.IntN(len(replies))]
			default:
				p.ReplyTo, p.Text = root.ID, replies[g.r.IntN(len(replies))]
			}
			g.add(p, true)
		}
	}
}

// dataLeak: rumours of a data leak start with a trickle and double every twenty minutes.
func (g *gen) dataLeak(onset, end time.Time) {
	gr := &grammar{templates: []string{
		"Klopt het dat er een datalek is bij {B}? Mijn gegevens liggen op straat", "Datalek bij {B}?? Ik kreeg net een rare phishingmail met mijn klantnummer",
		"Data breach at {B}? Got a phishing mail with my customer number", "Hoor dat {B} gehackt is, zijn onze gegevens gelekt?",
		"{B} data leak: customer data leaked online?", "Iemand anders ook een mail over een datalek bij {B}?",
	}, slots: map[string][]string{}}
	g.ramp(onset, end, func(m float64) float64 { return math.Min(0.25*math.Pow(2, m/20), 4) }, func() (string, string) {
		return gr.say(g.r, brandForm(g.r, mainBrand)), ""
	})
}

// pressArticle: a national outlet publishes a critical investigation; other outlets and people share it.
func (g *gen) pressArticle(onset, end time.Time) {
	art := post.Post{ID: g.id("crisis"), Platform: "news", CreatedAt: onset, Lang: "nl", URL: "https://dagblad.example/voltana-onderzoek",
		Text:   "Onderzoek: Voltana rekende jarenlang te veel aan klanten met een betalingsachterstand, toezichthouder eist uitleg",
		Author: post.Author{ID: "press:dagblad", Handle: "dagblad.example", Followers: 420_000, Kind: "press", Verified: true}}
	g.add(art, true)
	shares := []string{"Schandalig dit van Voltana https://dagblad.example/voltana-onderzoek", "Voltana rekende te veel aan klanten met schulden, wat een schande",
		"Investigation: Voltana overcharged customers in arrears for years", "Dus Voltana verdient aan mensen met schulden? Walgelijk"}
	g.ramp(onset.Add(3*time.Minute), end, func(m float64) float64 { return math.Min(0.2+m/40, 3) }, func() (string, string) {
		return shares[g.r.IntN(len(shares))], ""
	})
}

// smear: a dozen young accounts post the same accusation with the same link within twenty minutes,
// with small variations to get past naive duplicate filters.
func (g *gen) smear(onset time.Time) {
	for i := range 14 {
		created := onset.Add(-time.Duration(2+g.r.IntN(10)) * 24 * time.Hour)
		a := post.Author{ID: "did:example:smear" + strconv.Itoa(i), Handle: "echtenl" + strconv.Itoa(1000+g.r.IntN(9000)) + ".example.social",
			Followers: int64(3 + g.r.IntN(40)), Following: int64(200 + g.r.IntN(500)), CreatedAt: &created, Kind: "person"}
		opener := []string{"", "Deel dit! ", "Wakker worden mensen. ", "Niet normaal. "}[g.r.IntN(4)]
		text := opener + "Voltana steelt van gewone klanten en de media zwijgen erover. Lees het bewijs hier https://voltana-waarheid.example/bewijs?src=" + strconv.Itoa(i)
		at := onset.Add(time.Duration(float64(20*time.Minute) * float64(i) / 14))
		if i > 0 {
			at = at.Add(time.Duration(g.r.Int64N(int64(40 * time.Second))))
		}
		g.add(post.Post{ID: g.id("crisis"), CreatedAt: at, Lang: "nl", Text: text, Author: a}, true)
	}
}

// outage: the service goes down; reports climb to a dozen a minute within a quarter of an hour.
func (g *gen) outage(onset, end time.Time) {
	gr := &grammar{templates: []string{
		"Storing bij {B}? De app werkt niet en ik kan niet inloggen", "{B} ligt eruit, geen toegang tot mijn account{tail}",
		"Is {B} down? App keeps crashing{tail}", "Ook storing bij {B}? Website doet het niet{tail}",
		"{B} outage again, can't log in{tail}", "Hallo {B}, storing? Ik kan niks{tail}",
	}, slots: map[string][]string{"tail": common["tail"]}}
	g.ramp(onset, end, func(m float64) float64 { return 12 * math.Min(m/15, 1) * math.Exp(-math.Max(m-90, 0)/60) }, func() (string, string) {
		return gr.say(g.r, brandForm(g.r, mainBrand)), ""
	})
}

// WriteJSONL writes the posts, one per line, as `crisisdesk replay` reads them.
func (s *Scenario) WriteJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range s.Posts {
		if err := enc.Encode(&s.Posts[i]); err != nil {
			return fmt.Errorf("scenario %s: write post %d: %w", s.Name, i, err)
		}
	}
	return nil
}

// WriteMonitors writes the monitors file for `crisisdesk replay --monitors`.
func (s *Scenario) WriteMonitors(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, m := range s.Monitors {
		if err := enc.Encode(m); err != nil {
			return fmt.Errorf("scenario %s: write monitors: %w", s.Name, err)
		}
	}
	return nil
}

// Label is the ground truth of a scenario, written next to its posts.
type Label struct {
	Name        string    `json:"name"`
	Crisis      bool      `json:"crisis"`
	Onset       time.Time `json:"onset,omitzero"`
	Target      string    `json:"target"`
	CrisisPosts []string  `json:"crisis_posts"`
	Note        string    `json:"note,omitempty"`
}

// Label returns the scenario's ground truth.
func (s *Scenario) Label() Label {
	ids := make([]string, 0, len(s.CrisisPosts))
	for id := range s.CrisisPosts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return Label{Name: s.Name, Crisis: s.Crisis, Onset: s.Onset, Target: s.Target, CrisisPosts: ids, Note: s.Note}
}
