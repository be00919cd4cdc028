package plan

import (
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/incident"
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
	scenarios, err := seededScenarios()
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
		Scenarios: scenarios,
		Templates: templates,
	}
	return p, nil
}

// seededScenarios copies the playbooks crisisdesk ships with, which the incident room owns, into the
// plan's shape, so the two never drift apart.
func seededScenarios() ([]Scenario, error) {
	seeded, err := incident.SeededPlaybooks()
	if err != nil {
		return nil, err
	}
	out := make([]Scenario, len(seeded))
	for i, sc := range seeded {
		tasks := make([]Task, len(sc.Playbook))
		for j, t := range sc.Playbook {
			tasks[j] = Task{Step: t.Step, Do: Text{NL: t.Do.NL, EN: t.Do.EN}, Owner: t.Owner, Due: t.Due}
		}
		out[i] = Scenario{ID: sc.ID, Name: Text{NL: sc.Name.NL, EN: sc.Name.EN}, Severity: sc.Severity,
			Templates: sc.Templates, Playbook: tasks}
	}
	return out, nil
}
