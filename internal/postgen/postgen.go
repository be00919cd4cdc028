// Package postgen generates realistic, deterministic Dutch and English posts for benchmarks, load
// tests and crash tests. The same seed always gives the same posts.
package postgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

var (
	brands   = []string{"KLM", "ING", "NS", "Rabobank", "PostNL", "Ziggo", "bol.com", "Albert Heijn", "KPN", "Vattenfall"}
	nlPieces = []string{
		"Al drie dagen geen internet, ", "Waarom reageert de klantenservice van %s niet? ",
		"Mijn pakket is weer niet bezorgd. ", "Top service vandaag bij %s, dank jullie wel! ",
		"Storing bij %s, kan niet inloggen in de app. ", "Wat een schandalig gedrag van %s. ",
		"Heeft iemand anders ook last van de storing? ", "Geld terug graag, dit is echt waardeloos. ",
		"Ik wacht nu al een uur in de wachtrij. ", "Het datalek bij %s is ernstiger dan gedacht. ",
		"Prima geregeld, snel antwoord gekregen. ", "Trein vertraagd, weer te laat op m'n werk. ",
		"#storing #fail ", "Zijn mijn gegevens nu op straat beland? ", "Lekker dan, %s. ",
	}
	enPieces = []string{
		"Still no refund from %s after three weeks. ", "Great experience with %s today, thanks! ",
		"Is %s down for anyone else? ", "The app keeps crashing since the update. ",
		"Customer service hung up on me twice. ", "Reports of a data breach at %s, anyone confirm? ",
		"Love the new feature, well done %s. ", "Never flying with %s again. ",
		"Waiting for an answer for 2 hours now. ", "#outage #fail ", "Thanks for the quick fix! ",
	}
	platforms = []string{"bluesky", "bluesky", "mastodon", "x", "x", "news", "rss", "threads"}
)

// Generator makes posts. It is not safe for concurrent use.
type Generator struct {
	rng   *rand.Rand
	start time.Time
	n     int
}

// New returns a generator whose posts start at start, one every 250 ms on average.
func New(seed uint64, start time.Time) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), start: start.UTC()}
}

// Next returns the next post. IDs are unique per generator: "gen-<seed-independent counter>".
func (g *Generator) Next() post.Post {
	g.n++
	r := g.rng
	nl := r.IntN(3) > 0
	pieces, lang := enPieces, "en"
	if nl {
		pieces, lang = nlPieces, "nl"
	}
	brand := brands[r.IntN(len(brands))]
	var b strings.Builder
	for i, k := 0, 1+r.IntN(3); i < k; i++ {
		p := pieces[r.IntN(len(pieces))]
		if strings.Contains(p, "%s") {
			p = fmt.Sprintf(p, brand)
		}
		b.WriteString(p)
	}
	if r.IntN(4) == 0 {
		fmt.Fprintf(&b, "@%s", strings.ToLower(strings.ReplaceAll(brand, " ", "")))
	}
	platform := platforms[r.IntN(len(platforms))]
	handle := fmt.Sprintf("user%d", r.IntN(50000))
	kind := "person"
	if platform == "news" || platform == "rss" {
		kind = "press"
	}
	created := g.start.Add(time.Duration(g.n) * 250 * time.Millisecond)
	return post.Post{
		ID:        fmt.Sprintf("gen-%d", g.n),
		Platform:  platform,
		Text:      strings.TrimSpace(b.String()),
		CreatedAt: created,
		Lang:      lang,
		URL:       fmt.Sprintf("https://example.org/%s/%d", handle, g.n),
		Author: post.Author{
			ID: "id-" + handle, Handle: handle, Name: strings.ToUpper(handle[:1]) + handle[1:],
			Followers: int64(r.ExpFloat64() * 800), Following: int64(r.IntN(1000)), Kind: kind,
		},
		Metrics: post.Metrics{Likes: int64(r.IntN(50)), Reposts: int64(r.IntN(10)), Replies: int64(r.IntN(5))},
	}
}
