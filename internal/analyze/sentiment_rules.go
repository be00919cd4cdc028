package analyze

// The rule words of each language. They are facts about Dutch and English, kept as tables so that
// the scorer has no language-specific branches.

// boostUp and boostDown are how much an intensifier or damper changes a sentiment word's size, on
// VADER's scale. VADER found 0.293 for English from its raters; we use it for both languages.
const (
	boostUp   = 0.293
	boostDown = -0.293
)

var negatorsNL = []string{"niet", "geen", "nooit", "nergens", "niets", "niks", "noch", "zonder",
	"geeneens", "nimmer", "allerminst"}

var negatorsEN = []string{"not", "no", "never", "nobody", "nothing", "none", "neither", "nor",
	"nowhere", "without", "cannot", "n't", "dont", "don't", "cant", "can't", "wont", "won't", "isnt",
	"isn't", "arent", "aren't", "wasnt", "wasn't", "werent", "weren't", "didnt", "didn't", "doesnt",
	"doesn't", "couldnt", "couldn't", "shouldnt", "shouldn't", "wouldnt", "wouldn't", "havent",
	"haven't", "hasnt", "hasn't", "hadnt", "hadn't", "aint", "ain't", "neednt", "needn't", "mustnt",
	"mustn't", "nope", "nah", "hardly", "barely", "rarely", "seldom"}

var boostersNL = []string{"heel", "erg", "zeer", "super", "echt", "enorm", "ontzettend", "ontiegelijk",
	"mega", "hartstikke", "extreem", "bijzonder", "buitengewoon", "verschrikkelijk", "vreselijk",
	"ongelooflijk", "ongelofelijk", "uiterst", "zo", "te", "totaal", "compleet", "volledig",
	"absoluut", "flink", "keihard", "uitermate", "ontzettende", "enorme", "intens", "waanzinnig",
	"ernstig", "werkelijk", "zwaar", "best wel", "nog nooit zo", "nooit zo"}

var dampersNL = []string{"een beetje", "beetje", "vrij", "redelijk", "nogal", "tamelijk", "enigszins",
	"iets", "lichtelijk", "min of meer", "soort van", "een tikje", "ietwat", "niet zo", "amper"}

var boostersEN = []string{"very", "extremely", "really", "so", "too", "super", "totally", "absolutely",
	"completely", "incredibly", "highly", "hugely", "utterly", "fucking", "freaking", "frickin",
	"most", "more", "such", "especially", "exceptionally", "particularly", "remarkably",
	"thoroughly", "truly", "unbelievably", "insanely", "seriously", "terribly", "awfully",
	"deeply", "entirely", "fully", "greatly", "intensely", "majorly", "purely", "quite", "real",
	"considerably", "decidedly", "enormously", "extraordinarily", "damn", "hella", "mad",
	"never been so", "never been this"}

var dampersEN = []string{"slightly", "somewhat", "kinda", "kind of", "sort of", "sorta", "a bit",
	"a little", "fairly", "rather", "partly", "marginally", "almost", "less", "little",
	"occasionally", "scarcely", "just enough", "pretty much"}

var contrastNL = []string{"maar", "echter", "doch", "desondanks", "alleen jammer"}
var contrastEN = []string{"but", "however", "yet", "though", "nevertheless", "although"}

// Sarcasm markers. In webcare, a thank-you with "hoor" or "lekker dan" is nearly always angry.
var sarcasmNL = []string{"lekker dan", "bedankt hoor", "dank je wel hoor", "dankjewel hoor",
	"dank u wel hoor", "fijn hoor", "leuk hoor", "top hoor", "super hoor", "goed geregeld hoor",
	"nou lekker", "echt top dit", "knap hoor", "goed bezig hoor", "chapeau hoor", "lekker bezig",
	"bedankt voor niets", "bedankt voor niks"}
var sarcasmEN = []string{"yeah right", "yeah sure", "thanks a lot", "thanks for nothing",
	"just what i needed", "oh great", "oh joy", "oh wonderful", "great job guys", "well done guys"}

// sarcasmHashtags mark a whole post as meant the other way. They are matched as hashtags only:
// #not is sarcasm, the word not is a negator.
var sarcasmHashtags = map[string]bool{"sarcasm": true, "sarcasme": true, "not": true, "irony": true,
	"ironie": true, "sarcastic": true, "sarcastisch": true}

// emojiValence overrides the valence VADER's emoji lexicon derives from descriptions where the
// description misleads: 🙄 describes "eyes" but signals contempt, 😭 is sadness and laughter both.
var emojiValence = map[string]float32{
	"😂": 1.2, "🤣": 1.4, "😭": -1.0, "😡": -3.0, "🤬": -3.2, "😠": -2.6, "😤": -2.0, "🙄": -1.8,
	"😒": -1.8, "😞": -2.0, "😔": -1.8, "😢": -2.2, "😩": -2.2, "😫": -2.2, "🤮": -3.0, "🤢": -2.6,
	"💩": -2.4, "👎": -2.2, "👍": 2.0, "👌": 1.8, "👏": 1.6, "🙏": 1.2, "❤": 2.8, "❤️": 2.8,
	"💔": -2.4, "😍": 3.0, "🥰": 3.0, "😊": 2.4, "🙂": 1.4, "🙃": -0.8, "😐": -0.6, "😑": -1.0,
	"🤦": -2.0, "🤦‍♂️": -2.0, "🤦‍♀️": -2.0, "🤷": -0.6, "🤷‍♂️": -0.6, "🤷‍♀️": -0.6, "😱": -1.6,
	"🤡": -1.8, "🔥": 0.6, "💯": 1.8, "🎉": 2.4, "🥳": 2.6, "😎": 1.8, "😬": -1.2, "😕": -1.6,
	"😟": -1.8, "☹️": -2.2, "☹": -2.2, "🙁": -1.8, "😖": -2.2, "😣": -2.0, "😰": -2.0, "😨": -2.0,
	"⚠️": -1.0, "⚠": -1.0, "🚨": -1.2, "✅": 1.2, "❌": -1.4, "🤔": -0.4, "🥲": 0.4,
}

// functionWordsNL get no word weight of their own in the Dutch layer. Fitted on review sentences,
// their weights learn the reviews' mix ("was" leans negative because complaints are told in the past
// tense), which says nothing about a post.
var functionWordsNL = setOf("de", "het", "een", "en", "of", "maar", "dat", "die", "dit", "deze", "wat",
	"wie", "waar", "hoe", "als", "dan", "om", "te", "van", "in", "op", "aan", "met", "voor", "door",
	"bij", "naar", "uit", "over", "onder", "tot", "tegen", "na", "per", "er", "hier", "daar", "is",
	"was", "waren", "zijn", "ben", "bent", "heb", "hebt", "heeft", "hebben", "had", "hadden", "wordt",
	"worden", "werd", "werden", "kan", "kunnen", "kon", "konden", "zal", "zullen", "zou", "zouden",
	"moet", "moeten", "moest", "wil", "willen", "wilde", "mag", "mogen", "ik", "je", "jij", "u", "hij",
	"zij", "ze", "we", "wij", "jullie", "men", "mijn", "jouw", "uw", "zijn", "haar", "ons", "onze",
	"hun", "me", "mij", "hem", "zich", "ook", "nog", "al", "wel", "toch", "dus", "want", "omdat", "nu",
	"toen", "zo", "even", "gewoon", "gaat", "gaan", "ging", "gingen", "komt", "komen", "kwam", "krijg",
	"krijgt", "krijgen", "kregen", "kreeg", "doen", "doet", "deed", "word")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// verbOnlyEN are English sentiment words that are more often a preposition or a filler than a
// verb: "looks like rain", "like how", "like 3 hours". They count after verbContextEN only.
var verbOnlyEN = []string{"like"}

// verbContextEN are the words after which "like" is the verb: subjects, auxiliaries, negators and
// adverbs that go with a verb.
var verbContextEN = []string{"i", "we", "you", "u", "ya", "they", "he", "she", "it", "who", "people",
	"ppl", "fans", "to", "would", "'d", "do", "does", "did", "not", "really", "also", "just", "still",
	"totally", "definitely", "actually", "kinda", "always", "def", "genuinely", "might", "will",
	"'ll", "may", "everyone", "everybody", "nobody", "guys", "y'all", "yall"}
