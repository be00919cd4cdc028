// Package bus owns the transport between the stages of a scaled-out crisisdesk: the ingest stream that
// every arriving post is published to once, the work queue analysis workers take it from, the
// partition streams (`posts.<partition>`) that carry analysed posts to detection, partitioned by
// monitor, and the leases that give each partition exactly one owner at a time.
//
// Two transports implement it: Memory, in process, and JetStream, over a NATS cluster. The workers in
// this package (Analyzer, Owner) run on either. `crisisdesk serve` without --nats needs neither: ingest
// hands matched posts to detection directly, in process, which is the single node's transport.
//
// Ordering. Detection is a function of the order of its input, so that a cluster raises the same
// alerts as a single node. Every ingest message has a stream sequence number. Analysis workers take
// batches off the work queue concurrently, so analysed posts reach a partition out of order; to put
// them back, every analysed batch is published to every partition, with the sequence number and time
// of each post in it, and the post itself only where one of the partition's monitors matched it. The
// partition's owner then sees every sequence number exactly once and replays them in order.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"
)

// Errors a transport returns.
var (
	// ErrHeld is returned by Acquire when another owner holds the lease.
	ErrHeld = errors.New("bus: lease held by another owner")
	// ErrLost is returned by Renew and SaveCursor when the lease or the cursor changed under the
	// caller: another owner has the partition now.
	ErrLost = errors.New("bus: lease lost to another owner")
)

// Outgoing is one post to publish on the ingest stream. ID is its dedupe key: a second message with
// the same ID within the dedupe window is dropped.
type Outgoing struct {
	ID   string
	Data []byte
}

// Delivery is one message taken off the ingest work queue. Ack removes it; until then, or after
// the ack wait, it is delivered again to whichever worker asks next.
type Delivery struct {
	Seq  uint64
	Data []byte
	Ack  func(ctx context.Context) error
}

// Transport is what the workers need of a message system.
type Transport interface {
	// Partitions returns the number of partitions.
	Partitions() int
	// PublishIngest appends msgs to the ingest stream in order and returns how many the stream
	// dropped as duplicates.
	PublishIngest(ctx context.Context, msgs []Outgoing) (duplicates int, err error)
	// FetchIngest takes up to max messages off the work queue, waiting at most wait for the first.
	// It returns no messages and no error when none came.
	FetchIngest(ctx context.Context, max int, wait time.Duration) ([]Delivery, error)
	// PublishPartition appends one batch to partition part's stream; id is its dedupe key.
	PublishPartition(ctx context.Context, part int, id string, data []byte) error
	// ReadPartition calls fn with every retained message of partition part in stream order, oldest
	// first, and then with each new one, until ctx ends or fn fails. caughtUp is true when no older
	// message was waiting behind this one at the time it was read.
	ReadPartition(ctx context.Context, part int, fn func(data []byte, caughtUp bool) error) error

	// Acquire takes partition part's lease for owner, when nobody holds it; it returns ErrHeld when
	// someone does. A lease not renewed within the lease TTL lapses.
	Acquire(ctx context.Context, part int, owner string) (Lease, error)
	// Renew extends a lease, or returns ErrLost when it lapsed or someone else took it.
	Renew(ctx context.Context, l Lease) (Lease, error)
	// Release gives a lease up, so another owner need not wait for it to lapse.
	Release(ctx context.Context, l Lease) error
	// Holders returns the owner of every partition that has one.
	Holders(ctx context.Context) (map[int]string, error)
	// Heartbeat says that worker is alive, for the TTL; Workers lists the live ones.
	Heartbeat(ctx context.Context, worker string) error
	Workers(ctx context.Context) ([]string, error)

	// Cursor returns partition part's cursor (the first sequence number not yet handled) and its
	// revision, or 0, 0 when none was saved.
	Cursor(ctx context.Context, part int) (next, rev uint64, err error)
	// SaveCursor writes partition part's cursor when its revision is still rev (0: none saved), and
	// returns the new revision. It returns ErrLost when someone else wrote it meanwhile.
	SaveCursor(ctx context.Context, part int, next, rev uint64) (uint64, error)
}

// Lease is a partition, or a named job (Part -1), held by an owner.
type Lease struct {
	Part  int
	Name  string
	Owner string
	Rev   uint64
}

// Partition is the partition of a monitor: the FNV-1a hash of its id modulo n.
func Partition(monitor string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(monitor))
	return int(h.Sum32() % uint32(n))
}

// Entry is one ingest message as a partition sees it: its sequence number, its post's time, and the
// analysed post when one of the partition's monitors matched it.
type Entry struct {
	Seq  uint64          `json:"s"`
	At   int64           `json:"t,omitempty"` // Unix nanoseconds; 0 for a message that did not decode
	Post json.RawMessage `json:"p,omitempty"`
}

// batch is the wire form of one analysed batch on a partition stream.
type batch struct {
	Entries []Entry `json:"e"`
}

func encodeBatch(es []Entry) ([]byte, error) { return json.Marshal(batch{Entries: es}) }

// decodeBatch reads a partition message; a message that does not parse is an error that names why.
func decodeBatch(data []byte) ([]Entry, error) {
	var b batch
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("bus: partition message: %w", err)
	}
	for i, e := range b.Entries {
		if e.Seq == 0 {
			return nil, fmt.Errorf("bus: partition message: entry %d: sequence number 0", i)
		}
	}
	return b.Entries, nil
}
