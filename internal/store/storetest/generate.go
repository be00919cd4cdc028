package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// GeneratePosts returns n valid posts with distinct ids, seeded so that runs are repeatable. Text is
// 80 to 280 characters of Dutch or English, platforms and authors vary, and created_at spreads over
// the week after start.
func GeneratePosts(n int, seed uint64, start time.Time) []post.Post {
	return GeneratePostsBetween(n, seed, start, 7*24*time.Hour)
}

// GeneratePostsBetween is GeneratePosts with created_at spread over span after start.
func GeneratePostsBetween(n int, seed uint64, start time.Time, span time.Duration) []post.Post {
	// Words the generator draws from: the vocabulary of a Dutch or English webcare inbox, with some
	// diacritics, so that generated text exercises tokenizing and folding as real posts do.
	dutchWords := strings.Fields(`de het een en van ik je niet dat is op te zijn met voor maar ook al
		storing internet weer klantenservice datalek gegevens wachtwoord bank app werkt helemaal
		vandaag sinds gisteren bellen wachten uur schandalig belachelijk reactie graag snel
		café geïnformeerd ideeën coöperatie privé reünie zorgen klanten rekening betaling trein
		vertraging NS stroom uitval storingskaart monteur afspraak pakket bezorging kwijt`)
	englishWords := strings.Fields(`the a and to of is in it you that for on not with this but are
		outage down again customer service data breach leak password account bank app working
		today since yesterday call waiting hours ridiculous disgraceful reply please fix asap
		café naïve résumé refund charged twice delivery parcel lost train delayed power cut
		support ticket ignored boycott recall unsafe scam phishing`)
	hashtags := []string{"#storing", "#datalek", "#outage", "#fail", "#klantenservice", "#boycott"}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	platforms := []string{"bluesky", "mastodon", "x", "x", "bluesky", "rss", "reddit", "facebook", "threads"}
	kinds := []string{"person", "person", "person", "press", "organisation", "unknown"}
	posts := make([]post.Post, n)
	var b strings.Builder
	for i := range posts {
		words, lang := englishWords, "en"
		if rng.IntN(10) < 6 {
			words, lang = dutchWords, "nl"
		}
		target := 80 + rng.IntN(201)
		b.Reset()
		for b.Len() < target {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			if rng.IntN(25) == 0 {
				b.WriteString(hashtags[rng.IntN(len(hashtags))])
			} else {
				b.WriteString(words[rng.IntN(len(words))])
			}
		}
		text := b.String()
		for len(text) > 280 {
			text = text[:strings.LastIndexByte(text, ' ')]
		}
		platform := platforms[rng.IntN(len(platforms))]
		author := rng.IntN(n/4 + 1)
		p := post.Post{
			ID:        fmt.Sprintf("%s-%d-%08d", platform, seed, i),
			Platform:  platform,
			Text:      text,
			CreatedAt: start.Add(time.Duration(rng.Int64N(int64(span)))).UTC(),
			Lang:      lang,
			URL:       fmt.Sprintf("https://%s.example/p/%d/%d", platform, seed, i),
			Author: post.Author{
				ID:        fmt.Sprintf("author-%d", author),
				Handle:    fmt.Sprintf("user%d", author),
				Name:      fmt.Sprintf("User %d", author),
				Followers: rng.Int64N(100000),
				Following: rng.Int64N(2000),
				Verified:  rng.IntN(20) == 0,
				Kind:      kinds[rng.IntN(len(kinds))],
			},
			Metrics: post.Metrics{
				Likes:   rng.Int64N(500),
				Reposts: rng.Int64N(100),
				Replies: rng.Int64N(50),
				Quotes:  rng.Int64N(10),
				Views:   rng.Int64N(100000),
			},
		}
		if rng.IntN(3) == 0 {
			p.ReplyTo = fmt.Sprintf("%s-%d-%08d", platform, seed, rng.IntN(i+1))
		}
		if rng.IntN(2) == 0 {
			created := start.AddDate(-1-rng.IntN(10), 0, 0).UTC()
			p.Author.CreatedAt = &created
		}
		posts[i] = p
	}
	return posts
}
