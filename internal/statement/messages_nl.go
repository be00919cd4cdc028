package statement

var messagesNL = map[string]string{
	"wrong_state":        "Deze verklaring is %s; dat kan nu niet.",
	"own_statement":      "Je hebt deze verklaring zelf geschreven, dus iemand anders moet haar goedkeuren.",
	"already_approved":   "Je hebt deze versie al goedgekeurd.",
	"empty_core":         "De verklaring heeft geen tekst.",
	"unknown_template":   "Het crisisplan heeft geen sjabloon %q.",
	"reject_comment":     "Zeg waarom je de verklaring afwijst, zodat de schrijver het kan verbeteren.",
	"unknown_channel":    "Er is geen kanaal %q.",
	"not_approved":       "Alleen een goedgekeurde verklaring kan worden gepubliceerd.",
	"empty_link":         "Geef de link waar de verklaring is gepubliceerd.",
	"bad_platform":       "Onbekend platform %q.",
	"bad_lang":           "Onbekende taal %q.",
	"bad_form":           "Onbekende aanspreekvorm %q.",
	"no_channels":        "Kies minstens één kanaal.",
	"unfilled_variables": "Vul eerst elke variabele in: %s.",
	"account_name":       "Geef het account een naam.",
	"account_handle":     "De handle %q is geen handle zoals gemeente.bsky.social en geen DID zoals did:plc:….",
	"account_service":    "Het serveradres %q is geen http(s)-adres zonder gebruikersnaam of wachtwoord.",
	"account_password":   "Geef het app-wachtwoord van het account; maak er een aan in Bluesky onder Instellingen, Privacy en beveiliging, App-wachtwoorden.",
}
