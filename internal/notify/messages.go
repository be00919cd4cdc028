package notify

import (
	"fmt"
	"strings"
	"time"
)

// catalog is every text a notification shows, in one language. All of them live in this file: enText
// and nlText.
type catalog struct {
	subject    string // severity, summary
	resolved   string // prefix of a resolved alert's subject
	updated    string
	title      string // severity
	monitor    string
	kind       string
	severity   string
	open       string
	ack        string
	ackNote    string // expiry time
	step       string
	forName    string // recipient name
	severities map[string]string
}

// timeLayout shows ack expiry times; nlMonths translates its month for Dutch.
const timeLayout = "2 January 2006 15:04 MST"

var enText = catalog{
	subject:    "[%s] crisisdesk: %s",
	resolved:   "Resolved: ",
	updated:    "Update: ",
	title:      "crisisdesk alert: %s",
	monitor:    "Monitor",
	kind:       "Kind",
	severity:   "Severity",
	open:       "Open the alert",
	ack:        "Acknowledge",
	ackNote:    "The acknowledge link works once, without logging in, until %s.",
	step:       "Escalation step",
	forName:    "For %s",
	severities: map[string]string{"low": "low", "medium": "medium", "high": "high", "critical": "CRITICAL"},
}

var nlText = catalog{
	subject:    "[%s] crisisdesk: %s",
	resolved:   "Opgelost: ",
	updated:    "Update: ",
	title:      "crisisdesk-melding: %s",
	monitor:    "Monitor",
	kind:       "Soort",
	severity:   "Ernst",
	open:       "Melding openen",
	ack:        "Bevestigen",
	ackNote:    "De bevestigingslink werkt één keer, zonder in te loggen, tot %s.",
	step:       "Escalatiestap",
	forName:    "Voor %s",
	severities: map[string]string{"low": "laag", "medium": "middel", "high": "hoog", "critical": "KRITIEK"},
}

// nlMonths turns the English month names Go formats into Dutch ones.
var nlMonths = strings.NewReplacer("January", "januari", "February", "februari", "March", "maart", "April", "april",
	"May", "mei", "June", "juni", "July", "juli", "August", "augustus", "September", "september",
	"October", "oktober", "November", "november", "December", "december")

func textFor(lang string) *catalog {
	if lang == "nl" {
		return &nlText
	}
	return &enText
}

// Rendered is a message's texts in its language, for integrations to lay out.
type Rendered struct {
	Subject       string // one line: e-mail subject, chat fallback text
	Title         string
	SeverityLabel string
	// Facts are label/value pairs in display order: severity, monitor, kind, step.
	Facts     [][2]string
	Summary   string
	OpenLabel string
	AckLabel  string
	AckNote   string // empty without an ack link
	ForLine   string // whom the page is for, empty without a recipient name
}

// Render lays m out in its language (en unless m.Lang is nl). Times show in Europe/Amsterdam when the
// zone database has it, as the team reads them.
func Render(m Message, loc *time.Location) Rendered {
	c := textFor(m.Lang)
	sev := c.severities[m.Severity]
	if sev == "" {
		sev = m.Severity
	}
	r := Rendered{
		SeverityLabel: sev,
		Summary:       m.Summary,
		OpenLabel:     c.open,
		AckLabel:      c.ack,
	}
	prefix := ""
	switch m.Status {
	case "resolved":
		prefix = c.resolved
	case "updated":
		prefix = c.updated
	}
	r.Subject = prefix + fmt.Sprintf(c.subject, sev, oneLine(m.Summary, 120))
	r.Title = prefix + fmt.Sprintf(c.title, sev)
	r.Facts = [][2]string{{c.severity, sev}, {c.monitor, m.Monitor}, {c.kind, m.Kind}}
	if m.Step >= 0 {
		// The resolution notice has no step.
		r.Facts = append(r.Facts, [2]string{c.step, fmt.Sprint(m.Step + 1)})
	}
	if m.AckLink != "" && !m.AckExpires.IsZero() {
		if loc == nil {
			loc = time.UTC
		}
		at := m.AckExpires.In(loc).Format(timeLayout)
		if m.Lang == "nl" {
			at = nlMonths.Replace(at)
		}
		r.AckNote = fmt.Sprintf(c.ackNote, at)
	}
	if m.Recipient != "" {
		r.ForLine = fmt.Sprintf(c.forName, m.Recipient)
	}
	return r
}

// oneLine folds s onto one line of at most n runes, for subjects and fallbacks.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
