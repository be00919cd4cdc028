package plan

import (
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// Default returns the plan crisisdesk starts with: a small Dutch organisation's crisis team, a webcare
// and a crisis escalation policy, the severity definitions written out in Dutch and English, the conduct
// rules, the moderation policy, the six seeded scenarios with playbooks and the seeded statements. A team replaces
// the example people and addresses with its own; everything else is a reasonable starting point.
func Default() (*Plan, error) {
	templates, err := respond.SeededTemplates()
	if err != nil {
		return nil, fmt.Errorf("plan: default: %w", err)
	}
	p := &Plan{
		Organisation: Organisation{Name: "Voorbeeld B.V.", Lang: "nl", Form: "u", TimeZone: DefaultTimeZone},
		People: []Person{
			{ID: "anna", Name: "Anna de Vries", Roles: []string{RoleCrisisLead, RoleManagement}, Languages: []string{"nl", "en"},
				Email: "anna.devries@example.org", Phone: "+31 20 123 4501", Chat: "@anna"},
			{ID: "bram", Name: "Bram Jansen", Roles: []string{RoleCommunications, RoleSpokesperson}, Languages: []string{"nl", "en"},
				Email: "bram.jansen@example.org", Phone: "+31 20 123 4502", Chat: "@bram"},
			{ID: "fatima", Name: "Fatima El Amrani", Roles: []string{RoleCustomerService}, Languages: []string{"nl", "en"},
				Email: "fatima.elamrani@example.org", Chat: "@fatima"},
			{ID: "joost", Name: "Joost Bakker", Roles: []string{RoleCustomerService}, Languages: []string{"nl"},
				Email: "joost.bakker@example.org", Chat: "@joost"},
			{ID: "sanne", Name: "Sanne Visser", Roles: []string{RoleIT}, Languages: []string{"nl", "en"},
				Email: "sanne.visser@example.org", Phone: "+31 20 123 4505", Chat: "@sanne"},
			{ID: "mark", Name: "Mark de Boer", Roles: []string{RoleLegal}, Languages: []string{"nl"},
				Email: "mark.deboer@example.org", Phone: "+31 20 123 4506"},
			{ID: "lotte", Name: "Lotte Smit", Roles: []string{RoleHR}, Languages: []string{"nl"},
				Email: "lotte.smit@example.org"},
		},
		Contacts: []Contact{
			{ID: "anp", Name: "ANP redactie", Kind: ContactPress, Organisation: "ANP", Email: "redactie@example.net"},
			{ID: "ap", Name: "Autoriteit Persoonsgegevens", Kind: ContactAuthority, Organisation: "Autoriteit Persoonsgegevens",
				Notes: "Een datalek binnen 72 uur melden via het meldloket."},
			{ID: "hosting", Name: "Servicedesk hostingpartij", Kind: ContactSupplier, Organisation: "Hostingpartij", Phone: "+31 20 765 4321"},
		},
		Schedules: []Schedule{
			{ID: "webcare", Name: "Webcare dienst", Rotations: []Rotation{
				{Name: "webcare", People: []string{"fatima", "joost"}, Start: "2026-01-05 09:00", ShiftDays: 7},
			}},
			{ID: "crisisdienst", Name: "Crisisdienst", Rotations: []Rotation{
				{Name: "leiding", People: []string{"anna", "bram"}, Start: "2026-01-05 09:00", ShiftDays: 7},
			}},
		},
		Channels: []Channel{
			{ID: "email", Type: ChannelEmail, Host: "smtp.example.org", Port: 587, From: "crisisdesk@example.org",
				Username: "crisisdesk", Password: Secret{Ref: "env:CRISISDESK_SMTP_PASSWORD"}},
			{ID: "teams", Type: ChannelTeams, URL: Secret{Ref: "env:CRISISDESK_TEAMS_URL"}},
		},
		Escalation: Escalation{
			Policies: []Policy{
				{ID: "webcare", Name: "Webcare", Repeat: 1, Steps: []Step{
					{Schedules: []string{"webcare"}, Channels: []string{ChannelInApp, "email"}, Wait: 15},
					{People: []string{"bram"}, Channels: []string{ChannelInApp, "email"}, Wait: 15},
				}},
				{ID: "crisis", Name: "Crisisteam", Repeat: 2, Steps: []Step{
					{Schedules: []string{"crisisdienst"}, People: []string{"bram"}, Channels: []string{ChannelInApp, "email", "teams"}, Wait: 5},
					{People: []string{"anna", "mark", "sanne"}, Channels: []string{ChannelInApp, "email", "teams"}, Wait: 10},
				}},
			},
			Route: Route{Policy: "webcare", Routes: []Route{
				{Match: Match{MinSeverity: SeverityHigh}, Policy: "crisis"},
				{Match: Match{Category: []string{"data_breach", "product_safety"}}, Policy: "crisis"},
			}},
		},
		Protocol: Protocol{Levels: []Level{
			{Severity: SeverityLow,
				Name:    Text{NL: "Laag", EN: "Low"},
				Meaning: Text{NL: "Enkele negatieve berichten of vragen over één onderwerp, zonder groei en zonder pers.", EN: "A few negative posts or questions about one topic, not growing, and no press."},
				Action:  Text{NL: "Webcare beantwoordt de berichten binnen de normale werktijden. Geen escalatie.", EN: "Webcare answers the posts within normal working hours. No escalation."}},
			{Severity: SeverityMedium,
				Name:    Text{NL: "Verhoogd", EN: "Elevated"},
				Meaning: Text{NL: "Duidelijk meer negatieve aandacht dan normaal over één onderwerp, of één bericht dat zich snel verspreidt. Nog geen landelijke pers.", EN: "Clearly more negative attention than usual about one topic, or one post spreading fast. No national press yet."},
				Action:  Text{NL: "De dienstdoende webcaremedewerker beoordeelt binnen 30 minuten en zet een holding statement klaar. Communicatie wordt geïnformeerd.", EN: "The webcare agent on duty assesses within 30 minutes and prepares a holding statement. Communications is informed."}},
			{Severity: SeverityHigh,
				Name:          Text{NL: "Hoog", EN: "High"},
				Meaning:       Text{NL: "Het onderwerp verspreidt zich over meerdere kanalen, pers of invloedrijke accounts doen mee, of klanten worden geraakt, zoals bij een storing of een gerucht over een datalek.", EN: "The topic is spreading over several channels, the press or influential accounts join in, or customers are affected, as with an outage or a data-leak rumour."},
				Action:        Text{NL: "Het crisisteam wordt opgeroepen. De eerste publieke reactie staat binnen 60 minuten na detectie online.", EN: "The crisis team is paged. The first public response is online within 60 minutes of detection."},
				RespondWithin: 60},
			{Severity: SeverityCritical,
				Name:          Text{NL: "Crisis", EN: "Crisis"},
				Meaning:       Text{NL: "Gevaar voor veiligheid of gezondheid, een bevestigd datalek, landelijke pers of grote maatschappelijke onrust: het vertrouwen in de organisatie staat op het spel.", EN: "A risk to safety or health, a confirmed data breach, national press or wide public unrest: trust in the organisation is at stake."},
				Action:        Text{NL: "Het volledige crisisteam komt bijeen, met directie en juridisch. De eerste publieke reactie staat binnen 30 minuten online, daarna minstens elk uur een update.", EN: "The full crisis team meets, with management and legal. The first public response is online within 30 minutes, then an update at least every hour."},
				RespondWithin: 30},
		}},
		Conduct: Conduct{
			Tone: Text{
				NL: "Menselijk, eerlijk en rustig. Erken eerst wat mensen meemaken, zeg wat we weten en wat niet, en wanneer de volgende update komt. Geen verwijten, geen beloftes die we niet kunnen waarmaken.",
				EN: "Human, honest and calm. First acknowledge what people are going through, say what we know and what we do not, and when the next update comes. No blame, no promises we cannot keep.",
			},
			Form: "u",
			Forbidden: []Term{
				{Lang: "nl", Word: "geen commentaar", Instead: "we zoeken het uit en komen erop terug", Why: "klinkt als iets verbergen"},
				{Lang: "en", Word: "no comment", Instead: "we are looking into it and will come back to you", Why: "sounds like hiding something"},
				{Lang: "nl", Word: "garanderen", Instead: "we doen er alles aan", Why: "een belofte die we niet zeker kunnen houden"},
			},
			Jargon: []Term{
				{Lang: "nl", Word: "P1-incident", Instead: "storing"},
				{Lang: "nl", Word: "uitrol", Instead: "update"},
				{Lang: "en", Word: "root cause analysis", Instead: "finding out what went wrong"},
			},
			Preferred: []Term{
				{Lang: "nl", Word: "het spijt ons"},
				{Lang: "nl", Word: "we begrijpen dat dit vervelend is"},
				{Lang: "en", Word: "we are sorry"},
			},
		},
		Moderation: Moderation{
			Principle: Text{
				NL: "We verbergen alleen wat schade doet en verwijderen nooit kritiek. Kritiek, ook scherpe, blijft staan en krijgt een antwoord.",
				EN: "We hide only what does harm and never delete criticism. Criticism, sharp criticism too, stays up and gets an answer.",
			},
			Harms: []Harm{
				{ID: "hate", Name: Text{NL: "Haat en discriminatie", EN: "Hate and discrimination"},
					Description: Text{NL: "Beledigingen of oproepen tegen mensen om wie ze zijn.", EN: "Insults of or calls against people for who they are."}, Action: ActionHideAndReport},
				{ID: "threat", Name: Text{NL: "Bedreiging", EN: "Threats"},
					Description: Text{NL: "Bedreigingen van medewerkers of anderen.", EN: "Threats against staff or others."}, Action: ActionHideAndReport},
				{ID: "personal_data", Name: Text{NL: "Persoonsgegevens", EN: "Personal data"},
					Description: Text{NL: "Adressen, telefoonnummers of klantgegevens van anderen.", EN: "Addresses, phone numbers or customer data of others."}, Action: ActionHide},
				{ID: "scam", Name: Text{NL: "Oplichting en spam", EN: "Scams and spam"},
					Description: Text{NL: "Nepaccounts die zich als ons voordoen, phishinglinks en spam.", EN: "Accounts impersonating us, phishing links and spam."}, Action: ActionHideAndReport},
			},
		},
		Scenarios: []Scenario{
			{ID: "data_leak", Name: Text{NL: "Datalek", EN: "Data leak"}, Severity: SeverityCritical,
				Templates: []string{"holding-nl-u", "holding-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCommunications, Due: 15, Do: Text{NL: "Bevestig de melding en stel de ernst vast volgens het protocol.", EN: "Confirm the alert and set the severity by the protocol."}},
					{Step: StepGather, Owner: RoleIT, Due: 30, Do: Text{NL: "Stel vast welke gegevens van wie betrokken zijn en of het lek gedicht is.", EN: "Establish whose data is involved and whether the leak is closed."}},
					{Step: StepInform, Owner: RoleLegal, Due: 60, Do: Text{NL: "Beoordeel de meldplicht bij de Autoriteit Persoonsgegevens (binnen 72 uur).", EN: "Assess the duty to notify the Dutch Data Protection Authority (within 72 hours)."}},
					{Step: StepRespond, Owner: RoleSpokesperson, Due: 60, Do: Text{NL: "Publiceer het holding statement op alle kanalen.", EN: "Publish the holding statement on every channel."}},
					{Step: StepMonitor, Owner: RoleCustomerService, Due: 120, Do: Text{NL: "Beantwoord vragen in de inbox en meld nieuwe geruchten.", EN: "Answer questions in the inbox and report new rumours."}},
					{Step: StepAftercare, Owner: RoleCrisisLead, Do: Text{NL: "Plan de evaluatie en pas het plan aan.", EN: "Schedule the review and update the plan."}},
				}},
			{ID: "service_outage", Name: Text{NL: "Storing", EN: "Service outage"}, Severity: SeverityHigh,
				Templates: []string{"holding-nl-u", "holding-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCustomerService, Due: 10, Do: Text{NL: "Controleer of klanten de storing melden en hoe breed die is.", EN: "Check whether customers report the outage and how wide it is."}},
					{Step: StepGather, Owner: RoleIT, Due: 20, Do: Text{NL: "Vraag IT naar oorzaak, omvang en verwachte hersteltijd.", EN: "Ask IT for the cause, scope and expected time to recovery."}},
					{Step: StepInform, Owner: RoleCommunications, Due: 30, Do: Text{NL: "Informeer klantenservice en directie met de kernboodschap.", EN: "Brief customer service and management with the core message."}},
					{Step: StepRespond, Owner: RoleCommunications, Due: 60, Do: Text{NL: "Publiceer een holding statement met het tijdstip van de volgende update.", EN: "Publish a holding statement with the time of the next update."}},
					{Step: StepMonitor, Owner: RoleCustomerService, Due: 90, Do: Text{NL: "Volg het volume en het sentiment en publiceer updates tot het herstel.", EN: "Follow volume and sentiment and publish updates until recovery."}},
					{Step: StepAftercare, Owner: RoleCrisisLead, Do: Text{NL: "Publiceer de oplossing en bespreek wat beter kan.", EN: "Publish the resolution and discuss what to improve."}},
				}},
			{ID: "negative_news", Name: Text{NL: "Negatieve berichtgeving", EN: "Negative news coverage"}, Severity: SeverityMedium,
				Templates: []string{"acknowledgement-nl-u", "acknowledgement-en", "correction-nl-u", "correction-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCommunications, Due: 15, Do: Text{NL: "Lees het artikel en stel vast hoe ver het zich verspreidt.", EN: "Read the article and establish how far it is spreading."}},
					{Step: StepGather, Owner: RoleCommunications, Due: 45, Do: Text{NL: "Zet de feiten naast de beweringen in het register feiten en geruchten.", EN: "Put the facts next to the claims in the facts and rumours register."}},
					{Step: StepInform, Owner: RoleCommunications, Due: 60, Do: Text{NL: "Informeer de directie en de woordvoerder met de feiten.", EN: "Brief management and the spokesperson with the facts."}},
					{Step: StepRespond, Owner: RoleSpokesperson, Due: 120, Do: Text{NL: "Reageer bij de redactie en online; corrigeer onjuistheden met bronnen.", EN: "Respond to the newsroom and online; correct errors with sources."}},
					{Step: StepMonitor, Owner: RoleCommunications, Due: 240, Do: Text{NL: "Volg overnames door andere media en het sentiment.", EN: "Follow pick-up by other media and the sentiment."}},
					{Step: StepAftercare, Owner: RoleCrisisLead, Do: Text{NL: "Bespreek met de redactie wat beter kon en leg het vast.", EN: "Discuss with the newsroom what could be better and record it."}},
				}},
			{ID: "viral_complaint", Name: Text{NL: "Klacht gaat viral", EN: "Customer complaint goes viral"}, Severity: SeverityMedium,
				Templates: []string{"complaint-reply-nl-u", "complaint-reply-en", "apology-nl-u", "apology-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCustomerService, Due: 15, Do: Text{NL: "Zoek het oorspronkelijke bericht en de klant op.", EN: "Find the original post and the customer."}},
					{Step: StepGather, Owner: RoleCustomerService, Due: 30, Do: Text{NL: "Zoek het klantdossier op: wat is er gebeurd en wat is toegezegd?", EN: "Look up the customer's case: what happened and what was promised?"}},
					{Step: StepInform, Owner: RoleCommunications, Due: 45, Do: Text{NL: "Informeer de afdeling waar de klacht over gaat.", EN: "Inform the department the complaint is about."}},
					{Step: StepRespond, Owner: RoleCustomerService, Due: 60, Do: Text{NL: "Reageer persoonlijk en openbaar, en los het daarna privé op.", EN: "Reply personally and in public, then solve it in private."}},
					{Step: StepMonitor, Owner: RoleCustomerService, Due: 180, Do: Text{NL: "Beantwoord vragen van anderen met dezelfde boodschap.", EN: "Answer others' questions with the same message."}},
					{Step: StepAftercare, Owner: RoleCustomerService, Do: Text{NL: "Verbeter het proces dat de klacht veroorzaakte.", EN: "Fix the process that caused the complaint."}},
				}},
			{ID: "own_post", Name: Text{NL: "Fout of kwetsend bericht van eigen account of medewerker", EN: "Wrong or offensive post by our own account or staff"}, Severity: SeverityHigh,
				Templates: []string{"apology-nl-u", "apology-en", "correction-nl-u", "correction-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCommunications, Due: 10, Do: Text{NL: "Maak schermafbeeldingen van het bericht en de reacties.", EN: "Take screenshots of the post and the replies."}},
					{Step: StepGather, Owner: RoleCommunications, Due: 20, Do: Text{NL: "Stel vast wie het plaatste en of het account veilig is.", EN: "Establish who posted it and whether the account is secure."}},
					{Step: StepInform, Owner: RoleHR, Due: 30, Do: Text{NL: "Betrek HR als een medewerker het plaatste.", EN: "Involve HR when a member of staff posted it."}},
					{Step: StepRespond, Owner: RoleSpokesperson, Due: 60, Do: Text{NL: "Verberg het bericht niet stilletjes: bied openlijk excuses aan en zeg wat er verandert.", EN: "Do not quietly hide the post: apologise openly and say what will change."}},
					{Step: StepMonitor, Owner: RoleCommunications, Due: 120, Do: Text{NL: "Pauzeer geplande berichten en volg de reacties.", EN: "Pause scheduled posts and follow the reactions."}},
					{Step: StepAftercare, Owner: RoleCrisisLead, Do: Text{NL: "Herzie wie namens ons mag posten en hoe.", EN: "Review who may post on our behalf, and how."}},
				}},
			{ID: "product_recall", Name: Text{NL: "Productfout of terugroepactie", EN: "Product defect or recall"}, Severity: SeverityCritical,
				Templates: []string{"holding-nl-u", "holding-en", "update-nl-u", "update-en"},
				Playbook: []Task{
					{Step: StepDetect, Owner: RoleCustomerService, Due: 15, Do: Text{NL: "Verzamel meldingen over het product en stel de ernst vast.", EN: "Collect reports about the product and set the severity."}},
					{Step: StepGather, Owner: RoleCrisisLead, Due: 30, Do: Text{NL: "Stel vast welke partijen en klanten het betreft en of er gevaar is.", EN: "Establish which batches and customers are affected and whether there is danger."}},
					{Step: StepInform, Owner: RoleLegal, Due: 60, Do: Text{NL: "Beoordeel de meldplicht bij de toezichthouder en informeer leveranciers.", EN: "Assess the duty to notify the regulator and inform suppliers."}},
					{Step: StepRespond, Owner: RoleSpokesperson, Due: 60, Do: Text{NL: "Zeg eerst wat klanten moeten doen om veilig te zijn, dan wat wij doen.", EN: "Say first what customers should do to stay safe, then what we are doing."}},
					{Step: StepMonitor, Owner: RoleCustomerService, Due: 120, Do: Text{NL: "Beantwoord vragen over retour en vergoeding met één boodschap.", EN: "Answer questions about returns and refunds with one message."}},
					{Step: StepAftercare, Owner: RoleCrisisLead, Do: Text{NL: "Evalueer de terugroepactie en pas de kwaliteitscontrole aan.", EN: "Review the recall and adjust quality control."}},
				}},
		},
		Templates: templates,
	}
	return p, nil
}
