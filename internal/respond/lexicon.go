package respond

// The word lists the linter matches. They are patterns, not user-facing text: each entry is tokenized by
// the shared tokenizer and matched on folded tokens, so case and diacritics do not matter and "isn't"
// matches "is not". A word ending in * matches any word that starts with it. Entries are phrases that are
// wrong in a crisis statement in (nearly) every context; a word that is fine in common phrases
// ("mogelijk" in "zo snel mogelijk") is listed only in the phrases where it speculates.

type lexicon struct {
	overpromise, defensive, blame, emotional, speculation, uncertain, empathy, apology, nextStep []string
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
	},
	defensive: []string{
		"niets verkeerd gedaan", "niks verkeerd gedaan", "niets fout gedaan", "niks fout gedaan",
		"we staan achter", "wij staan achter", "uit zijn verband", "uit het verband", "uit de context",
		"in tegenstelling tot wat", "onterechte kritiek", "kritiek is onterecht", "beschuldigingen zijn onterecht",
		"ongegrond", "ongegronde", "ongefundeerd", "ongefundeerde", "onjuiste berichtgeving", "van de hand",
		"wijzen de beschuldiging*", "wijzen alle", "ontkennen", "overdreven", "sterk overdreven", "overtrokken",
		"valt wel mee", "viel wel mee", "geen drama", "wat een drama", "slechts een paar", "slechts enkele",
		"maar een paar", "een paar minuten", "als grap bedoeld", "een grapje", "wie zich gekwetst voelt",
		"die zich gekwetst voelt", "mocht iemand zich", "correct gehandeld", "juist gehandeld",
		"volgens de regels gehandeld", "volgens het boekje", "alle regels nageleefd",
		"geen fout gemaakt", "geen fouten gemaakt", "ervan overtuigd dat",
	},
	blame: []string{
		"niet onze schuld", "onze schuld niet", "niet aan ons", "ligt niet bij ons", "buiten onze schuld",
		"door een externe partij", "externe partij", "derde partij", "door onze leverancier",
		"door de leverancier", "komt door onze leverancier", "onze leverancier is", "gebruikersfout",
		"fout van de gebruiker", "fout van de klant", "de schuld van", "schuld ligt", "verantwoordelijkheid ligt bij",
		"buiten onze macht", "overmacht", "buiten onze invloed", "u had moeten", "je had moeten", "eigen schuld",
		"eigen verantwoordelijkheid", "niets aan doen", "niks aan doen", "zijn verantwoordelijk", "is verantwoordelijk",
		"aan de gemeente", "door de gemeente", "van onze leverancier", "bij onze leverancier", "bij een bedrijf dat",
		"bij een extern bedrijf", "door een extern bedrijf", "aan onze leverancier", "aan de leverancier",
	},
	emotional: []string{
		"belachelijk", "absurd", "onzin", "kolder", "idioot", "idioten", "dom", "dombo", "zielig", "gezeur",
		"zeuren", "zeurpiet*", "klagers", "haters", "trollen", "nou nou", "tja", "jammer dan", "pech gehad",
		"rustig aan", "doe even rustig", "kalm aan", "lol", "whatever", "bedankt hoor", "voor de laatste keer",
		"lees eerst", "hallo ?", "serieus ?", "zucht", "pff", "🙄", "😒", "🤦", "😂", "🤣", "🤡", "😤", "😡", "🖕", "🤷",
	},
	speculation: []string{
		"waarschijnlijk", "vermoedelijk", "we vermoeden", "wij vermoeden", "we denken dat", "wij denken dat",
		"we gaan ervan uit", "wij gaan ervan uit", "het lijkt erop", "lijkt erop dat", "lijkt te", "lijken te",
		"misschien", "wellicht", "mogelijk gaat", "mogelijk door", "mogelijk veroorzaakt", "is mogelijk",
		"mogelijkerwijs", "blijkbaar", "schijnbaar", "we nemen aan", "wij nemen aan", "zou kunnen", "kan zijn dat",
		"naar alle waarschijnlijkheid",
	},
	uncertain: []string{
		"weten nog niet", "weten niet", "weten we niet", "weten wij niet", "weten we nog niet", "weten wij nog niet", "nog niet bekend", "nog niet duidelijk",
		"nog onduidelijk", "onduidelijk", "nog niet zeker", "niet zeker", "nog niet bevestigd", "niet bevestigd",
		"onbevestigd", "kunnen nog niet bevestigen", "zodra we meer weten", "zodra wij meer weten",
		"eerste indicaties", "eerste signalen", "voorlopig", "voorlopige", "nog onzeker", "onzeker",
		"nog in onderzoek", "wordt nog onderzocht",
	},
	empathy: []string{
		"sorry", "excuses", "excuus", "excuseren", "verontschuldig*", "spijt", "betreur*", "begrijp*", "begrip",
		"snap*", "frustr*", "vervelend*", "ongemak*", "hinder", "overlast", "impact", "getroffen", "gedupeerd*",
		"zorgen", "bezorgd*", "onrust", "ongerust*", "schrik*", "geschrokken", "pijnlijk*", "gekwetst",
		"kwetsend*", "onacceptabel", "teleurgesteld", "teleurstell*", "balen", "baalt", "meeleven", "medeleven",
		"gedachten zijn bij", "geduld", "lastig*", "moeilijk*", "stress", "verdriet*", "ergernis",
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
	},
	defensive: []string{
		"we did nothing wrong", "did nothing wrong", "done nothing wrong", "we stand by", "out of context",
		"contrary to", "false claims", "false rumours", "false rumors", "baseless", "unfounded", "we reject",
		"we deny", "categorically", "overreact*", "blown out of proportion", "out of proportion",
		"not as bad as", "no big deal", "all this drama", "such drama", "only a few", "only a handful",
		"a few minutes of", "just a joke", "it was a joke", "meant as a joke", "if anyone was offended",
		"if you were offended", "anyone who was offended", "acted correctly", "complied with all",
		"followed all the rules", "followed all rules", "reports are false",
		"not make any mistake", "made no mistake", "no mistakes were made", "we are confident",
	},
	blame: []string{
		"not our fault", "no fault of our", "not on us", "not our responsibility", "not responsible",
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
		"chill out", "seriously ?", "seriously ?!", "lol", "lmao", "whatever", "thanks a lot", "for the last time",
		"as we already said", "we already said", "before complaining", "sorry not sorry", "sigh", "ugh",
		"🙄", "😒", "🤦", "😂", "🤣", "🤡", "😤", "😡", "🖕", "🤷",
	},
	speculation: []string{
		"probably", "likely", "most likely", "we think", "we believe", "we suspect", "it seems", "it appears",
		"seems to", "appears to", "presumably", "maybe", "perhaps", "might have", "may have been",
		"could have been", "possibly", "supposedly", "we assume", "our guess", "apparently",
	},
	uncertain: []string{
		"do not know", "do not yet know", "not know yet", "not yet known", "not yet clear", "not clear yet",
		"unclear", "not yet certain", "not certain", "not yet confirmed", "not confirmed", "unconfirmed",
		"cannot confirm", "can not confirm", "as soon as we know", "once we know", "when we know more",
		"not sure yet", "uncertain", "to be confirmed", "first indications", "initial findings",
		"early indications", "preliminary",
	},
	empathy: []string{
		"sorry", "apolog*", "regret*", "understand*", "frustrat*", "inconvenien*", "impact*", "affected",
		"worry", "worried", "worries", "worrying", "concern", "concerns", "concerned", "upset*", "disappoint*",
		"hurt*", "painful", "unacceptable", "anxious", "anxiety", "stressful", "difficult", "annoying",
		"thoughts are with", "sympath*", "feel for", "we hear you", "patience", "distress*", "alarming",
		"disruptive", "disruption", "trouble", "hard news",
	},
	apology: []string{"sorry", "apolog*", "forgive"},
	nextStep: []string{
		"update", "updates", "keep you", "will update", "will inform", "let you know", "will contact",
		"be in touch", "we are working", "working on", "working to", "working with", "investigating",
		"looking into", "we will", "contact us", "reach out", "dm", "direct message", "send us", "call us", "call",
		"email us", "visit", "see", "check", "more information", "more info", "read more", "website", "faq",
		"status page", "steps", "measures", "refund*", "compensat*", "return", "do not eat", "do not use",
		"stop using", "change your password", "reset", "rebook", "contacting", "more at", "more later",
		"details", "chat with", "cooperating", "find", "follow", "we are talking", "terms",
	},
}
