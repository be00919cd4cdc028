package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// catalog is every text an alert shows, in one language. All of them live in this file: enText and
// nlText.
type catalog struct {
	sustained, seriesNeg, seriesComplaints                                   string
	volume, negative, viral, viralPredicted, influential, category, campaign string
	campaignLink                                                             string
	warmup                                                                   string
	top, langs, cats, none                                                   string
	press, verified, followers                                               string
	categories                                                               map[string]string
}

var enText = catalog{
	sustained:        "sustained rise: %d %s over the last %d min against %.1f expected, %.0f%% of posts where %.0f%% is usual (p=%.2g)",
	seriesNeg:        "negative posts",
	seriesComplaints: "complaints",
	volume:           "%d posts in the last %d min against %.1f expected (quasi-Poisson p=%.2g; %d authors, reach %d)",
	negative:         "%d negative posts in the last %d min against %.1f expected; %.0f%% negative where %.0f%% is usual (p=%.2g)",
	viral:            "post %s is spreading at %.1f reposts, quotes and replies a minute, where %.1f is normal here (reach %d)",
	viralPredicted:   "; predicted reach %d within %d min",
	influential:      "negative post by %s (%s, %d followers)",
	category:         "%d posts about %s in the last %d min against %.1f expected",
	campaign:         "%d accounts posted near-identical text within %d min (%d young accounts)",
	campaignLink:     "; %d of them share the link %s",
	warmup:           "new monitor: the expected figure is a conservative prior, not yet learned from its own history",
	top:              "top posts by reach: ",
	langs:            "languages: ",
	cats:             "categories: ",
	none:             "none",
	press:            "press",
	verified:         "verified",
	followers:        "account",
	categories: map[string]string{
		"data_breach": "a data breach", "product_safety": "product safety", "service_outage": "an outage",
		"employee_conduct": "employee conduct", "discrimination": "discrimination", "fraud_scam": "fraud or scams",
		"legal_regulatory": "legal or regulatory trouble", "boycott": "a boycott",
	},
}

var nlText = catalog{
	sustained:        "aanhoudende stijging: %d %s in de laatste %d min tegen %.1f verwacht, %.0f%% van de berichten waar %.0f%% gewoon is (p=%.2g)",
	seriesNeg:        "negatieve berichten",
	seriesComplaints: "klachten",
	volume:           "%d berichten in de laatste %d min tegen %.1f verwacht (quasi-Poisson p=%.2g; %d auteurs, bereik %d)",
	negative:         "%d negatieve berichten in de laatste %d min tegen %.1f verwacht; %.0f%% negatief waar %.0f%% gewoon is (p=%.2g)",
	viral:            "bericht %s verspreidt zich met %.1f reposts, citaten en reacties per minuut, waar %.1f hier normaal is (bereik %d)",
	viralPredicted:   "; verwacht bereik %d binnen %d min",
	influential:      "negatief bericht van %s (%s, %d volgers)",
	category:         "%d berichten over %s in de laatste %d min tegen %.1f verwacht",
	campaign:         "%d accounts plaatsten vrijwel dezelfde tekst binnen %d min (%d jonge accounts)",
	campaignLink:     "; %d daarvan delen de link %s",
	warmup:           "nieuwe monitor: de verwachting is een voorzichtige aanname, nog niet geleerd uit de eigen geschiedenis",
	top:              "berichten met het grootste bereik: ",
	langs:            "talen: ",
	cats:             "categorieën: ",
	none:             "geen",
	press:            "pers",
	verified:         "geverifieerd",
	followers:        "account",
	categories: map[string]string{
		"data_breach": "een datalek", "product_safety": "productveiligheid", "service_outage": "een storing",
		"employee_conduct": "gedrag van medewerkers", "discrimination": "discriminatie", "fraud_scam": "fraude of oplichting",
		"legal_regulatory": "juridische of toezichtskwesties", "boycott": "een boycot",
	},
}

// Languages lists the languages alert texts exist in.
var Languages = []string{"en", "nl"}

func catalogFor(lang string) *catalog {
	if lang == "nl" {
		return &nlText
	}
	return &enText
}

// Summary is the one-line text of a signal in lang (en or nl).
func Summary(s *detect.Signal, lang string) string {
	c := catalogFor(lang)
	mins := int(s.Window / time.Minute)
	var out string
	switch {
	case s.Kind == detect.VolumeSpike:
		out = fmt.Sprintf(c.volume, int(s.Observed), mins, s.Expected, s.PValue, s.Authors, s.Reach)
	case s.Kind == detect.NegativeSpike && s.Sustained:
		series := c.seriesNeg
		if s.Series == "complaints" {
			series = c.seriesComplaints
		}
		out = fmt.Sprintf(c.sustained, int(s.Observed), series, mins, s.Expected, 100*s.NegShare, 100*s.ExpectedNeg, s.PValue)
	case s.Kind == detect.NegativeSpike:
		out = fmt.Sprintf(c.negative, int(s.Observed), mins, s.Expected, 100*s.NegShare, 100*s.ExpectedNeg, s.PValue)
	case s.Kind == detect.ViralPost:
		out = fmt.Sprintf(c.viral, s.Subject, s.Velocity, s.NormalVel, s.Reach)
		if s.Predicted > s.Reach {
			out += fmt.Sprintf(c.viralPredicted, s.Predicted, 60)
		}
	case s.Kind == detect.InfluentialAuthor:
		who := c.followers
		switch {
		case s.AuthorKind == "press":
			who = c.press
		case s.Verified:
			who = c.verified
		}
		name := s.Subject
		if len(s.Top) > 0 && s.Top[0].Author != "" {
			name = s.Top[0].Author
		}
		out = fmt.Sprintf(c.influential, name, who, s.Followers)
	case strings.HasPrefix(s.Kind, detect.KindCategoryPrefix):
		name := c.categories[s.Category]
		if name == "" {
			name = s.Category
		}
		out = fmt.Sprintf(c.category, int(s.Observed), name, mins, s.Expected)
	case s.Kind == detect.CoordinatedCampaign:
		out = fmt.Sprintf(c.campaign, s.Accounts, mins, s.Young)
		if s.LinkAccounts >= 2 {
			out += fmt.Sprintf(c.campaignLink, s.LinkAccounts, s.Link)
		}
	default:
		out = s.Kind
	}
	if s.Warmup {
		out += " (" + c.warmup + ")"
	}
	return out
}

// Details is the rest of an explanation in lang: the top posts, the languages and the categories.
func Details(s *detect.Signal, lang string) string {
	c := catalogFor(lang)
	var b strings.Builder
	b.WriteString(c.top)
	if len(s.Top) == 0 {
		b.WriteString(c.none)
	}
	for i, p := range s.Top {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%d)", p.ID, p.Reach)
	}
	for _, part := range []struct {
		label string
		list  []detect.Count
	}{{c.langs, s.Langs}, {c.cats, s.Categories}} {
		b.WriteString(". ")
		b.WriteString(part.label)
		if len(part.list) == 0 {
			b.WriteString(c.none)
		}
		for i, n := range part.list {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %d", n.Name, n.N)
		}
	}
	return b.String()
}
