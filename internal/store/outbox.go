package store

import (
	"context"
	"time"
)

// Notification states. A notification is persisted pending before anything is sent; a worker claims it
// (sending, under a lease), and records delivered, failed (to be retried at NextAt) or dead (given up,
// listed as a dead letter). A sending row whose lease ran out belongs to a worker that crashed, and is
// claimed again.
const (
	NotificationPending   = "pending"
	NotificationSending   = "sending"
	NotificationDelivered = "delivered"
	NotificationFailed    = "failed"
	NotificationDead      = "dead"
)

// Escalation states. Only an active escalation fires further steps.
const (
	EscalationActive    = "active"
	EscalationAcked     = "acked"
	EscalationResolved  = "resolved"
	EscalationExhausted = "exhausted"
)

// Notification is one message to one recipient on one channel. (AlertID, Step, Recipient, Channel) is
// unique: enqueueing the same key twice stores it once, which is what keeps a page from being sent twice
// when an escalation step is replayed after a crash.
type Notification struct {
	ID          int64
	AlertID     string
	Step        int // the escalation's step sequence number, counting through repeats
	Recipient   string
	Channel     string
	Payload     []byte // the rendered-to-be message, as JSON; opaque to the store
	State       string
	Attempts    int // claims so far, including the one in progress
	NextAt      time.Time
	LeaseOwner  string
	LeaseUntil  time.Time
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}

// NotificationResult is what a worker records after an attempt: State is delivered, failed (NextAt is
// when to retry) or dead.
type NotificationResult struct {
	State  string
	NextAt time.Time
	Error  string
	At     time.Time
}

// Escalation is the persisted progress of one alert's escalation policy, so that a restart continues
// where it was. NextSeq is the step sequence number that fires at NextAt. An alert routed to several
// policies has one escalation per policy, told apart by PolicyKey.
type Escalation struct {
	AlertID   string
	PolicyKey string // the policy's id in the plan; empty for escalations started before policies had keys
	Policy    []byte // the policy as it was when the escalation started, as JSON; opaque to the store
	State     string
	NextSeq   int
	NextAt    time.Time
	StartedAt time.Time
	UpdatedAt time.Time
	StoppedBy string // who acknowledged, or why it stopped
}

// Ack records that a recipient acknowledged an alert, by whom and when. (AlertID, Recipient) is unique,
// which makes acknowledge links single-use.
type Ack struct {
	AlertID   string
	Recipient string
	By        string
	At        time.Time
}

// Outbox keeps notifications, escalations and acknowledgements.
type Outbox interface {
	// EnqueueNotification stores n as pending unless its key is already stored. It sets n.ID either way
	// and reports whether n was new.
	EnqueueNotification(ctx context.Context, n *Notification) (created bool, err error)
	// ClaimNotifications marks up to limit due notifications as sending, owned by owner until
	// now+lease, counts the attempt, and returns them in NextAt order. Due means pending or failed with
	// NextAt <= now, or sending with an expired lease.
	ClaimNotifications(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]Notification, error)
	// FinishNotification records the result of an attempt on a notification that owner still holds. It
	// is ErrNotFound when the lease was lost (another worker claimed the row again).
	FinishNotification(ctx context.Context, id int64, owner string, r NotificationResult) error
	// DeadNotifications returns the dead letters, most recent first, at most limit (0 means 100).
	DeadNotifications(ctx context.Context, limit int) ([]Notification, error)
	// RetryNotification puts a dead notification back to pending, due at now, with its attempts
	// counted afresh, so the worker sends it again with the whole retry budget. It is ErrNotFound when
	// no dead notification has that id.
	RetryNotification(ctx context.Context, id int64, now time.Time) error
	// NotificationsByAlert returns the notifications of one alert in (Step, Recipient, Channel) order,
	// so the delivery state can be shown on the alert.
	NotificationsByAlert(ctx context.Context, alertID string) ([]Notification, error)

	// StartEscalation stores e unless an escalation for the alert and e.PolicyKey exists, and reports
	// whether it was new.
	StartEscalation(ctx context.Context, e Escalation) (created bool, err error)
	// EscalationByAlert returns the alert's first escalation (earliest started, then by policy key), or
	// ErrNotFound.
	EscalationByAlert(ctx context.Context, alertID string) (Escalation, error)
	// EscalationsByAlert returns every escalation of an alert, one per policy, earliest started first.
	EscalationsByAlert(ctx context.Context, alertID string) ([]Escalation, error)
	// DueEscalations returns active escalations with NextAt <= now, earliest first, at most limit.
	DueEscalations(ctx context.Context, now time.Time, limit int) ([]Escalation, error)
	// AdvanceEscalation moves the alert's active escalation of policyKey at step fromSeq to toSeq, due at
	// nextAt, in state (active, or exhausted after the last step). It is ErrNotFound when that
	// escalation is not active at fromSeq, because another worker advanced it or it was stopped meanwhile.
	AdvanceEscalation(ctx context.Context, alertID, policyKey string, fromSeq, toSeq int, nextAt time.Time, state string, at time.Time) error
	// StopEscalation sets every active escalation of the alert, whatever its policy, to state (acked or
	// resolved) and records by. It is ErrNotFound when the alert has no active escalation.
	StopEscalation(ctx context.Context, alertID, state, by string, at time.Time) error
	// RecordAck stores a. It is ErrAlreadyExists when the recipient already acknowledged the alert.
	RecordAck(ctx context.Context, a Ack) error
	// AcksByAlert returns the acknowledgements of an alert, earliest first.
	AcksByAlert(ctx context.Context, alertID string) ([]Ack, error)
}
