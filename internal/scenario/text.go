package scenario

import (
	"math/rand/v2"
	"strings"
)

// grammar is a set of templates whose {slots} are filled from word lists, so generated posts vary the
// way real ones do: the same complaint in many words. {B} is the brand as the author writes it.
type grammar struct {
	templates []string
	slots     map[string][]string
}

func (g *grammar) say(r *rand.Rand, brand string) string {
	t := g.templates[r.IntN(len(g.templates))]
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}') + i
		b.WriteString(t[:i])
		name := t[i+1 : j]
		if name == "B" {
			b.WriteString(brand)
		} else if opts := g.slots[name]; len(opts) > 0 {
			b.WriteString(opts[r.IntN(len(opts))])
		}
		t = t[j+1:]
	}
	return b.String()
}

// brandForms are the ways people write a brand name in a post.
func brandForm(r *rand.Rand, name string) string {
	switch r.IntN(6) {
	case 0:
		return "@" + strings.ToLower(name)
	case 1:
		return "#" + name
	case 2:
		return strings.ToLower(name)
	default:
		return name
	}
}

var common = map[string][]string{
	"thing_nl": {"factuur", "rekening", "app", "website", "monteur", "klantenservice", "meterstand", "aansluiting", "termijnbedrag", "contract"},
	"thing_en": {"bill", "invoice", "app", "website", "engineer", "customer service", "meter reading", "connection", "monthly payment", "contract"},
	"bad_nl":   {"klopt weer niet", "is echt waardeloos", "reageert nergens op", "is een drama", "werkt al dagen niet", "is veel te hoog", "slaat nergens op"},
	"bad_en":   {"is wrong again", "is useless", "never answers", "is a nightmare", "has been broken for days", "is way too high", "makes no sense"},
	"good_nl":  {"super geholpen", "top service", "snel en vriendelijk geholpen", "keurig geregeld", "heel blij mee", "fijn contact gehad"},
	"good_en":  {"great service", "really helpful", "sorted it out quickly", "very friendly staff", "happy with it", "excellent support"},
	"when_nl":  {"vandaag", "gisteren", "vanochtend", "deze week", "net", "alweer"},
	"when_en":  {"today", "yesterday", "this morning", "this week", "just now", "again"},
	"tail":     {"", "", "", " 🙄", " 😡", " #klantenservice", " #energie", "!", "..."},
	"tailgood": {"", "", " 👍", " 😊", " 🙏", "!", " #tevreden"},
}

func grammars() map[string]*grammar {
	slots := common
	return map[string]*grammar{
		"neutral_nl": {templates: []string{
			"Net mijn {thing_nl} bij {B} aangepast{tail}", "{when_nl} een mail van {B} gehad over mijn {thing_nl}",
			"Weet iemand hoe laat de klantenservice van {B} open is?", "Hoe zet ik mijn meterstand door bij {B}?",
			"Heeft iemand ervaring met het contract van {B}?", "Wat is het nieuwe tarief van {B} per 1 januari?",
			"Morgen komt de monteur van {B} langs voor de {thing_nl}", "{B} stuurt {when_nl} de jaarafrekening",
			"Overgestapt naar {B}, eens kijken hoe dat gaat", "Ik zie dat {B} een nieuwe {thing_nl} heeft",
		}, slots: slots},
		"neutral_en": {templates: []string{
			"Just changed my {thing_en} with {B}{tail}", "Got an email from {B} {when_en} about my {thing_en}",
			"Does anyone know when {B} customer service opens?", "How do I submit a meter reading to {B}?",
			"Anyone tried the {B} contract?", "What is the new {B} rate from January?",
			"The {B} engineer is coming tomorrow for the {thing_en}", "Switched to {B}, let's see how it goes",
		}, slots: slots},
		"positive_nl": {templates: []string{
			"{when_nl} {good_nl} door {B}{tailgood}", "Complimenten voor {B}, {good_nl}{tailgood}",
			"Mijn {thing_nl} bij {B}: {good_nl}{tailgood}", "Dank je {B}, {good_nl}{tailgood}",
		}, slots: slots},
		"positive_en": {templates: []string{
			"{good_en} from {B} {when_en}{tailgood}", "Thanks {B}, {good_en}{tailgood}",
			"My {thing_en} with {B}: {good_en}{tailgood}", "Kudos to {B}, {good_en}{tailgood}",
		}, slots: slots},
		"negative_nl": {templates: []string{
			"Mijn {thing_nl} van {B} {bad_nl}{tail}", "{when_nl} weer gedoe met de {thing_nl} van {B}, {bad_nl}{tail}",
			"Waarom reageert {B} niet? Mijn {thing_nl} {bad_nl}{tail}", "Al een uur in de wachtrij bij {B}{tail}",
		}, slots: slots},
		"negative_en": {templates: []string{
			"My {B} {thing_en} {bad_en}{tail}", "{when_en} more trouble with the {B} {thing_en}, it {bad_en}{tail}",
			"Why won't {B} answer? My {thing_en} {bad_en}{tail}", "An hour on hold with {B}{tail}",
		}, slots: slots},
	}
}

// adTalk is how people react to a TV advert they like.
var adTalk = &grammar{templates: []string{
	"Die nieuwe reclame van {B} {love}{tailgood}", "Haha de {B} reclame met die {who} {love}{tailgood}",
	"{love_en}, that new {B} ad with the {who_en}{tailgood}", "Wie heeft die {B} commercial bedacht? {love}{tailgood}",
	"{B} reclame {when} gezien, {love}{tailgood}", "Ik kan die {B} reclame met de {who} wel blijven kijken{tailgood}",
	"Best ad on TV right now: {B} and the {who_en}{tailgood}",
}, slots: map[string][]string{
	"love":     {"geweldig!", "echt prachtig", "zo leuk gedaan", "ik moest lachen", "wat een mooie spot", "heerlijk"},
	"love_en":  {"Love it", "So good", "Brilliant", "Made me smile", "Lovely"},
	"who":      {"opa", "hond", "tweeling", "buurvrouw", "windmolen", "kat", "postbode"},
	"who_en":   {"grandpa", "dog", "twins", "neighbour", "windmill", "cat", "postman"},
	"when":     {"net", "vanavond", "alweer", "eindelijk"},
	"tailgood": {"", "", " 😍", " 😂", " 👏", "!", " #reclame"},
}}

// matchTalk is chatter during a football match in a stadium that carries the brand's name: it names
// the brand without being about it.
var matchTalk = &grammar{templates: []string{
	"{score} in het {B} Stadion{tail}", "Volle bak in het {B} Stadion{tail}", "Op weg naar het {B} Stadion met {who}{tail}",
	"Wat een sfeer in het {B} Stadion {when}{tail}", "{minute}e minuut, {score} in het {B} Stadion{tail}",
	"Matchday at the {B} Stadium{tail}", "{B} Stadium is rocking, {score}{tail}", "Scheidsrechter in het {B} Stadion ziet niks{tail}",
	"Parkeren bij het {B} Stadion duurt weer lang{tail}", "Biertje in het {B} Stadion, {score}{tail}",
}, slots: map[string][]string{
	"score":  {"1-0", "0-1", "1-1", "2-1", "0-0", "2-0", "2-2", "3-1"},
	"minute": {"12", "23", "34", "41", "56", "67", "78", "89"},
	"who":    {"pa", "de jongens", "mijn zoon", "de buren", "collega's"},
	"when":   {"vandaag", "vanmiddag", "weer"},
	"tail":   {"", "", " ⚽", " 🔥", "!", " #matchday", " #eredivisie", " 👏"},
}}

// eventTalk is neutral text for replayed CrisisLexT26 tweets, whose text the files do not hold.
var eventTalk = &grammar{templates: []string{
	"crisislex {what} about the {B}", "{source} on the {B}: crisislex {what}", "crisislex: {what} on the {B} {tail}",
	"Following the {B}, crisislex {what} from {source}", "crisislex {what}, {B}, {time}",
}, slots: map[string][]string{
	"what":   {"update", "report", "new details", "latest numbers", "live coverage", "photos", "map", "statement"},
	"source": {"local radio", "the mayor", "a reporter", "officials", "witnesses", "the news desk"},
	"time":   {"this hour", "right now", "tonight", "this morning", "just in"},
	"tail":   {"", "", "#news", "(thread)", "via @newsdesk"},
}}
