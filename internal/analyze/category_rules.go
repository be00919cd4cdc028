package analyze

// The crisis category rules, Dutch and English together. Each rule is a list of groups; a rule fires
// when every one of its groups matches somewhere in the post. A rule of one group is a phrase strong
// enough on its own ("datalek"); ambiguous words ("hack", "lek", "recall", "down") only count next to
// a word that pins down their meaning. Vetoes remove phrases that contain a trigger word but mean
// something else ("life hack").
//
// Pattern syntax: words separated by spaces, matched against the tokenizer's folded forms; a word
// ending in * matches as a prefix (at least three letters before it); a pattern starting with # matches
// hashtags only.

type categoryRule struct {
	cat    Category
	groups [][]string
}

var categoryRuleTable = []categoryRule{
	// data_breach
	{DataBreach, [][]string{{"datalek*", "data breach*", "databreach*", "data leak", "data leaks",
		"dataleak*", "privacylek*", "beveiligingslek*", "security breach*", "cyberaanval*",
		"cyber attack*", "cyberattack*", "ransomware*", "gijzelsoftware", "hackers", "hackersgroep*",
		"hacker group*", "gelekte gegevens", "leaked data", "stolen data", "gestolen gegevens", "data stolen", "gegevens gestolen",
		"klantgegevens op straat", "gegevens op straat", "persoonsgegevens op straat", "datadiefstal",
		"data theft", "hackaanval*", "ddos*", "gehackte database", "exposed database"}}},
	{DataBreach, [][]string{
		{"hack", "hacked", "hacking", "gehackt", "gehacked", "hackt", "gelekt", "lek", "lekt",
			"leak", "leaked", "leaking", "leaks", "breach", "breached", "exposed", "op straat", "inbraak", "ingebroken", "buitgemaakt", "compromised",
			"gecompromitteerd", "onbeveiligd", "onversleuteld", "unencrypted"},
		{"data", "gegevens", "persoonsgegevens", "klantgegevens*", "klantdata", "customer data",
			"personal data", "wachtwoord*", "password*", "e-mailadres*", "emailadres*",
			"email addresses", "bsn*", "burgerservicenummer*", "creditcard*", "credit card*",
			"bankgegevens*", "database*", "server*", "systemen", "systems", "medische gegevens",
			"patientgegevens*", "medical records", "records", "personal information", "privacy",
			"klanten", "customers", "accounts", "inloggegevens*", "login details", "credentials"}}},

	// product_safety
	{ProductSafety, [][]string{{"terugroepactie*", "terugroepacties", "productrecall*",
		"product recall*", "voedselvergiftiging*", "food poisoning", "salmonella*", "listeria*",
		"e. coli", "ecoli", "allergische reactie*", "allergic reaction*", "brandgevaar*",
		"fire hazard*", "choking hazard*", "verstikkingsgevaar*", "stikgevaar*", "veiligheidswaarschuwing*",
		"safety warning*", "veiligheidsrisico*", "safety risk*", "safety hazard*", "gezondheidsrisico*",
		"health risk*", "niet consumeren", "do not consume", "do not eat"}}},
	{ProductSafety, [][]string{
		{"recall", "recalls", "recalled", "teruggeroepen", "terugroepen", "roept terug", "haalt terug",
			"uit de schappen", "off the shelves", "pulled from shelves"},
		{"product*", "batch*", "partij", "lot", "auto*", "cars", "vehicle*", "voertuig*", "model*",
			"food", "voedsel", "levensmiddel*", "safety", "veiligheid*", "defect*", "faulty",
			"gevaarlijk*", "dangerous", "risico*", "risk*", "nvwa", "fda", "allergen*", "allergeen"}}},
	{ProductSafety, [][]string{
		{"glas", "glass", "glasscherf*", "metaaldeeltje*", "metaalstukje*", "metal fragment*",
			"schimmel*", "mold", "mould", "mouldy", "moldy", "maden", "maggot*", "insect*",
			"kakkerlak*", "cockroach*", "muizenkeutel*", "plastic fragment*", "stukjes plastic"},
		{"gevonden", "found", "zat", "zaten", "in my", "in mijn", "contains", "bevat", "bevatte"}}},
	{ProductSafety, [][]string{
		{"ziek", "sick", "ziekenhuis", "hospital", "overgeven", "vomit*", "braken", "diarree",
			"diarrhea", "diarrhoea", "poisoned", "vergiftigd"},
		{"gegeten", "eten van", "na het eten", "ate", "eaten", "after eating", "food from",
			"maaltijd*", "meal", "product", "producten", "products", "gedronken", "drank"}}},
	{ProductSafety, [][]string{
		// Fire and explosions count only on a product: alone they are disasters, not product safety.
		{"in brand", "brand gevlogen", "vatte vlam", "vlam gevat", "caught fire", "burst into flames",
			"rookontwikkeling", "explod*",
			"ontplof*", "oververhit*", "overheat*", "brandwond*", "burns", "burned", "burnt",
			"elektrocut*", "electrocut*"},
		{"battery", "batteries", "batterij*", "accu*", "charger*", "oplader*", "laptop*",
			"scooter*", "airfryer*", "device", "apparaat", "telefoon", "phone", "stekker",
			"adapter*", "powerbank*", "e-bike*", "fietsaccu*", "heater", "kachel*"}}},

	// service_outage
	{ServiceOutage, [][]string{{"storing*", "verstoring*", "outage*", "stroomstoring*",
		"pinstoring*", "internetstoring*", "netwerkstoring*", "geen internet", "no internet",
		"geen bereik", "no signal", "no service", "service down", "servers down", "server down",
		"systems down", "site down", "website down", "app down", "downdetector", "allestoringen",
		"ligt eruit", "ligt plat", "liggen plat", "liggen eruit", "lag eruit", "platgelegd",
		"stroomuitval", "power outage*", "power cut*", "power blackout", "502 bad gateway",
		"503 service unavailable", "service unavailable", "site offline", "website offline",
		"app offline", "servers offline", "server offline", "systems offline"}}},
	{ServiceOutage, [][]string{
		{"is down", "are down", "went down", "still down", "down again", "goes down",
			"werkt niet", "werken niet", "werkt nog steeds niet", "doet het niet", "doen het niet",
			"niet bereikbaar", "onbereikbaar", "not working", "isn't working", "is not working",
			"stopped working", "doesn't work", "does not work", "won't load", "not loading",
			"laadt niet", "crashes", "crashing", "keeps crashing", "gecrasht", "kan niet inloggen",
			"kunnen niet inloggen", "can't log in", "can't login", "cannot log in", "unable to log in",
			"foutmelding*", "error message"},
		{"app", "apps", "site", "website", "webshop", "server*", "service", "services", "dienst",
			"diensten", "internet", "netwerk", "network", "wifi", "login", "inloggen",
			"online banking", "internetbankieren", "mobiel bankieren", "systeem", "system",
			"systems", "platform", "checkout", "betalen", "payments", "pinnen", "ideal", "tv",
			"bereik", "email", "e-mail", "portal", "mijn omgeving", "telefonie", "4g", "5g"}}},

	// employee_conduct
	{EmployeeConduct, [][]string{{"grensoverschrijdend gedrag", "seksuele intimidatie",
		"sexual harassment", "wangedrag", "misconduct", "ongewenst gedrag", "ongewenste intimiteiten",
		"#metoo", "angstcultuur", "toxic workplace", "toxische werkcultuur"}}},
	{EmployeeConduct, [][]string{
		{"medewerker*", "werknemer*", "employee*", "staff", "staffer*", "personeel*",
			"baliemedewerker*", "chauffeur*", "buschauffeur*", "driver*", "conducteur*", "manager*",
			"bediende*", "verkoper*", "verkoopster*", "cashier*", "kassamedewerker*", "caissiere*",
			"bezorger*", "pakketbezorger*", "courier*", "koerier*", "steward*", "waiter*",
			"waitress*", "ober", "obers", "serveerster*", "security guard*", "beveiliger*", "boa", "boas",
			"ceo", "directeur*", "bestuurder*", "leidinggevende*", "agent", "agenten", "officer", "officers", "your rep",
			"jullie medewerker*", "klantenservicemedewerker*", "mechanic", "monteur*"},
		{"schold", "uitgescholden", "scheldt", "schelden", "yelled", "schreeuwde", "screamed",
			"shouted", "agressief", "aggressive", "grabbed", "sloeg", "slaan", "hit me", "assaulted",
			"mishandeld", "mishandeling", "intimidatie", "intimiderend", "harassed", "harassing",
			"harassment", "intimidated", "dronken", "drunk", "stal", "stole", "seksueel",
			"sexually", "ongepast", "inappropriate", "misbruik*", "abused", "abusive", "bedreigd",
			"bedreigde", "threatened", "beledigd", "beledigde", "insulted", "uitgelachen",
			"laughed at", "spuugde", "spat", "schopte", "kicked", "duwde", "pushed", "shoved",
			"onbeschoft", "rude", "racistisch", "racist", "discrimineerde", "discriminated",
			"vernederd", "humiliated"}}},

	// discrimination
	{Discrimination, [][]string{{"discrimin*", "racis*", "seksis*", "sexis*", "homofob*",
		"homophob*", "transfob*", "transphob*", "islamofob*", "antisemit*", "jodenhaat", "moslimhaat",
		"xenofob*", "xenophob*", "etnisch profileren", "etnische profilering", "ethnic profiling",
		"racial profiling", "hate speech", "haatzaai*", "ableis*", "validis*", "leeftijdsdiscriminatie",
		"zwangerschapsdiscriminatie", "arbeidsmarktdiscriminatie", "racial slur*", "ageism", "ageist",
		"misogyn*", "vrouwenhaat", "blackface"}}},
	{Discrimination, [][]string{
		{"geweigerd", "weigerden", "weigeren", "refused", "denied", "niet binnengelaten",
			"turned away", "kicked out", "weggestuurd", "eruit gezet", "treated differently",
			"anders behandeld", "niet aangenomen", "not hired", "afgewezen", "rejected"},
		{"huidskleur", "skin colour", "skin color", "hoofddoek", "headscarf", "hijab", "afkomst",
			"achternaam", "omdat ik zwart", "because i'm black", "because im black", "religie",
			"religion", "omdat ik homo", "because i'm gay", "transgender", "rolstoel", "wheelchair",
			"handicap", "beperking", "disability", "disabled", "moslim", "muslim", "joods", "jewish",
			"zwanger", "pregnant", "leeftijd", "my age", "ethnicity", "etniciteit", "accent"}}},

	// fraud_scam
	{FraudScam, [][]string{{"oplicht*", "opgelicht", "scam", "scams", "scammed", "scammer",
		"scammers", "scamming", "fraude*", "fraud", "frauds", "fraudulent*", "frauduleu*", "fraudeur*",
		"fraudster*", "phishing*", "nepwebshop*", "fake webshop*", "ponzi*", "piramidespel*",
		"pyramid scheme*", "identiteitsfraude", "identity theft", "identiteitsdiefstal", "spoofing",
		"spoofed", "smishing", "geldezel*", "money mule*", "unauthorized charge*",
		"unauthorised charge*", "unauthorized transaction*", "unauthorised transaction*",
		"ongeautoriseerde transactie*", "niet geautoriseerde", "geld gestolen", "money stolen",
		"stole my money", "nepmail*", "nep-mail*", "nepsms*", "nep-sms*", "valse facturen",
		"fake invoice*", "impostor*", "imposter*", "impersonat*", "zwendel*", "afpersing*",
		"extortion", "witwas*", "money laundering", "bedrieger*", "swindle*", "con artist*",
		"nepaccount*", "fake account*"}}},

	// legal_regulatory
	{LegalRegulatory, [][]string{{"rechtszaak*", "lawsuit*", "sued", "sues", "suing",
		"aangeklaagd", "aanklacht*", "dagvaard*", "class action", "massaclaim*", "collectieve claim*",
		"rechtbank*", "court case*", "court ruling*", "uitspraak van de rechter", "veroordeeld",
		"convicted", "strafrechtelijk*", "criminal investigation*", "criminal charges",
		"fiod", "aansprakelijk gesteld", "held liable", "ingebrekestelling*", "sommatie*",
		"kort geding", "aangifte gedaan", "aangifte doen", "doe aangifte", "aangifte tegen",
		"aangifte gedaan", "gdpr violation*", "avg-overtreding*", "in strijd met de avg",
		"in breach of gdpr", "toezichthouder*", "regulator*", "autoriteit persoonsgegevens",
		"autoriteit consument en markt", "openbaar ministerie", "kansspelautoriteit",
		"attorney general", "subpoena*", "indicted", "indictment", "settlement", "schikking*"}}},
	{LegalRegulatory, [][]string{
		{"boete", "boetes", "fine", "fined", "fines", "sanctie*",
			"sanction*", "onderzoek", "investigation", "probe", "investigating", "onderzoekt",
			"inval", "raid", "verbod", "ban", "banned", "verboden", "illegal", "illegaal", "onwettig",
			"unlawful", "overtreding*", "violation*", "violated", "overtreedt", "schending"},
		{"acm", "afm", "dnb", "nvwa", "ilt", "ftc", "sec", "ico", "fca", "cma", "gdpr", "avg",
			"justitie", "prosecutor*", "officier van justitie", "europese commissie",
			"european commission", "eu", "ministerie", "ministry", "inspectie*", "rechter", "court",
			"judge", "wetgeving", "law", "miljoen", "million", "billion", "miljard",
			"consumentenbond", "autoriteit*", "authority", "authorities"}}},

	// boycott: calls on others to stay away. One customer's "never again" is a complaint, not a
	// boycott, so first-person phrases are left out.
	{Boycott, [][]string{{"boycot*", "#delete*", "#uninstall*", "#stopbuying*", "#dontbuy*",
		"koop niet bij", "koop niets bij", "stop met kopen", "stop met bestellen", "niet meer kopen bij",
		"stop buying", "stop shopping at", "don't buy from", "do not buy from", "don't shop at",
		"do not shop at", "zeg je abonnement op", "zeg allemaal", "cancel your subscription",
		"everyone cancel", "iedereen opzeggen", "massaal opzeggen", "massaal overstappen",
		"take your business elsewhere", "vermijd deze", "avoid this company", "laat ze links liggen"}}},
}

// categoryVetoes are phrases that contain a trigger word in another sense. A veto that matches at a
// position consumes its words, so they trigger nothing.
var categoryVetoes = []string{
	"life hack*", "lifehack*", "growth hack*", "hackathon*", "kitchen hack*", "hack job",
	"productivity hack*", "beauty hack*", "travel hack*", "hacks for", "easy hack*",
	"lek me", "lekke band*", "lekke fietsband*", "lekkende kraan", "leaking tap",
	"total recall", "recall that", "i recall", "can't recall", "cannot recall", "don't recall",
	"recall the", "if i recall", "as i recall",
	"on fire", "fire sale", "fired up", "ceasefire", "cease fire", "fire emoji", "firework*",
	"in de rook", "smoke and mirrors",
	"down to", "down for", "is down with", "down the", "count down", "countdown",
	"fine dining", "fine by me", "i'm fine", "im fine", "it's fine", "its fine", "fine art*",
	"mijn boete", "parkeerboete*", "verkeersboete*", "parking fine", "speeding fine",
	"ban the", "hairban*",
	"boyfriend", "girlfriend",
}
