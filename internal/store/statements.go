package store

import (
	"context"
	"time"
)

// Statement is one public statement of an incident as the composer keeps it. The statement package owns
// its rules (states, four eyes, legal approval); the store keeps the fields and checks Rev.
type Statement struct {
	ID         int64
	IncidentID int64
	Lang       string // nl or en
	Form       string // u or jij for Dutch; "" otherwise
	// TemplateID and TemplateVersion name the template the statement started from; "" for none.
	TemplateID      string
	TemplateVersion int
	Vars            map[string]string // the template's variables as filled in
	Core            string            // the core message every variant derives from
	// Edits are variants a responder adapted by hand, by platform; the others are the core itself.
	Edits     map[string]string
	Platforms []string // the platforms the statement has variants for
	State     string
	Author    string // who drafted it: the e-mail of a user
	// Version counts the edits of the content (core, variables, edits); every edit is kept in
	// the statement's history under its version, and publishing is keyed on it.
	Version int64
	// Rev counts every save. SaveStatement writes only when the stored Rev is this one.
	Rev       int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StatementVersion is the content of a statement as one edit left it.
type StatementVersion struct {
	StatementID int64
	Version     int64
	Core        string
	Vars        map[string]string
	Edits       map[string]string
	Author      string
	At          time.Time
}

// StatementAudit is one step of a statement's approval workflow: who did what, when. Entries are only
// ever appended.
type StatementAudit struct {
	ID          int64
	StatementID int64
	At          time.Time
	Actor       string
	Action      string // drafted, edited, submitted, approved, legal_approved, rejected, published, ...
	Version     int64  // the statement's content version the step applied to
	Comment     string
}

// Publication statuses.
const (
	PublicationPending   = "pending"
	PublicationPublished = "published"
	PublicationFailed    = "failed"
)

// Publication is the attempt to publish one version of a statement on one channel. (StatementID,
// Version, Channel) is its identity: there is at most one, so a retry finds the earlier attempt
// instead of posting again.
type Publication struct {
	StatementID int64
	Version     int64
	Channel     string // a source id, or manual:<platform>
	Platform    string
	Status      string // pending, published or failed
	// Links are where each posted part can be read, in thread order.
	Links      []string
	Error      string
	Actor      string
	StartedAt  time.Time
	FinishedAt time.Time
}

// StatementChange is one save of a statement: the statement itself, the audit entry that says why and,
// when the content changed, the new version for the history. A store writes it in one transaction.
type StatementChange struct {
	Statement *Statement
	Audit     *StatementAudit
	// NewVersion, when set, is appended to the history.
	NewVersion *StatementVersion
	// Timeline, when set, is called inside the transaction with the statement as written (its ID set)
	// and returns the step's change to the statement's incident: its timeline entry and its effect on
	// the incident's clocks. The store writes that change in the same transaction, so the audit log and
	// the timeline never disagree; an error from Timeline, or an ErrConflict on the incident's version,
	// undoes the whole step. After a commit the change's IDs and version are set, as ApplyIncidentChange
	// sets them.
	Timeline func(st Statement) (*IncidentChange, error)
}

// Statements keeps statements, their history, audit log and publications (statements.go in each store).
type Statements interface {
	// CreateStatement stores c.Statement (Rev and Version 1) with its first audit entry and history
	// version, and sets the IDs.
	CreateStatement(ctx context.Context, c StatementChange) error
	// StatementByID returns one statement, or ErrNotFound.
	StatementByID(ctx context.Context, id int64) (Statement, error)
	// StatementsByIncident returns the statements of an incident, the first drafted first.
	StatementsByIncident(ctx context.Context, incidentID int64) ([]Statement, error)
	// SaveStatement writes c when the stored Rev equals c.Statement.Rev (else ErrConflict); Rev is then
	// one more.
	SaveStatement(ctx context.Context, c StatementChange) error
	// StatementVersions returns the history of a statement, oldest first.
	StatementVersions(ctx context.Context, id int64) ([]StatementVersion, error)
	// StatementAuditLog returns the audit entries of a statement, oldest first.
	StatementAuditLog(ctx context.Context, id int64) ([]StatementAudit, error)
	// BeginPublication claims the attempt for p's (StatementID, Version, Channel): it stores p as pending
	// and returns it with true when there was no attempt or only a failed one. When an attempt is pending
	// (in flight, or its outcome unknown after a crash) or published, it changes nothing and returns that
	// attempt with false, so a retry never posts twice.
	BeginPublication(ctx context.Context, p Publication) (Publication, bool, error)
	// FinishPublication writes the status, links, error and finish time of an existing attempt.
	FinishPublication(ctx context.Context, p Publication) error
	// Publications returns the publication attempts of a statement, by version and channel.
	Publications(ctx context.Context, statementID int64) ([]Publication, error)
}
