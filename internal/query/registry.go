package query

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// Registry holds the current set of monitors and the Matcher compiled from them. Matching reads the
// current Matcher through an atomic pointer and never waits; a change parses the new query, compiles
// a complete new Matcher from the parsed queries and publishes it in one store. Posts being matched
// while that happens finish on the old Matcher. Changes are serialised among themselves.
//
// Recompilation is full rather than incremental: it reuses the parsed queries, and compiling 10,000
// monitors takes tens of milliseconds (docs/BENCHMARKS.md), which a change made by a person can
// afford. A full build also keeps the Matcher free of tombstones and stale index entries.
type Registry struct {
	mu      sync.Mutex // serialises changes
	queries map[string]*Query
	cur     atomic.Pointer[Matcher]
}

// MonitorError is a bad query in a batch given to Update.
type MonitorError struct {
	ID  string
	Err *Error
}

func (e *MonitorError) Error() string { return fmt.Sprintf("monitor %q: %v", e.ID, e.Err) }
func (e *MonitorError) Unwrap() error { return e.Err }

// NewRegistry returns a Registry without monitors.
func NewRegistry() *Registry {
	r := &Registry{queries: map[string]*Query{}}
	m, _ := Compile(nil)
	r.cur.Store(m)
	return r
}

// Set adds or replaces one monitor. A query that does not parse is returned as an *Error and changes
// nothing.
func (r *Registry) Set(id, src string) error {
	if id == "" {
		return fmt.Errorf("query: monitor without an id")
	}
	q, err := Parse(src)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	next := maps.Clone(r.queries)
	next[id] = q
	return r.publish(next)
}

// Remove deletes a monitor and reports whether it existed.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.queries[id]; !ok {
		return false
	}
	next := maps.Clone(r.queries)
	delete(next, id)
	if err := r.publish(next); err != nil {
		// publish fails only for bad ids, and every id in the map was checked when it was set.
		panic(err)
	}
	return true
}

// Update sets and removes many monitors with one recompilation, as loading them one by one would
// compile once per monitor. If any query is bad, nothing changes and the first bad one (by id) is
// returned as a *MonitorError.
func (r *Registry) Update(set map[string]string, remove []string) error {
	parsed := make(map[string]*Query, len(set))
	for _, id := range slices.Sorted(maps.Keys(set)) {
		if id == "" {
			return fmt.Errorf("query: monitor without an id")
		}
		q, err := Parse(set[id])
		if err != nil {
			return &MonitorError{ID: id, Err: err.(*Error)}
		}
		parsed[id] = q
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	next := maps.Clone(r.queries)
	for _, id := range remove {
		delete(next, id)
	}
	maps.Copy(next, parsed)
	return r.publish(next)
}

func (r *Registry) publish(queries map[string]*Query) error {
	ms := make([]Monitor, 0, len(queries))
	for id, q := range queries {
		ms = append(ms, Monitor{ID: id, Query: q})
	}
	m, err := Compile(ms)
	if err != nil {
		return err
	}
	r.queries = queries
	r.cur.Store(m)
	return nil
}

// Matcher returns the current Matcher. Holding on to it is safe; it does not change.
func (r *Registry) Matcher() *Matcher { return r.cur.Load() }

// Match returns the ids of the current monitors that match d, sorted.
func (r *Registry) Match(d *Doc) []string { return r.cur.Load().Match(d) }

// Query returns the source of a monitor's query.
func (r *Registry) Query(id string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q, ok := r.queries[id]
	if !ok {
		return "", false
	}
	return q.Source, true
}
