package langid

import (
	"strings"
	"unicode/utf8"
)

// functionWords lists, per language, very frequent words: articles, pronouns, auxiliaries, prepositions,
// conjunctions, negations and the politeness words of posts. The training corpus is encyclopaedic and
// news text, which rarely says ik, je, jy or bedankt; these lists carry the everyday register that short
// posts are written in. A word on several lists counts for each of them, so shared words (in, is, de)
// do not tip the balance; only the words that set a language apart do. Written out by hand from general
// knowledge of each language, not taken from any corpus.
var functionWords = map[string]string{
	"nl": `de het een en van ik je jij jou jouw u uw hij zij ze wij we jullie mijn m'n zijn z'n haar ons onze
		niet geen wel ook nog maar want omdat dus toch al er daar nou hier waar wat wie waarom hoe wanneer dat dit
		deze die met voor naar bij uit over op aan tot door om te zo heel erg echt gewoon even nu dan als of
		kan kunnen wil willen wordt worden werd heb hebben heeft had ben bent is was waren moet moeten zou zal
		gaat gaan doet doen niks niets iets veel meer weer 't 'n zo'n da's mij me hem hun hen hoor nee ja
		eigenlijk misschien alleen altijd nooit vandaag morgen gisteren bedankt dank ff aub graag jammer
		helaas beetje lekker goed slecht weet denk vind zie snap klopt krijg kreeg`,
	"af": `die en van in is het nie 'n te om wat vir op met ek jy jou hy sy ons hulle julle my hom haar u dit dat
		daar hier maar ook nog al net so baie kan sal moet wil was word gaan kom hê sê nou toe dan as of want
		omdat geen niks iets meer weer wees gewees hoe waar wie hoekom wanneer deur na by uit oor tot aan sonder
		reeds asseblief dankie goeie mense gister môre vandag lekker goed sleg weet dink sien kry dis ons`,
	"de": `der die das und ist nicht ein eine einen einem einer ich du er sie es wir ihr mich mir dich dir uns
		euch sein seine mein meine dein zu mit von für auf aus bei nach über um an in im am vom zum zur dass
		wenn aber oder auch noch schon nur sehr so wie was wer warum wo hier da jetzt dann heute kein keine
		nichts haben hat habe hatte bin bist sind war waren wird werden wurde kann können muss soll will doch
		mal gibt ja nein danke bitte gut schlecht immer nie`,
	"en": `the a an and or but is are was were be been being have has had do does did not no i you he she it we
		they me him her us them my your his its our their this that these those of in on at to for with from
		by about as if so what who why how when where there here will would can could should just still again
		now then very really all any some n't 's 're 'm 've 'll thanks please yes get got good bad never always
		today`,
	"fr": `le la les un une des du de et ou mais est sont suis es était été être avoir a ai as avons ont je tu il
		elle on nous vous ils elles me te se moi toi lui leur mon ma mes ton ta son sa ses notre votre ce cette
		ces ça qui que quoi pourquoi comment quand où ne pas plus jamais rien dans sur avec pour par sans chez
		en au aux très bien encore déjà aussi merci oui non c'est j'ai toujours aujourd'hui`,
	"es": `el la los las un una unos y o pero es son está están estoy soy fue ser estar he ha han hay yo tú él
		ella nosotros ustedes ellos me te se lo le nos mi mis tu su sus que qué quién por para con sin de del al
		en a no sí muy más ya también todavía cuando dónde cómo porque este esta esto ese eso gracias hola pues
		siempre nunca hoy`,
	"it": `il lo la i gli le un uno una e o ma è sono sei siamo era essere ho hai ha abbiamo hanno io tu lui lei
		noi voi loro mi ti si ci vi mio mia tuo suo che chi cosa perché come quando dove non più molto anche
		ancora già di del della dei delle a al alla da dal in nel nella con per su tra questo questa quello
		grazie sì ciao sempre mai oggi`,
	"pt": `o a os as um uma e ou mas é são sou está estão estou foi ser estar tem têm tenho eu tu você ele ela
		nós vocês eles elas me te se lhe nos meu minha seu sua que quem porque como quando onde não sim muito
		mais já também ainda de do da dos das em no na nas com para por pelo pela sem este esta isso isto esse
		essa obrigado obrigada sempre nunca hoje`,
	"da": `og i at det en et den de er var har havde til på med af for som ikke jeg du han hun vi dem mig dig
		ham hende os min mit mine din dit sin sit hans hendes vores jeres deres men eller så også nu her der
		hvad hvem hvorfor hvordan hvornår hvor kan skal vil må bliver blev være været have meget mere lige
		bare tak ja nej efter fra om over under ved mod aldrig altid idag`,
	"sv": `och i att det en ett den de är var har hade till på med av för som inte jag du han hon vi ni dem mig
		dig honom henne oss min mitt mina din ditt sin sitt hans hennes vår er deras men eller så också nu här
		där vad vem varför hur när kan ska skall vill måste blir blev vara varit ha mycket mer bara tack ja nej
		efter från om över under vid mot inget ingen aldrig alltid idag`,
}

// wordLangs maps a function word to the set of languages (a bit per lane of linguaLanguages order) whose
// list holds it; maxFunctionWord is the most runes any of them has, so longer words skip the lookup.
// Built once at init.
var wordLangs, maxFunctionWord = buildWordLangs()

func buildWordLangs() (map[string]uint16, int) {
	out := map[string]uint16{}
	longest := 0
	for code, list := range functionWords {
		bit := uint16(0)
		for i, l := range linguaLanguages {
			if l == code {
				bit = 1 << i
			}
		}
		for _, w := range strings.Fields(list) {
			out[w] |= bit
			longest = max(longest, utf8.RuneCountInString(w))
		}
	}
	return out, longest
}
