package respond

// The word lists the linter matches. They are patterns, not user-facing text: each entry is tokenized by
// the shared tokenizer and matched on folded tokens, so case and diacritics do not matter and "isn't"
// matches "is not" (and "we'll" matches "we will"). A word ending in * matches any word that starts with
// it; a * on its own between two words matches any one word. Entries are phrases that are
// wrong in a crisis statement in (nearly) every context; a word that is fine in common phrases
// ("mogelijk" in "zo snel mogelijk") is listed only in the phrases where it speculates.

type lexicon struct {
	overpromise, defensive, blame, emotional, speculation, uncertain, empathy, apology, nextStep []string
	cues                                                                                         cueLexicon
}

// cueLexicon holds the words of the patterns in cues.go: words that count only next to or together with
// others. Entries of one word are matched on the folded token; where it says so, a * at the end of an
// entry matches any word that starts with it.
type cueLexicon struct {
	blameCause  []string // phrases that name a cause: "caused by", "komt door"; Dutch "door" also opening a sentence
	blameOrg    []string // organisations blame is put on; in Dutch also the end of a compound (betaaldienstverlener)
	blamePeople []string // people or acts blame is put on, when they follow the cause nearly at once
	blameGap    []string // words that may stand between a cause and the people it names ("some of our")
	gapStop     []string // words that end the search for an organisation after a cause (a verb, a conjunction)
	readerHad   []string // Dutch: "had", "hadden" in "dat had je zelf kunnen zien"
	readerModal []string // what follows it: kunnen, moeten; English: could, should
	reader      []string // the reader: u, je, you
	criticism   []string // what people say about us (phrases, * allowed): kritiek, ophef, reports
	dismissal   []string // what a defensive statement calls it, in the same sentence (phrases): misleading, onterecht
	conditional []string // if, als, mocht
	someone     []string // an indefinite someone, or the reader: anyone, iemand, u
	offence     []string // taking offence: offended, gekwetst
	emphasis    []string // short words that are shouted when written in capitals: NOT, NOOIT
	opinionOf   []string // "we think people are …" is an opinion about people, not a guess at facts
	copula      []string // the verb after it: are, zijn
	imperative  []string // verbs that open an instruction to the reader: take, neem
	openers     []string // words before an instruction: please, graag, dan
	deadline    []string // words that put a limit on what follows: by, uiterlijk, vóór (with the accent)
	within      []string // within, binnen: a limit when a unit of time follows
	timeUnit    []string // days, werkdagen
	when        []string // what a deadline points at: weekdays, months, tomorrow, end
	future      []string // will, zullen: a promise of what comes, unless not or never follows
	negAfter    []string // not, never, niet, nooit, geen
	futureTime  []string // phrases: tomorrow, next week, binnenkort
	pastBefore  []string // earlier, eerder, afgelopen: make "this week" a time in the past
	weAre       []string // English: "we are", "our team is", followed by an -ing form, is work in progress
	stative     []string // English -ing forms, Dutch verbs, that are not work: seeing, begrijpen
	we          []string // Dutch: we, wij; next to a verb in -en that is not stative, work we do or will do
	clock       []string // at, om: a time when an hour follows ("at 10", "om 9")
}

var lexiconNL = lexicon{
	overpromise: []string{
		"garandeer*", "garanderen", "gegarandeerd", "garantie dat", "nooit meer", "nooit weer", "zal nooit",
		"zullen nooit", "100%", "100 procent", "honderd procent", "volledig veilig", "helemaal veilig",
		"volkomen veilig", "absoluut veilig", "geheel veilig", "geen enkel risico", "geen risico", "nul risico",
		"we beloven", "wij beloven", "ik beloof", "beloven dat", "wees gerust", "gerust zijn",
		"niets aan de hand", "niks aan de hand", "niets om u zorgen", "niets om je zorgen",
		"niets om ons zorgen", "definitief opgelost", "voorgoed opgelost", "lossen deze definitief",
		"lossen dit definitief", "definitief op", "niet meer gebeuren", "niet nog eens gebeuren",
		"alles onder controle", "volledig onder controle",
		"geen zorgen", "hoeft zich geen zorgen", "geen reden tot zorg*", "geen reden voor zorg*", "geen reden tot ongerustheid",
	},
	defensive: []string{
		"niets verkeerd gedaan", "niks verkeerd gedaan", "niets fout gedaan", "niks fout gedaan",
		"we staan achter", "wij staan achter", "uit zijn verband", "uit het verband", "uit de context",
		"in tegenstelling tot wat", "onterechte kritiek", "kritiek is onterecht", "beschuldigingen zijn onterecht",
		"ongegrond", "ongegronde", "ongefundeerd", "ongefundeerde", "onjuiste berichtgeving", "van de hand",
		"wijzen de beschuldiging*", "wijzen alle", "ontkennen", "overdreven", "sterk overdreven", "overtrokken",
		"drama van", "storm in een glas water", "niet zo erg", "niet zo'n drama",
		"valt wel mee", "viel wel mee", "geen drama", "wat een drama", "slechts een paar", "slechts enkele",
		"maar een paar", "een paar minuten", "als grap bedoeld", "een grapje", "wie zich gekwetst voelt",
		"die zich gekwetst voelt", "mocht iemand zich", "correct gehandeld", "juist gehandeld",
		"volgens de regels gehandeld", "volgens het boekje", "alle regels nageleefd",
		"geen fout gemaakt", "geen fouten gemaakt", "ervan overtuigd dat",
		"uit * verband", "uit * context", "nooit onze bedoeling", "niet onze bedoeling", "nooit de bedoeling",
		"niet de bedoeling om", "aan alle regels gehouden", "aan de regels gehouden", "aan * regels gehouden",
		"volgens protocol gehandeld", "volgens * protocol gehandeld", "volgens * procedure gehandeld", "niet voor niets",
		"anders beweert", "anders beweren", "te veel achter", "hebben we toch", "we hebben toch", "wij hebben toch",
		"niet het hele verhaal", "niet het volledige beeld", "we staan * achter", "wij staan * achter",
	},
	blame: []string{
		"niet onze schuld", "onze schuld niet", "niet aan ons", "ligt niet bij ons", "buiten onze schuld",
		"door een externe partij", "externe partij", "derde partij", "door onze leverancier",
		"door de leverancier", "komt door onze leverancier", "onze leverancier is", "gebruikersfout",
		"fout van de gebruiker", "fout van de klant", "de schuld van", "schuld ligt", "verantwoordelijkheid ligt bij",
		"buiten onze macht", "overmacht", "buiten onze invloed",
		"niet verantwoordelijk", "geen verantwoordelijkheid", "niet aansprakelijk", "u had moeten", "je had moeten", "eigen schuld",
		"eigen verantwoordelijkheid", "niets aan doen", "niks aan doen", "zijn verantwoordelijk", "is verantwoordelijk",
		"aan de gemeente", "door de gemeente", "van onze leverancier", "bij onze leverancier", "bij een bedrijf dat",
		"bij een extern bedrijf", "door een extern bedrijf", "aan onze leverancier", "aan de leverancier",
	},
	emotional: []string{
		"belachelijk", "absurd", "onzin", "kolder", "idioot", "idioten", "dom", "dombo", "zielig", "gezeur",
		"zeuren", "zeurpiet*", "klagers", "haters", "trollen", "nou nou", "tja", "jammer dan", "pech gehad",
		"rustig aan", "doe even rustig", "kalm aan", "lol", "omg", "wtf", "jeetje", "whatever", "bedankt hoor", "voor de laatste keer",
		"lees eerst", "hallo ?", "serieus ?", "zucht", "pff", "kom op", "doe normaal", "echt niet", "🙄", "😒", "🤦", "😂", "🤣", "🤡", "😤", "😡", "🖕", "🤷",
	},
	speculation: []string{
		"waarschijnlijk", "vermoedelijk", "we vermoeden", "wij vermoeden", "we denken dat", "wij denken dat",
		"we gaan ervan uit", "wij gaan ervan uit", "het lijkt erop", "lijkt erop dat", "lijkt te", "lijken te",
		"misschien", "wellicht", "mogelijk gaat", "mogelijk door", "mogelijk veroorzaakt", "is mogelijk",
		"mogelijkerwijs", "blijkbaar", "schijnbaar", "we nemen aan", "wij nemen aan", "zou kunnen", "kan zijn dat",
		"naar alle waarschijnlijkheid",
		"lijkt op", "ziet ernaar uit",
	},
	uncertain: []string{
		"weten nog niet", "weten niet", "weten we niet", "weten wij niet", "weten we nog niet", "weten wij nog niet", "nog niet bekend", "nog niet duidelijk",
		"nog onduidelijk", "onduidelijk", "nog niet zeker", "niet zeker", "nog niet bevestigd", "niet bevestigd",
		"onbevestigd", "kunnen nog niet bevestigen", "zodra we meer weten", "zodra wij meer weten",
		"eerste indicaties", "eerste signalen", "voorlopig", "voorlopige", "nog onzeker", "onzeker",
		"nog in onderzoek", "wordt nog onderzocht",
		"weten pas", "pas zeker", "weten het pas", "meer weten na", "onderzoeken * nog", "onderzoeken * * nog",
		"onderzoekt * nog", "onderzoekt * * nog", "nog onderzocht", "zoeken * nog uit", "zoeken we nog uit",
	},
	empathy: []string{
		"sorry", "excuses", "excuus", "excuseren", "verontschuldig*", "spijt", "betreur*", "begrijp*", "begrip",
		"snap*", "frustr*", "vervelend*", "ongemak*", "hinder", "overlast", "impact", "getroffen", "gedupeerd*",
		"zorgen", "bezorgd*", "onrust", "ongerust*", "schrik*", "geschrokken", "pijnlijk*", "gekwetst",
		"kwetsend*", "onacceptabel", "teleurgesteld", "teleurstell*", "balen", "baalt", "meeleven", "medeleven",
		"gedachten zijn bij", "geduld", "lastig*", "moeilijk*", "stress", "verdriet*", "ergernis",
		"weten dat u", "weten dat je", "weten dat jullie", "weten hoe",
		"horen je", "horen u", "horen jullie", "leven mee", "leeft mee", "leef mee",
		"voelen mee", "verlies", "rouw*", "gemis", "hart gaat uit", "harten gaan uit",
	},
	apology: []string{"sorry", "excuses", "excuus", "excuseren", "verontschuldig*", "spijt"},
	nextStep: []string{
		"update", "updates", "op de hoogte", "laten weten", "laten we weten", "informeren", "we werken",
		"wij werken", "werken aan", "werken we", "werken wij", "onderzoeken", "zoeken uit", "zoeken het",
		"uitzoeken", "we gaan", "wij gaan", "gaan we", "gaan wij", "we zullen", "wij zullen", "neem contact",
		"neemt contact", "nemen contact", "contact op", "stuur ons", "stuur je", "stuur uw", "bel ons", "bel",
		"bellen", "mail ons", "mailen", "dm", "privébericht", "website", "kijk op", "zie", "volg", "meer informatie",
		"meer info", "lees meer", "leest u", "lees je", "veelgestelde vragen", "statuspagina", "maatregelen",
		"terugbetal*", "terugvragen", "vergoed*", "compens*", "retour*", "terugbrengen", "breng het terug",
		"niet gebruiken", "eet het", "wijzig uw wachtwoord", "wijzig je wachtwoord", "wachtwoord wijzigen",
		"storten", "terugstort*", "krijgt u", "krijg je", "ontvangt u", "ontvang je", "voorwaarden", "herstel*", "regelen we", "kijken we", "helpen we",
		"meer later", "later vandaag", "volgt", "chat",
		"u krijgt", "je krijgt", "u ontvangt", "je ontvangt", "u kunt", "kunt u", "je kunt", "kun je", "jij kunt", "jullie kunnen", "kunnen jullie", "vindt u", "vind je",
		"ziet u", "ter plaatse", "onderweg", "zijn bezig", "is bezig", "bespreken", "bekijken", "evalueren",
		"vervangen", "repareren", "controleren", "sturen",
	},
	cues: cueLexicon{
		blameCause: []string{"komt door", "kwam door", "komen door", "kwamen door", "veroorzaakt door", "ontstaan door",
			"ontstond door", "vanwege", "te wijten aan", "ligt aan", "lag aan", "gevolg van", "toe te schrijven aan"},
		blameOrg: []string{"leverancier", "leveranciers", "dienstverlener", "verlener", "partner", "partners",
			"provider", "aannemer", "onderaannemer", "vervoerder", "koerier", "bezorgdienst", "netbeheerder",
			"derden", "hostingpartij", "partij"},
		blamePeople: []string{"klanten", "klant", "gebruikers", "reizigers", "passagiers", "leden", "bezoekers",
			"ouders", "fans", "supporters", "mensen", "vandalen", "vandalisme", "sabotage", "saboteurs", "relschoppers",
			"buitenaf", "hackers"},
		blameGap: []string{"de", "het", "een", "sommige", "enkele", "paar", "aantal", "onze", "van", "bepaalde"},
		gapStop: []string{"en", "dat", "die", "is", "zijn", "was", "waren", "werd", "werden", "heeft", "hebben",
			"wordt", "worden", "kunt", "kan", "kunnen"},
		readerHad:   []string{"had", "hadden"},
		readerModal: []string{"kunnen", "moeten", "geweten", "gelezen", "gecontroleerd", "opgelet"},
		reader:      []string{"je", "jij", "u", "jullie"},
		criticism: []string{"kritiek", "critici", "ophef", "commotie", "reacties", "verwijt*", "beschuldiging*",
			"berichten", "berichtgeving", "beelden", "video", "filmpje", "artikel*", "verhal*", "gerucht*", "claims",
			"klachten", "uitspraken", "media", "heisa", "aantijging*"},
		dismissal: []string{"onterecht", "niet terecht", "niet eerlijk", "oneerlijk", "misleidend", "eenzijdig",
			"ongenuanceerd", "onverantwoord*", "hysterisch*", "sensatie*", "stemmingmakerij", "opgeblazen",
			"niet op zijn plaats", "niet op haar plaats", "misplaatst",
		},
		conditional: []string{"als", "mocht", "mochten", "indien", "wanneer"},
		someone:     []string{"iemand", "mensen", "sommigen", "sommige", "u", "je", "jij", "jullie", "iedereen"},
		offence:     []string{"gekwetst", "beledigd", "gekrenkt", "aanstoot", "aangesproken"},
		emphasis: []string{"niet", "geen", "nooit", "nee", "wel", "alles", "niks", "niets", "echt", "zeer", "heel",
			"altijd", "stop", "alleen", "klaar", "genoeg", "nep", "fout", "lees", "moet", "moeten", "iedereen", "nu"},
		opinionOf: []string{"mensen", "sommigen", "critici", "klanten", "u", "je", "jullie"},
		copula:    []string{"zijn", "waren", "hebben", "moeten", "zullen", "overdrijven", "reageren"},
		imperative: []string{"neem", "gebruik", "ga", "kom", "houd", "hou", "blijf", "boek", "meld", "breng", "klik",
			"plan", "reageer", "deel", "tik", "druk",
			"download", "installeer", "herstart", "vraag", "laat", "kook", "zet", "sluit", "open", "haal", "volg",
			"lees", "kijk", "bel", "mail", "stuur", "app", "log", "schrijf", "vul", "registreer", "controleer",
			"check", "wees", "vermijd", "reis", "rijd", "pak", "probeer", "wijzig", "verander", "stop", "let",
			"bewaar", "ververs", "gooi", "eet", "drink", "raadpleeg", "informeer"},
		openers:  []string{"graag", "alstublieft", "alsjeblieft", "dan", "en", "of", "svp", "a.u.b"},
		deadline: []string{"uiterlijk", "vóór", "tot", "rond", "vanaf", "per"},
		within:   []string{"binnen"},
		timeUnit: []string{"dag", "dagen", "werkdag", "werkdagen", "uur", "uren", "week", "weken", "minuten", "maand", "maanden", "kwartier"},
		when: []string{"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "morgen",
			"overmorgen", "vanavond", "vanmiddag", "einde", "eind", "januari", "februari", "maart", "april", "mei",
			"juni", "juli", "augustus", "september", "oktober", "november", "december", "middernacht", "het weekend",
			"het eind", "het einde"},
		future:   []string{"zal", "zullen", "zult", "zul"},
		negAfter: []string{"niet", "nooit", "geen"},
		futureTime: []string{"morgen", "overmorgen", "binnenkort", "straks", "zo snel mogelijk", "zo spoedig mogelijk",
			"volgende keer", "voortaan", "vanaf nu",
			"volgende week", "volgende maand", "komende dagen", "komende week", "komende weken", "komende uren",
			"deze week", "de komende tijd", "later vandaag", "in de loop van"},
		pastBefore: []string{"eerder", "afgelopen", "begin", "vorige"},
		we:         []string{"we", "wij"},
		stative: []string{"begrijpen", "snappen", "betreuren", "weten", "zien", "horen", "lezen", "vinden", "hebben",
			"zijn", "kunnen", "willen", "moeten", "hopen", "denken", "vermoeden", "beseffen", "balen", "danken",
			"bedanken", "leven", "voelen", "waren", "hadden", "wisten", "zagen", "staan", "liggen", "zitten", "kregen",
			"kennen", "merken", "erkennen", "missen", "realiseren", "schamen", "maken", "begrepen", "vonden",
			"verontschuldigen", "excuseren", "geloven", "twijfelen", "schrokken", "herkennen", "delen",
			// not verbs, but ending in -en like one
			"geen", "alleen", "even", "tegen", "boven", "beneden", "binnen", "buiten", "heen", "tussen", "open",
			"echter", "eigen", "samen", "allen", "ieder", "volgens", "tijdens", "zonder"},
		clock: []string{"om"},
	},
}

var lexiconEN = lexicon{
	overpromise: []string{
		"guarantee*", "never again", "never happen again", "will not happen again", "cannot happen again",
		"can not happen again", "will never", "100%", "100 percent", "one hundred percent", "completely safe",
		"completely secure", "fully secure", "fully safe", "totally safe", "absolutely safe", "absolutely no risk",
		"no risk at all", "zero risk", "no risk", "we promise", "i promise", "rest assured",
		"nothing to worry about", "fixed for good", "permanently fixed", "everything is under control",
		"fully under control", "will be fixed within", "all data is safe", "your data is safe",
		"do not worry", "no need to worry", "no need for concern", "no cause for concern", "no reason to worry",
		"nothing to fear", "no need to panic",
	},
	defensive: []string{
		"we did nothing wrong", "did nothing wrong", "done nothing wrong", "we stand by", "out of context",
		"storm in a teacup", "not that deep", "not that bad", "not that serious", "not a big deal", "we did not .",
		"contrary to", "false claims", "false rumours", "false rumors", "baseless", "unfounded", "we reject",
		"we deny", "categorically", "overreact*", "blown out of proportion", "out of proportion",
		"not as bad as", "no big deal", "all this drama", "such drama", "only a few", "only a handful",
		"a few minutes of", "just a joke", "it was a joke", "meant as a joke", "if anyone was offended",
		"if you were offended", "anyone who was offended", "acted correctly", "complied with all",
		"followed all the rules", "followed all rules", "reports are false",
		"not make any mistake", "made no mistake", "no mistakes were made", "we are confident",
		"never meant to", "not meant to offend", "never intended to", "not our intention", "never our intention",
		"followed procedure", "followed protocol", "followed * procedure", "followed * procedures",
		"followed * protocol", "for a reason", "for good reason", "says otherwise", "say otherwise",
		"claims otherwise", "claim otherwise", "too much into", "did tell", "did say", "did warn", "did inform",
		"did explain", "did mention", "did announce", "we told you", "we told everyone", "not show the full picture",
		"not the full picture", "not the whole story", "not tell the whole story", "we stand * by",
	},
	blame: []string{
		"not our fault", "no fault of our", "not on us", "not our responsibility", "not responsible",
		"not liable", "no responsibility",
		"caused by a third party", "third party", "third - party", "caused by our supplier", "our supplier",
		"our vendor", "external party", "user error", "blame", "the fault of", "fault lies", "beyond our control",
		"outside our control", "are responsible for this", "is responsible for this", "responsibility lies with",
		"you should have", "customers should have", "users should have", "nothing we can do", "if you had",
		"the council", "at the company that", "at a company that", "at our supplier", "by our supplier",
		"by an external company",
	},
	emotional: []string{
		"ridiculous", "absurd", "nonsense", "stupid", "idiot*", "pathetic", "clueless", "whining", "whiners",
		"haters", "trolls", "nice try", "yeah right", "good luck with that", "get over it", "calm down",
		"chill out", "seriously ?", "seriously ?!", "lol", "lmao", "omg", "wtf", "ffs", "smh", "whatever", "thanks a lot", "for the last time",
		"as we already said", "we already said", "before complaining", "sorry not sorry", "sigh", "ugh",
		"i guess", "i suppose", "duh", "come on", "get a grip", "grow up", "get real",
		"🙄", "😒", "🤦", "😂", "🤣", "🤡", "😤", "😡", "🖕", "🤷",
	},
	speculation: []string{
		"probably", "likely", "most likely", "we think", "we believe", "we suspect", "it seems", "it appears",
		"seems to", "appears to", "presumably", "maybe", "perhaps", "might have", "may have been",
		"could have been", "possibly", "supposedly", "we assume", "our guess", "apparently",
		"looks like", "look like", "sounds like", "looks as if",
	},
	uncertain: []string{
		"do not know", "do not yet know", "not know yet", "not yet known", "not yet clear", "not clear yet",
		"unclear", "not yet certain", "not certain", "not yet confirmed", "not confirmed", "unconfirmed",
		"cannot confirm", "can not confirm", "as soon as we know", "once we know", "when we know more",
		"not sure yet", "uncertain", "to be confirmed", "first indications", "initial findings",
		"early indications", "preliminary",
		"know for sure", "will know more", "will not know", "know more after", "still investigating",
		"under investigation", "being investigated",
	},
	empathy: []string{
		"sorry", "apolog*", "regret*", "understand*", "frustrat*", "inconvenien*", "impact*", "affected",
		"worry", "worried", "worries", "worrying", "concern", "concerns", "concerned", "upset*", "disappoint*",
		"hurt*", "painful", "unacceptable", "anxious", "anxiety", "stressful", "difficult", "annoying",
		"thoughts are with", "sympath*", "feel for", "we hear you", "patience", "distress*", "alarming",
		"disruptive", "disruption", "trouble", "hard news",
		"know you", "know * of you", "know how much", "know how hard", "a pain", "a nuisance", "a hassle", "loved", "sad", "sadness", "loss", "grief",
		"griev*", "mourn*", "devastat*", "heartbreak*", "hearts go out", "heart goes out",
	},
	apology: []string{"sorry", "apolog*", "forgive"},
	nextStep: []string{
		"update", "updates", "keep you", "will update", "will inform", "let you know", "will contact",
		"be in touch", "we are working", "working on", "working to", "working with", "investigat*",
		"looking into", "we will", "contact us", "reach out", "dm", "direct message", "send us", "call us", "call",
		"email us", "visit", "see", "check", "more information", "more info", "read more", "website", "faq",
		"status page", "steps", "measures", "refund*", "compensat*", "return", "do not eat", "do not use",
		"stop using", "change your password", "reset", "rebook", "contacting", "more at", "more later",
		"details", "chat with", "cooperating", "find", "follow", "we are talking", "terms",
		"you can", "you will find", "you will receive", "on site", "on their way", "on the way", "on scene", "reviewing", "in touch",
	},
	cues: cueLexicon{
		blameCause: []string{"caused by", "due to", "because of", "down to", "result of", "triggered by", "owing to",
			"the fault of", "blame on"},
		blameOrg: []string{"supplier", "suppliers", "vendor", "vendors", "provider", "providers", "partner", "partners",
			"contractor", "contractors", "subcontractor", "courier", "couriers", "carrier", "third parties", "council",
			"operator", "host"},
		blamePeople: []string{"customers", "customer", "users", "user", "passengers", "travellers", "travelers",
			"members", "visitors", "parents", "fans", "people", "vandals", "vandalism", "sabotage", "saboteurs",
			"hackers", "rioters"},
		blameGap: []string{"the", "a", "an", "some", "a few", "few", "of", "our", "certain", "individual", "other"},
		gapStop: []string{"and", "that", "which", "who", "is", "are", "was", "were", "has", "have", "had", "can",
			"will", "we", "you"},
		readerHad:   []string{"you"},
		readerModal: []string{"could have", "should have", "would have", "might have"},
		reader:      []string{"you"},
		criticism: []string{"criticism", "critics", "reactions", "comments", "accusation*", "allegation*", "claims",
			"reports", "coverage", "story", "stories", "rumour*", "rumor*", "video", "footage", "clip", "posts",
			"article*", "backlash", "outrage", "fuss", "complaints", "headlines", "media"},
		dismissal: []string{"irresponsible", "misleading", "unfair", "exaggerated", "overblown", "one - sided",
			"sensational*", "hysteri*", "unjustified", "unwarranted", "not justified", "twisted", "distorted",
			"misplaced", "uncalled for"},
		conditional: []string{"if", "should"},
		someone:     []string{"anyone", "anybody", "someone", "somebody", "people", "some", "you", "everyone"},
		offence:     []string{"offended", "offence", "offense", "insulted"},
		emphasis: []string{"not", "no", "never", "stop", "do", "all", "nothing", "now", "must", "only", "very",
			"really", "please", "cannot", "will", "did", "fake", "wrong", "read", "again", "still", "enough", "ever",
			"every", "everyone", "false", "lies"},
		opinionOf: []string{"people", "some", "critics", "customers", "you", "everyone"},
		copula:    []string{"are", "were", "have", "should", "will", "overreact", "overreacting", "read", "reading"},
		imperative: []string{"take", "use", "book", "message", "keep", "go", "try", "stay", "avoid", "bring", "stop",
			"click", "tap", "share",
			"download", "install", "restart", "report", "ask", "tell", "let", "boil", "switch", "turn", "open", "close",
			"pick", "collect", "head", "join", "watch", "listen", "save", "log", "sign", "update", "remove", "delete",
			"apply", "fill", "register", "make", "drive", "travel", "allow", "plan", "rebook", "change", "reply",
			"write", "text", "look", "ring", "phone", "do", "don't", "wait", "leave", "move", "throw"},
		openers:  []string{"please", "and", "or", "then", "kindly"},
		deadline: []string{"by", "before", "until", "till", "from", "around"},
		within:   []string{"within", "in"},
		timeUnit: []string{"day", "days", "working days", "business days", "hour", "hours", "week", "weeks", "minutes", "month", "months"},
		when: []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow",
			"tonight", "noon", "midnight", "end", "january", "february", "march", "april", "may", "june", "july",
			"august", "september", "october", "november", "december", "the weekend", "the end", "this evening",
			"this afternoon", "close of"},
		future:   []string{"will", "shall", "going to"},
		negAfter: []string{"not", "never", "no"},
		futureTime: []string{"tomorrow", "soon", "shortly", "as soon as possible", "asap", "next week", "next month",
			"next time", "from now on", "going forward",
			"coming days", "coming weeks", "coming hours", "this week", "in the meantime", "later today",
			"over the weekend", "next few days"},
		pastBefore: []string{"earlier", "last", "past", "previous"},
		weAre:      []string{"we are", "we are now", "we are still", "we are currently", "we are actively", "our team is", "our teams are", "our engineers are", "our staff are", "our crews are"},
		stative:    []string{"seeing", "hearing", "feeling", "being", "getting", "having", "thinking", "noticing", "aware", "reading"},
		clock:      []string{"at"},
	},
}
