package incident

import (
	"encoding/json"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Timeline entry kinds. Every one but EntryNote is written by the system as the thing happens.
const (
	EntryDeclared           = "declared"
	EntryAlertLinked        = "alert_linked"
	EntryAlertFired         = "alert_fired"
	EntryAlertGrew          = "alert_grew"
	EntryPaged              = "paged"
	EntryAcknowledged       = "acknowledged"
	EntrySeverityChanged    = "severity_changed"
	EntryStatusChanged      = "status_changed"
	EntryRoleAssigned       = "role_assigned"
	EntryRoleCleared        = "role_cleared"
	EntryClassified         = "classified"
	EntryPlaybookStarted    = "playbook_started"
	EntryTaskDone           = "task_done"
	EntryTaskReopened       = "task_reopened"
	EntryStatementDrafted   = "statement_drafted"
	EntryStatementApproved  = "statement_approved"
	EntryStatementPublished = "statement_published"
	EntryScheduledPaused    = "scheduled_paused"
	EntryClaimAdded         = "claim_added"
	EntryClaimChanged       = "claim_changed"
	EntryClaimPostLinked    = "claim_post_linked"
	EntryNote               = "note"
)

// EntryKinds is every timeline entry kind.
func EntryKinds() []string {
	return []string{EntryDeclared, EntryAlertLinked, EntryAlertFired, EntryAlertGrew, EntryPaged,
		EntryAcknowledged, EntrySeverityChanged, EntryStatusChanged, EntryRoleAssigned, EntryRoleCleared,
		EntryClassified, EntryPlaybookStarted, EntryTaskDone, EntryTaskReopened, EntryStatementDrafted,
		EntryStatementApproved, EntryStatementPublished, EntryScheduledPaused, EntryClaimAdded,
		EntryClaimChanged, EntryClaimPostLinked, EntryNote}
}

// Author of the entries nobody typed.
const System = "system"

// Details are the facts of an automatic timeline entry, kept as its JSON payload, so that the entry
// can be worded in either language whenever it is shown.
type Details struct {
	Title     string `json:"title,omitempty"`
	Alert     string `json:"alert,omitempty"`
	Summary   string `json:"summary,omitempty"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Person    string `json:"person,omitempty"`
	Role      string `json:"role,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Statement string `json:"statement,omitempty"`
	Count     int    `json:"count,omitempty"`
	Scenario  string `json:"scenario,omitempty"`
	// CrisisType, Cluster and Posture record a classification and its advice.
	CrisisType string `json:"crisis_type,omitempty"`
	Cluster    string `json:"cluster,omitempty"`
	Posture    string `json:"posture,omitempty"`
	Task       *Text  `json:"task,omitempty"`
	TaskID     int64  `json:"task_id,omitempty"`
	ClaimID    int64  `json:"claim_id,omitempty"`
	Claim      string `json:"claim,omitempty"`
	Status     string `json:"status,omitempty"`
	// Post names a post linked to a claim, as "platform id".
	Post string `json:"post,omitempty"`
}

func entry(at store.TimelineEntry, d Details) *store.TimelineEntry {
	b, err := json.Marshal(d)
	if err != nil {
		// Details holds only strings and numbers, which always marshal.
		panic(fmt.Sprintf("incident: marshal details: %v", err))
	}
	at.Payload = string(b)
	return &at
}

// DetailsOf decodes an entry's payload; an entry without one has no details.
func DetailsOf(e store.TimelineEntry) (Details, error) {
	var d Details
	if e.Payload == "" {
		return d, nil
	}
	if err := json.Unmarshal([]byte(e.Payload), &d); err != nil {
		return Details{}, fmt.Errorf("incident: timeline entry %d payload: %w", e.ID, err)
	}
	return d, nil
}

// Describe words a timeline entry in lang. A note is its text; an entry whose payload does not decode
// is shown by its kind and text rather than hidden, since the timeline is the audit trail.
func Describe(e store.TimelineEntry, lang string) string {
	c := catalogFor(lang)
	d, err := DetailsOf(e)
	format, known := c.entries[e.Kind]
	if err != nil || !known {
		return e.Kind + ": " + e.Text
	}
	name := func(m map[string]string, k string) string {
		if v, ok := m[k]; ok {
			return v
		}
		return k
	}
	switch e.Kind {
	case EntryDeclared:
		return fmt.Sprintf(format, d.Title)
	case EntryAlertLinked:
		return fmt.Sprintf(format, d.Alert)
	case EntryAlertFired, EntryAlertGrew:
		return fmt.Sprintf(format, d.Alert, d.Summary)
	case EntryPaged:
		return fmt.Sprintf(format, d.Person, d.Channel)
	case EntryAcknowledged:
		return fmt.Sprintf(format, d.Person)
	case EntrySeverityChanged:
		return fmt.Sprintf(format, severityName(c, d.From), severityName(c, d.To))
	case EntryStatusChanged:
		return fmt.Sprintf(format, name(c.statuses, d.From), name(c.statuses, d.To))
	case EntryRoleAssigned:
		return fmt.Sprintf(format, d.Person, name(c.roles, d.Role))
	case EntryRoleCleared:
		return fmt.Sprintf(format, name(c.roles, d.Role))
	case EntryClassified:
		return fmt.Sprintf(format, name(c.crisisTypes, d.CrisisType), name(c.clusters, d.Cluster),
			name(c.postures, d.Posture))
	case EntryPlaybookStarted:
		return fmt.Sprintf(format, d.Scenario, d.Count)
	case EntryTaskDone, EntryTaskReopened:
		task := ""
		if d.Task != nil {
			task = d.Task.In(lang)
		}
		return fmt.Sprintf(format, task)
	case EntryStatementDrafted, EntryStatementApproved, EntryStatementPublished:
		return fmt.Sprintf(format, d.Channel, d.Statement)
	case EntryScheduledPaused:
		return fmt.Sprintf(format, d.Count)
	case EntryClaimAdded, EntryClaimChanged:
		return fmt.Sprintf(format, name(c.claimStatuses, d.Status), d.Claim)
	case EntryClaimPostLinked:
		return fmt.Sprintf(format, d.Post, d.Claim)
	}
	return fmt.Sprintf(format, e.Text)
}

func severityName(c *catalog, s string) string {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil {
		if name, ok := c.severities[Severity(n)]; ok {
			return name
		}
	}
	return s
}
