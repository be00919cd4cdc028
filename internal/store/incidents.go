package store

import (
	"context"
	"time"
)

// Incident is one crisis as the incident room keeps it. The incident package owns its rules (the
// status machine, severities, SCCT types); the store keeps the fields and checks Version.
type Incident struct {
	ID       int64
	Title    string
	Lang     string // nl or en: the language the incident is run and exported in
	Severity int    // 1 (most severe) to 4
	Status   string
	// Roles maps an incident role (lead, spokesperson, scribe) to who holds it.
	Roles map[string]string
	// Alerts are the ids of the alerts linked to the incident, in the order they were linked.
	Alerts []string
	// CrisisType and Intensifiers are the SCCT classification; empty until someone classifies.
	CrisisType   string
	Intensifiers []string
	Scenario     string // the playbook scenario the tasks came from, if any

	DetectedAt      time.Time // when the first sign was seen: the start of every clock
	DeclaredAt      time.Time
	AcknowledgedAt  time.Time // zero until someone acknowledged
	FirstResponseAt time.Time // zero until the first public statement was published
	LastUpdateAt    time.Time // the latest public statement; zero until the first
	ResolvedAt      time.Time
	CreatedBy       string
	// Version counts the saves of the incident's own fields. SaveIncident writes only when the stored
	// version is this one, so two people changing the incident at once cannot overwrite each other.
	Version int64
}

// TimelineEntry is one line of an incident's timeline. Entries are only ever appended: no method
// changes or removes one, which is what makes the timeline an audit trail.
type TimelineEntry struct {
	ID         int64 // set by the store; increases with every entry of every incident
	IncidentID int64
	At         time.Time
	Author     string // a user's e-mail, or "system" for automatic entries
	Kind       string
	Text       string // what a person wrote (notes), or the subject of an automatic entry
	// Payload holds the details of an automatic entry as JSON, so the incident package can word the
	// entry in either language later.
	Payload string
}

// IncidentTask is one checklist item of an incident, instantiated from a playbook or added by hand.
type IncidentTask struct {
	ID         int64
	IncidentID int64
	Position   int // order within the incident's checklist
	Step       string
	DoNL, DoEN string
	Owner      string // the team role that does it
	Due        time.Time
	Done       bool
	DoneBy     string
	DoneAt     time.Time
}

// PostRef names a post on a platform.
type PostRef struct {
	Platform string `json:"platform"`
	ID       string `json:"id"`
}

// Claim is an entry of an incident's facts and rumours register.
type Claim struct {
	ID         int64
	IncidentID int64
	Text       string
	Status     string // unverified, confirmed, false or partly_true
	Owner      string
	Answer     string // the public answer to give
	Posts      []PostRef
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// IncidentChange is everything one action on an incident writes. A store writes it in one
// transaction, so the timeline never misses a change and never records one that did not happen.
type IncidentChange struct {
	IncidentID int64
	// Incident, when set, is written over the stored incident's fields if the stored Version equals
	// its Version (else ErrConflict); its Version is then one more.
	Incident *Incident
	// Tasks and Claims with ID 0 are inserted (and get their ID); others are updated, and must belong
	// to the incident (else ErrNotFound).
	Tasks  []*IncidentTask
	Claims []*Claim
	// Timeline entries are appended, in order, and get their ID.
	Timeline []*TimelineEntry
}

// Incidents keeps incidents with their timeline, tasks and claims (incidents.go in each store).
type Incidents interface {
	// CreateIncident stores inc with its first timeline entries and sets their IDs; inc.Version is 1.
	CreateIncident(ctx context.Context, inc *Incident, timeline []*TimelineEntry) error
	// IncidentByID returns one incident, or ErrNotFound.
	IncidentByID(ctx context.Context, id int64) (Incident, error)
	// IncidentList returns every incident, the most recently declared first.
	IncidentList(ctx context.Context) ([]Incident, error)
	// ApplyIncidentChange writes c in one transaction: all of it, or nothing.
	ApplyIncidentChange(ctx context.Context, c IncidentChange) error
	// IncidentTimeline returns the timeline of an incident, oldest first (by ID).
	IncidentTimeline(ctx context.Context, incidentID int64) ([]TimelineEntry, error)
	// IncidentTasks returns the checklist of an incident by position.
	IncidentTasks(ctx context.Context, incidentID int64) ([]IncidentTask, error)
	// IncidentClaims returns the claims of an incident, oldest first.
	IncidentClaims(ctx context.Context, incidentID int64) ([]Claim, error)
}
