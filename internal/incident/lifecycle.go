package incident

import (
	"fmt"
	"slices"
)

// Statuses of an incident, in the order an incident normally passes them.
const (
	StatusInvestigating = "investigating"
	StatusResponding    = "responding"
	StatusMonitoring    = "monitoring"
	StatusResolved      = "resolved"
	StatusReviewed      = "reviewed"
)

// Statuses is the fixed set of statuses in lifecycle order.
func Statuses() []string {
	return []string{StatusInvestigating, StatusResponding, StatusMonitoring, StatusResolved, StatusReviewed}
}

// transitions lists, per status, where an incident may go next. Besides the forward path, a
// monitored crisis can flare up again (monitoring → responding), a resolved one can be reopened
// (resolved → responding), and an investigation can end as a false alarm (investigating → resolved).
// A reviewed incident is closed for good: the review is the record.
var transitions = map[string][]string{
	StatusInvestigating: {StatusResponding, StatusResolved},
	StatusResponding:    {StatusMonitoring, StatusResolved},
	StatusMonitoring:    {StatusResponding, StatusResolved},
	StatusResolved:      {StatusReviewed, StatusResponding},
	StatusReviewed:      nil,
}

// NextStatuses returns the statuses an incident in status from may move to.
func NextStatuses(from string) []string {
	return slices.Clone(transitions[from])
}

// CanTransition reports whether an incident may move from one status to the other.
func CanTransition(from, to string) bool {
	return slices.Contains(transitions[from], to)
}

// TransitionError is a status change the lifecycle does not allow.
type TransitionError struct {
	From, To string
}

func (e *TransitionError) Error() string { return e.Message("en") }

// Message says what went wrong in lang, with the statuses that are allowed instead.
func (e *TransitionError) Message(lang string) string {
	c := catalogFor(lang)
	if _, ok := transitions[e.To]; !ok {
		return fmt.Sprintf(c.unknownStatus, e.To, c.list(Statuses(), c.statuses))
	}
	next := transitions[e.From]
	if len(next) == 0 {
		return fmt.Sprintf(c.finalStatus, c.statuses[e.From])
	}
	return fmt.Sprintf(c.badTransition, c.statuses[e.From], c.statuses[e.To], c.list(next, c.statuses))
}

// Severity is how bad an incident is: 1 is the most severe, 4 the least.
type Severity int

// SeverityCritical .. SeverityLow are the four severities.
const (
	SeverityCritical Severity = 1
	SeverityHigh     Severity = 2
	SeverityMedium   Severity = 3
	SeverityLow      Severity = 4
)

// Valid reports whether s is 1–4.
func (s Severity) Valid() bool { return s >= SeverityCritical && s <= SeverityLow }

// Level is the name the crisis plan's protocol gives this severity (critical, high, medium, low), so
// the plan's own definition of it can be looked up and shown.
func (s Severity) Level() string {
	switch s {
	case SeverityCritical:
		return "critical"
	case SeverityHigh:
		return "high"
	case SeverityMedium:
		return "medium"
	case SeverityLow:
		return "low"
	}
	return ""
}

// SeverityFromLevel is the severity of a plan level name, and false for an unknown name.
func SeverityFromLevel(level string) (Severity, bool) {
	for s := SeverityCritical; s <= SeverityLow; s++ {
		if s.Level() == level {
			return s, true
		}
	}
	return 0, false
}

// Text is something said in both languages the product speaks. Its YAML shape is the crisis plan's.
type Text struct {
	NL string `yaml:"nl" json:"nl"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang, falling back to the other language when it is empty.
func (t Text) In(lang string) string {
	if lang == "nl" && t.NL != "" || t.EN == "" {
		return t.NL
	}
	return t.EN
}

// Definition is what the team's crisis plan says a severity means, in the shape of the plan's
// protocol levels. The service shows it wherever a severity is chosen or displayed.
type Definition struct {
	Level   string // critical, high, medium or low
	Name    Text
	Meaning Text
	Action  Text
	// RespondWithin is how many minutes after detection the first public response is due at this
	// level; zero leaves the configured default.
	RespondWithin int
}

// Roles on an incident.
const (
	RoleLead         = "lead"
	RoleSpokesperson = "spokesperson"
	RoleScribe       = "scribe"
)

// Roles is the fixed set of incident roles.
func Roles() []string { return []string{RoleLead, RoleSpokesperson, RoleScribe} }

// Claim statuses of the facts and rumours register.
const (
	ClaimUnverified = "unverified"
	ClaimConfirmed  = "confirmed"
	ClaimFalse      = "false"
	ClaimPartlyTrue = "partly_true"
)

// ClaimStatuses is the fixed set of claim statuses.
func ClaimStatuses() []string {
	return []string{ClaimUnverified, ClaimConfirmed, ClaimFalse, ClaimPartlyTrue}
}

// Languages an incident can be run in.
func Languages() []string { return []string{"nl", "en"} }
