package x

import "fmt"

// Construct names a part of a monitor query that X's rule syntax cannot express.
type Construct string

// The constructs the translator refuses.
const (
	ConstructNear          Construct = "near"
	ConstructWildcard      Construct = "wildcard"
	ConstructProximity     Construct = "proximity"      // "a b"~n
	ConstructRange         Construct = "range"          // numeric ranges: likes, followers
	ConstructAnalysisField Construct = "analysis_field" // sentiment, category, complaint, authorKind
	ConstructField         Construct = "field"          // a field X has no operator for
	ConstructUsername      Construct = "username"       // author: that is not an X username
	ConstructAlways        Construct = "always"         // the query matches every post on X
	ConstructNever         Construct = "never"          // the query can match no post on X
	ConstructTooLong       Construct = "too_long"
	ConstructUnanchored    Construct = "unanchored" // only lang:, is:verified and negations
)

// messages holds every user-facing text of this package, one table per language. %[1]s is the offending
// part of the query as written, %[2]s a detail (a field name, a length).
var messages = map[string]map[Construct]string{
	"en": {
		ConstructNear:          "X rules have no NEAR operator: %[1]s cannot be translated; use a phrase or AND",
		ConstructWildcard:      "X rules have no wildcards: %[1]s cannot be translated; list the word forms with OR",
		ConstructProximity:     "X rules have no phrase proximity: %[1]s cannot be translated; use an exact phrase",
		ConstructRange:         "X rules cannot filter on %[2]s: the numeric range %[1]s cannot be translated",
		ConstructAnalysisField: "%[2]s comes from crisisdesk's own analysis, which X does not know: %[1]s cannot be translated",
		ConstructField:         "X rules have no operator for the field %[2]s: %[1]s cannot be translated",
		ConstructUsername:      "%[1]s is not an X username (letters, digits and _, at most 15)",
		ConstructAlways:        "on X this query matches every post, which a stream rule cannot ask for",
		ConstructNever:         "on X this query can match no post (it asks for another platform)",
		ConstructTooLong:       "the X rule is %[2]s characters long, more than the %[1]s X allows",
		ConstructUnanchored:    "X needs a word, phrase, #hashtag, @mention, author or link that is not negated in every alternative of %[1]s; lang:, authorVerified and NOT only narrow it",
	},
	"nl": {
		ConstructNear:          "X-regels kennen geen NEAR: %[1]s is niet te vertalen; gebruik een woordgroep of AND",
		ConstructWildcard:      "X-regels kennen geen jokertekens: %[1]s is niet te vertalen; som de woordvormen op met OR",
		ConstructProximity:     "X-regels kennen geen woordafstand binnen een woordgroep: %[1]s is niet te vertalen; gebruik een exacte woordgroep",
		ConstructRange:         "X-regels kunnen niet filteren op %[2]s: het getallenbereik %[1]s is niet te vertalen",
		ConstructAnalysisField: "%[2]s komt uit de eigen analyse van crisisdesk, die X niet kent: %[1]s is niet te vertalen",
		ConstructField:         "X-regels hebben geen operator voor het veld %[2]s: %[1]s is niet te vertalen",
		ConstructUsername:      "%[1]s is geen gebruikersnaam op X (letters, cijfers en _, hooguit 15)",
		ConstructAlways:        "op X vindt deze zoekvraag elk bericht, en daar kan een streamregel niet om vragen",
		ConstructNever:         "op X kan deze zoekvraag geen enkel bericht vinden (ze vraagt om een ander platform)",
		ConstructTooLong:       "de X-regel is %[2]s tekens lang, meer dan de %[1]s die X toestaat",
		ConstructUnanchored:    "X vraagt in elk alternatief van %[1]s een woord, woordgroep, #hashtag, @vermelding, auteur of link zonder NOT; lang:, authorVerified en NOT maken het alleen smaller",
	},
}

// render fills in the message for c in lang ("nl" or "en"; anything else is English).
func render(lang string, c Construct, part, detail string) string {
	table, ok := messages[lang]
	if !ok {
		table = messages["en"]
	}
	return fmt.Sprintf(table[c], part, detail)
}
