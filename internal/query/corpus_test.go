package query

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// This file generates the realistic monitor sets and posts the benchmarks run on: brands with
// products and handles, OR-lists of crisis synonyms in Dutch and English, NOT exclusions, NEAR,
// wildcards and fields, and posts mixing everyday Dutch and English with brand names, crisis words,
// hashtags, mentions, links and emoji.

var (
	syllables = []string{"ra", "bo", "ve", "lo", "ka", "zin", "tel", "mar", "qu", "ex", "no", "va", "fi",
		"de", "lta", "gro", "en", "sto", "rk", "ban", "ko", "pi", "zu", "ter", "mo", "hu", "nel", "ix",
		"ar", "ge", "on", "pha", "dri", "sel", "ta", "wu", "jo", "ly", "cam", "re"}
	crisisNL = []string{"storing", "storingen", "datalek", "gehackt", "lek", "oplichting", "fraude",
		"terugroepactie", "onveilig", "boycot", "schandalig", "discriminatie", "klacht", "woedend",
		"slecht", "kapot", "traag", "onbereikbaar", "gelekt", "phishing"}
	crisisEN = []string{"outage", "down", "breach", "hacked", "leak", "scam", "fraud", "recall",
		"unsafe", "boycott", "disgraceful", "racist", "complaint", "furious", "broken", "slow", "lawsuit"}
	commonNL = strings.Fields("de het een en van ik je is niet op te dat in met voor zijn er maar " +
		"ook al nog wel bij om dan naar wat kan geen weer vandaag echt heel mijn we hun gisteren morgen " +
		"klanten app website bestelling betaling rekening pakket winkel medewerker reactie ideeën café " +
		"één reünie über naïef geld bank overal mensen waarom")
	commonEN = strings.Fields("the a and of to is in it you that for on was with my this not but " +
		"have are be just so what can no today again really very our their yesterday customers app " +
		"website order payment account package store staff response money people why")
	exclusions = []string{"vacature", "sponsor", "giveaway", "win", "korting", "sale", "quiz", "jobs"}
	emoji      = []string{"😡", "🙄", "👍", "🔥", "❤️", "😂"}
)

// brandName makes a pronounceable, unique-looking name from the brand's number.
func brandName(i int) string {
	var b strings.Builder
	n := i
	for k := 0; k < 3 || n > 0; k++ {
		b.WriteString(syllables[n%len(syllables)])
		n /= len(syllables)
	}
	return b.String()
}

type corpus struct {
	r      *rand.Rand
	brands []string
}

func newCorpus(nBrands int, seed uint64) *corpus {
	c := &corpus{r: rand.New(rand.NewPCG(seed, 7))}
	for i := 0; i < nBrands; i++ {
		c.brands = append(c.brands, brandName(i+1000))
	}
	return c
}

func (c *corpus) pick(list []string) string { return list[c.r.IntN(len(list))] }

func (c *corpus) orList(list []string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = c.pick(list)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// monitor returns the query of monitor i. Each brand has four monitors of different kinds, as a
// team watches its brand for several kinds of trouble.
func (c *corpus) monitor(i int) string {
	b := c.brands[(i/4)%len(c.brands)]
	crisis := c.orList(crisisNL, 6) + " OR " + c.orList(crisisEN, 6)
	switch i % 8 {
	case 0:
		return fmt.Sprintf(`(%s OR "%s app" OR #%s OR @%snl) (%s) NOT (%s OR %s)`, b, b, b, b, crisis, c.pick(exclusions), c.pick(exclusions))
	case 1:
		return fmt.Sprintf(`%s NEAR/5 (datalek OR hack* OR gelekt OR "data breach" OR leak*)`, b)
	case 2:
		return fmt.Sprintf(`"%s klantenservice" OR (%s NEAR/3f %s) lang:nl`, b, b, c.orList(crisisNL, 4))
	case 3:
		return fmt.Sprintf(`(%s OR %sphone OR %s*) authorFollowers:[1000 TO *] NOT %s`, b, b, b, c.pick(exclusions))
	case 4:
		return fmt.Sprintf(`%s (terugroepactie OR recall OR "niet eten" OR onveilig) sentiment:negative`, b)
	case 5:
		return fmt.Sprintf(`#%s OR @%s OR "%s %s"`, b, b, b, c.pick(crisisNL))
	case 6:
		return fmt.Sprintf(`<<< %s, alle kanalen >>> (%s OR %s) (platform:x OR platform:bluesky) NOT (%s)`, b, b, strings.ToUpper(b), c.orList(exclusions, 3))
	default:
		return fmt.Sprintf(`(%s OR %s) AND (%s) AND (authorKind:press OR authorVerified:true)`, b, c.brands[(i+1)%len(c.brands)], crisis)
	}
}

func (c *corpus) monitors(n int) []Monitor {
	ms := make([]Monitor, n)
	for i := range ms {
		src := c.monitor(i)
		q, err := Parse(src)
		if err != nil {
			panic(fmt.Sprintf("generated query %q: %v", src, err))
		}
		ms[i] = Monitor{ID: fmt.Sprintf("m%05d", i), Query: q}
	}
	return ms
}

// post returns one generated post: 8 to 40 words of Dutch or English, with brands, crisis words,
// and now and then a hashtag, mention, link or emoji.
func (c *corpus) post(i int) *post.Post {
	lang, common, crisis := "nl", commonNL, crisisNL
	if c.r.IntN(3) == 0 {
		lang, common, crisis = "en", commonEN, crisisEN
	}
	// Two posts in five are about one brand, and half of those about a crisis: the words that make
	// monitors match come together, as they do in a real stream.
	brand, crises := "", 0
	if c.r.IntN(5) < 2 {
		brand = c.pick(c.brands)
		if c.r.IntN(2) == 0 {
			crises = 1 + c.r.IntN(3)
		}
	}
	var b strings.Builder
	n := 8 + c.r.IntN(33)
	for k := 0; k < n; k++ {
		w := c.pick(common)
		switch x := c.r.IntN(100); {
		case brand != "" && x < 8:
			w = brand
			if c.r.IntN(2) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
		case crises > 0 && x < 16:
			w = c.pick(crisis)
			crises--
		case x < 18:
			w = c.pick(crisis)
		case x < 19:
			w = "#" + c.pick(crisis)
		case x < 20:
			w = "@" + c.pick(c.brands)
		case x < 21:
			w = c.pick(emoji)
		}
		if k == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		switch x := c.r.IntN(20); {
		case x == 0:
			b.WriteString(", ")
		case x == 1:
			b.WriteString(". ")
		case x == 2:
			b.WriteString("! ")
		default:
			b.WriteString(" ")
		}
	}
	if c.r.IntN(8) == 0 {
		b.WriteString("https://www.example.nl/nieuws/" + fmt.Sprint(i))
	}
	return &post.Post{
		ID: fmt.Sprint(i), Platform: c.pick([]string{"x", "bluesky", "mastodon"}), Text: b.String(), Lang: lang,
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Author:    post.Author{Handle: "user" + fmt.Sprint(i%500), Followers: int64(c.r.IntN(5000)), Kind: c.pick([]string{"person", "press"})},
	}
}

func (c *corpus) posts(n int) []*post.Post {
	ps := make([]*post.Post, n)
	for i := range ps {
		ps[i] = c.post(i)
	}
	return ps
}

func (c *corpus) analysis() Analysis {
	return Analysis{Sentiment: c.pick(sentiments), Complaint: c.r.IntN(4) == 0}
}
