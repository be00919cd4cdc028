package respond

var messagesNL = messages{
	lint: map[string]msg{
		"overpromise":            {"„%s” belooft meer dan iemand in een crisis kan waarmaken.", "Zeg wat u nu doet en weet, zonder garanties: „we doen er alles aan om …”."},
		"defensive":              {"„%s” klinkt defensief: het gaat in discussie met de getroffenen in plaats van te luisteren.", "Erken eerst de zorg en noem de feiten zonder oordeel over de kritiek."},
		"blame_shifting":         {"„%s” schuift de schuld door naar een ander.", "Neem verantwoordelijkheid voor wat uw organisatie in de hand heeft: „wij kozen deze leverancier, dus dit is onze verantwoordelijkheid”."},
		"emotional.caps":         {"„%s” staat in hoofdletters en leest als schreeuwen.", "Schrijf het in gewone letters; laat de feiten het werk doen."},
		"emotional.punct":        {"„%s” laat de tekst opgewonden klinken.", "Gebruik één punt of één vraagteken."},
		"emotional.word":         {"„%s” klinkt boos, afwijzend of sarcastisch.", "Laat het weg en blijf kalm en feitelijk, ook als de kritiek onterecht voelt."},
		"no_empathy":             {"De tekst erkent niet wat dit betekent voor de mensen die het raakt.", "Benoem de gevolgen en laat zien dat u ze begrijpt: „we begrijpen dat dit vervelend is”."},
		"no_empathy.apology":     {"Het incident is als vermijdbaar ingedeeld, maar de tekst biedt geen excuses aan.", "Bied duidelijk en zonder voorbehoud excuses aan: „het spijt ons dat dit is gebeurd”."},
		"no_next_step":           {"De tekst noemt geen volgende stap, geen plek voor meer informatie en geen tijd voor de volgende update.", "Zeg wat er nu gebeurt en wanneer: „om 15.00 uur volgt een update op voorbeeld.nl/status”."},
		"speculation":            {"„%s” speculeert over iets wat niet bevestigd is.", "Noem alleen wat vaststaat en breng de rest als onzeker: „we weten de oorzaak nog niet”."},
		"forbidden_word":         {"„%s” staat in het plan op de lijst van woorden die we niet gebruiken.", "Formuleer het zonder dit woord."},
		"forbidden_word.instead": {"„%s” staat in het plan op de lijst van woorden die we niet gebruiken.", "Gebruik „%s”."},
		"jargon":                 {"„%s” is intern jargon dat lezers misschien niet begrijpen.", "Gebruik gewone woorden die een klant ook gebruikt."},
		"jargon.instead":         {"„%s” is intern jargon dat lezers misschien niet begrijpen.", "Zeg „%s”."},
		"formality.mixed":        {"„%s” mengt de informele en de formele aanspreekvorm (u en jij).", "Gebruik één vorm in de hele tekst."},
		"formality.u":            {"„%s” is informeel, maar het plan spreekt mensen aan met „u”.", "Gebruik de formele vorm: u, uw."},
		"formality.jij":          {"„%s” is formeel, maar het plan spreekt mensen aan met „jij”.", "Gebruik de informele vorm: je, jij, jouw."},
		"too_long":               {"De tekst is %d %s te lang voor de limiet van %d.", "Maak de tekst korter, of plaats hem als draad waar het platform dat kan."},
	},
	consistency: map[string]msg{
		Contradiction: {"Deze variant noemt als %s „%s” waar de kernboodschap „%s” zegt.", "Gebruik „%s”, zoals in de kernboodschap."},
		Missing:       {"Deze variant laat een %s uit de kernboodschap weg: „%s”.", "Voeg „%s” toe, of controleer dat weglaten de bedoeling is."},
		Added:         {"Deze variant voegt een %s toe die niet in de kernboodschap staat: „%s”.", "Haal „%s” weg, of zet het in de kernboodschap zodat elk kanaal het zegt."},
	},
	factKinds: map[FactKind]string{
		FactNumber: "getal", FactDate: "datum", FactTime: "tijd", FactURL: "link", FactEmail: "e-mailadres",
		FactPhone: "telefoonnummer", FactName: "naam",
	},
	render: map[string]string{
		"unfilled":  "De variabele {{%s}} heeft geen waarde.",
		"malformed": "„%s” lijkt op een variabele maar is er geen; schrijf {{naam}} met alleen letters, cijfers en _.",
	},
	units: map[string]string{UnitChars: "tekens", UnitGraphemes: "tekens", UnitWeighted: "gewogen tekens"},
}
