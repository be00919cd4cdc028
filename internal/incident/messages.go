package incident

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// catalog is every text the incident package shows a user, in one language. The texts themselves
// live in messages_en.go and messages_nl.go, one file per language.
type catalog struct {
	lang string
	or   string // joins the last two items of a list of choices

	statuses      map[string]string
	severities    map[Severity]string
	roles         map[string]string
	teamRoles     map[string]string // the crisis plan's team roles, which own playbook tasks
	crisisTypes   map[string]string
	clusters      map[string]string
	intensifiers  map[string]string
	postures      map[string]string
	tactics       map[string]string
	steps         map[string]string
	claimStatuses map[string]string
	templateKinds map[string]string
	// scct holds one sentence per rule of Advise; %s is a cluster name where the rule names one.
	scct map[string]string
	// entries words each timeline entry kind; the verbs take the entry's details (see describe).
	entries map[string]string
	// clockStates names the states of the first-response clock.
	clockStates map[string]string
	// playbook words the problems of a playbook (PlaybookError).
	playbook map[string]string
	// labels are the headings and field names of the export.
	labels map[string]string

	unknownStatus      string
	finalStatus        string
	badTransition      string
	unknownCrisisType  string
	unknownIntensifier string
	errors             map[string]string

	hoursMinutes string // a duration of at least an hour
	minutes      string // a duration under an hour
	timeFormat   string
}

func catalogFor(lang string) *catalog {
	if lang == "nl" {
		return &nlText
	}
	return &enText
}

// list names the ids in a sentence: "a, b or c".
func (c *catalog) list(ids []string, names map[string]string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = names[id]
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " " + c.or + " " + out[len(out)-1]
}

// duration writes d in whole minutes, as "1 h 05 min" or "7 min".
func (c *catalog) duration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	m := int(d / time.Minute)
	if m >= 60 {
		return sign + fmt.Sprintf(c.hoursMinutes, m/60, m%60)
	}
	return sign + fmt.Sprintf(c.minutes, m)
}

// ErrInvalid is what every error about a bad request wraps, so that a handler can tell the user's
// mistakes from failures of the system.
var ErrInvalid = errors.New("incident: invalid request")

// Error is a request the incident rules reject. Its message exists in both languages.
type Error struct {
	Code string // key into the catalogs' errors
	Args []any
}

func (e *Error) Error() string { return e.Message("en") }

// Message is the error in lang.
func (e *Error) Message(lang string) string {
	return fmt.Sprintf(catalogFor(lang).errors[e.Code], e.Args...)
}

func (e *Error) Unwrap() error { return ErrInvalid }

// Unwrap makes a TransitionError an ErrInvalid.
func (e *TransitionError) Unwrap() error { return ErrInvalid }

// Unwrap makes a ClassificationError an ErrInvalid.
func (e *ClassificationError) Unwrap() error { return ErrInvalid }

func invalid(code string, args ...any) error { return &Error{Code: code, Args: args} }
