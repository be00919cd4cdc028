// Package plan owns the crisis plan: who is on the team and in which role, the external contacts, the
// on-duty schedules, the escalation policies and the routing tree that picks them, what each severity
// means, the conduct rules, the moderation policy, the notification channels, the scenarios with their
// playbooks and the pre-approved statements.
//
// The plan is one YAML document, so a team can review it and keep it under version control. Parse reads
// and validates it, reporting every problem with its YAML path, line and column; Encode writes it back.
// Route picks the escalation policies for an alert and OnDuty says who a schedule has on duty.
package plan

import "github.com/crisisdesk/crisisdesk/internal/respond"

// Plan is the whole crisis plan. Its YAML form is what `crisisdesk plan export` writes and
// `crisisdesk plan import` reads.
type Plan struct {
	Organisation Organisation       `yaml:"organisation"`
	People       []Person           `yaml:"people"`
	Contacts     []Contact          `yaml:"contacts,omitempty"`
	Schedules    []Schedule         `yaml:"schedules,omitempty"`
	Channels     []Channel          `yaml:"channels,omitempty"`
	Escalation   Escalation         `yaml:"escalation"`
	Protocol     Protocol           `yaml:"protocol"`
	Conduct      Conduct            `yaml:"conduct"`
	Moderation   Moderation         `yaml:"moderation"`
	Scenarios    []Scenario         `yaml:"scenarios,omitempty"`
	Templates    []respond.Template `yaml:"templates,omitempty"`
	// Sources are the listening sources, without credentials (sources.go). Nil, when the plan has no
	// sources key, leaves the configured sources alone.
	Sources []Source `yaml:"sources,omitempty"`
}

// Text is something the plan says in both languages the product speaks.
type Text struct {
	NL string `yaml:"nl"`
	EN string `yaml:"en"`
}

// In returns the text in lang ("nl" or "en"), falling back to the other language when it is empty.
func (t Text) In(lang string) string {
	if lang == "nl" && t.NL != "" || t.EN == "" {
		return t.NL
	}
	return t.EN
}

// Organisation is who the plan is for and how it addresses the public.
type Organisation struct {
	Name string `yaml:"name"`
	// Lang is the default language of statements and of the UI: nl or en.
	Lang string `yaml:"lang"`
	// Form is how Dutch statements address people: u or jij.
	Form string `yaml:"form"`
	// TimeZone is the IANA zone schedules use unless they name their own; Europe/Amsterdam when empty.
	TimeZone string `yaml:"time_zone,omitempty"`
}

// Roles a person can have on the crisis team.
const (
	RoleCrisisLead      = "crisis_lead"
	RoleCommunications  = "communications"
	RoleSpokesperson    = "spokesperson"
	RoleIT              = "it"
	RoleHR              = "hr"
	RoleLegal           = "legal"
	RoleCustomerService = "customer_service"
	RoleManagement      = "management"
)

// Roles is the fixed set of team roles, in the order the UI lists them.
func Roles() []string {
	return []string{RoleCrisisLead, RoleCommunications, RoleSpokesperson, RoleIT, RoleHR, RoleLegal,
		RoleCustomerService, RoleManagement}
}

// Person is a member of the crisis team.
type Person struct {
	ID        string   `yaml:"id"`
	Name      string   `yaml:"name"`
	Roles     []string `yaml:"roles"`
	Languages []string `yaml:"languages,omitempty"`
	Email     string   `yaml:"email,omitempty"`
	// Phone is shown to colleagues; crisisdesk never dials it.
	Phone string `yaml:"phone,omitempty"`
	// Chat is the handle chat notifications mention, such as @anna.
	Chat string `yaml:"chat,omitempty"`
}

// HasRole reports whether p has role.
func (p Person) HasRole(role string) bool {
	for _, r := range p.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Kinds of external contact.
const (
	ContactPress     = "press"
	ContactPlatform  = "platform"
	ContactPartner   = "partner"
	ContactSupplier  = "supplier"
	ContactAuthority = "authority"
)

// ContactKinds is the fixed set of external contact kinds.
func ContactKinds() []string {
	return []string{ContactPress, ContactPlatform, ContactPartner, ContactSupplier, ContactAuthority}
}

// Contact is someone outside the team who may need to hear from us, or whom we may need, in a crisis.
type Contact struct {
	ID           string `yaml:"id"`
	Name         string `yaml:"name"`
	Kind         string `yaml:"kind"`
	Organisation string `yaml:"organisation,omitempty"`
	Email        string `yaml:"email,omitempty"`
	Phone        string `yaml:"phone,omitempty"`
	Notes        string `yaml:"notes,omitempty"`
}

// Schedule says who is on duty. Each rotation contributes its current person, so a schedule with a
// primary and a backup rotation has two people on duty. An override replaces all of them for its time.
type Schedule struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// TimeZone is the IANA zone in which handoffs and override times are read; the organisation's
	// zone when empty.
	TimeZone  string     `yaml:"time_zone,omitempty"`
	Rotations []Rotation `yaml:"rotations"`
	Overrides []Override `yaml:"overrides,omitempty"`
}

// Rotation hands duty from one person to the next every ShiftDays days at the wall-clock time of
// Start, so a weekly handoff stays at Monday 09:00 across daylight saving changes.
type Rotation struct {
	Name string `yaml:"name,omitempty"`
	// People are person ids, in the order they take turns.
	People []string `yaml:"people"`
	// Start is the first handoff, as local time "2006-01-02 15:04" in the schedule's zone.
	Start string `yaml:"start"`
	// ShiftDays is the length of one turn in days; 7 when zero.
	ShiftDays int `yaml:"shift_days,omitempty"`
}

// Override puts Person on duty from Start until End (local times "2006-01-02 15:04" in the schedule's
// zone), instead of whoever the rotations have then.
type Override struct {
	Person string `yaml:"person"`
	Start  string `yaml:"start"`
	End    string `yaml:"end"`
	Reason string `yaml:"reason,omitempty"`
}

// Channel types.
const (
	ChannelEmail   = "email"
	ChannelSlack   = "slack"
	ChannelTeams   = "teams"
	ChannelWebhook = "webhook"
	ChannelInApp   = "inapp"
)

// ChannelTypes is the fixed set of notification channel types.
func ChannelTypes() []string {
	return []string{ChannelEmail, ChannelSlack, ChannelTeams, ChannelWebhook, ChannelInApp}
}

// Channel is a configured way to notify people. Secrets are references, never values, so an exported
// plan can be shared and versioned.
type Channel struct {
	ID   string `yaml:"id"`
	Type string `yaml:"type"`
	// SMTP, for type email.
	Host     string `yaml:"host,omitempty"`
	Port     int    `yaml:"port,omitempty"`
	From     string `yaml:"from,omitempty"`
	Username string `yaml:"username,omitempty"`
	Password Secret `yaml:"password,omitempty"`
	// URL is the incoming webhook of a slack, teams or webhook channel. It is a secret because anyone
	// who knows such a URL can post to it.
	URL Secret `yaml:"url,omitempty"`
	// SigningKey signs the generic webhook's body (HMAC-SHA256).
	SigningKey Secret `yaml:"signing_key,omitempty"`
}

// Secret refers to a secret kept outside the plan: "env:NAME" reads an environment variable and
// "file:PATH" reads a file, as container platforms mount secrets.
type Secret struct {
	Ref string `yaml:"secret,omitempty"`
}

// IsZero lets omitempty drop an unset secret.
func (s Secret) IsZero() bool { return s.Ref == "" }

// Escalation holds the policies and the routing tree that chooses between them.
type Escalation struct {
	Policies []Policy `yaml:"policies"`
	Route    Route    `yaml:"route"`
}

// Policy is an ordered list of steps. Each step notifies its people and schedules on its channels and
// waits Wait minutes for an acknowledgement before the next step; after the last step the policy starts
// over, Repeat more times.
type Policy struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Steps  []Step `yaml:"steps"`
	Repeat int    `yaml:"repeat,omitempty"`
}

// Step is one round of notifications in a policy.
type Step struct {
	People    []string `yaml:"people,omitempty"`
	Schedules []string `yaml:"schedules,omitempty"`
	// Channels are channel ids, or "inapp", which needs no configuration.
	Channels []string `yaml:"channels"`
	// Wait is how many minutes to wait for an acknowledgement before the next step.
	Wait int `yaml:"wait"`
}

// Route is a node of the routing tree, as in Alertmanager: an alert goes down the first child that
// matches it, and on to later siblings too when that child has Continue. When no child matches, the
// node itself applies. A node without a policy inherits its parent's.
type Route struct {
	Policy   string  `yaml:"policy,omitempty"`
	Match    Match   `yaml:"match,omitempty"`
	Continue bool    `yaml:"continue,omitempty"`
	Routes   []Route `yaml:"routes,omitempty"`
}

// Match selects alerts. Each non-empty field must match; within a field any listed value does.
type Match struct {
	Severity []string `yaml:"severity,omitempty"`
	// MinSeverity matches this severity and every higher one.
	MinSeverity string   `yaml:"min_severity,omitempty"`
	Monitor     []string `yaml:"monitor,omitempty"`
	Kind        []string `yaml:"kind,omitempty"`
	Category    []string `yaml:"category,omitempty"`
}

// IsZero lets omitempty drop a match-everything matcher.
func (m Match) IsZero() bool {
	return len(m.Severity) == 0 && m.MinSeverity == "" && len(m.Monitor) == 0 && len(m.Kind) == 0 &&
		len(m.Category) == 0
}

// Severities, lowest first.
const (
	SeverityLow      = "low"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// Severities is the fixed set of alert severities, lowest first.
func Severities() []string {
	return []string{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}

// severityRank is the position of s in Severities, or -1.
func severityRank(s string) int {
	for i, v := range Severities() {
		if v == s {
			return i
		}
	}
	return -1
}

// Protocol is what the team agreed each severity means, and what it asks of them.
type Protocol struct {
	Levels []Level `yaml:"levels"`
}

// Level describes one severity in the team's own words. The UI shows it wherever a severity is chosen.
type Level struct {
	Severity string `yaml:"severity"`
	Name     Text   `yaml:"name"`
	Meaning  Text   `yaml:"meaning"`
	Action   Text   `yaml:"action"`
	// RespondWithin is how many minutes after detection the first public response is due; zero when
	// this level asks for none.
	RespondWithin int `yaml:"respond_within,omitempty"`
}

// Level returns the protocol's description of severity, and false when it has none.
func (p Protocol) Level(severity string) (Level, bool) {
	for _, l := range p.Levels {
		if l.Severity == severity {
			return l, true
		}
	}
	return Level{}, false
}

// Conduct is how the organisation speaks: its tone, its form of address and its words.
type Conduct struct {
	Tone Text `yaml:"tone"`
	// Form is u or jij, for Dutch statements; the organisation's form when empty.
	Form      string `yaml:"form,omitempty"`
	Forbidden []Term `yaml:"forbidden,omitempty"`
	Jargon    []Term `yaml:"jargon,omitempty"`
	Preferred []Term `yaml:"preferred,omitempty"`
}

// Term is a word or phrase in one language, with what to say instead and why.
type Term struct {
	Lang    string `yaml:"lang"`
	Word    string `yaml:"word"`
	Instead string `yaml:"instead,omitempty"`
	Why     string `yaml:"why,omitempty"`
}

// Moderation actions. Deleting is not one of them: criticism stays visible.
const (
	ActionHide          = "hide"
	ActionHideAndReport = "hide_and_report"
)

// Moderation is the moderation policy: hide only what harms, never delete criticism.
type Moderation struct {
	Principle Text   `yaml:"principle"`
	Harms     []Harm `yaml:"harms"`
}

// Harm is a category of content that may be hidden, and how.
type Harm struct {
	ID          string `yaml:"id"`
	Name        Text   `yaml:"name"`
	Description Text   `yaml:"description"`
	Action      string `yaml:"action"`
}

// The six steps of the crisis lifecycle that playbook tasks belong to.
const (
	StepDetect    = "detect"
	StepGather    = "gather"
	StepInform    = "inform"
	StepRespond   = "respond"
	StepMonitor   = "monitor"
	StepAftercare = "aftercare"
)

// LifecycleSteps is the fixed order of the lifecycle: detect & triage, gather information, inform
// internally, respond externally, monitor & adjust, aftercare.
func LifecycleSteps() []string {
	return []string{StepDetect, StepGather, StepInform, StepRespond, StepMonitor, StepAftercare}
}

// Scenario is a kind of crisis the team prepared for, with its playbook.
type Scenario struct {
	ID   string `yaml:"id"`
	Name Text   `yaml:"name"`
	// Severity is the severity this scenario usually starts at.
	Severity string `yaml:"severity,omitempty"`
	// Templates are ids of the statements that fit this scenario.
	Templates []string `yaml:"templates,omitempty"`
	Playbook  []Task   `yaml:"playbook"`
}

// Task is one checklist item of a playbook.
type Task struct {
	Step string `yaml:"step"`
	Do   Text   `yaml:"do"`
	// Owner is the role that does it.
	Owner string `yaml:"owner"`
	// Due is how many minutes after the incident is declared the task should be done; zero when it has
	// no deadline.
	Due int `yaml:"due,omitempty"`
}
