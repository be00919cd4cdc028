package auth

import (
	"fmt"
	"slices"
)

// Role is what a user may do. Roles are ordered: each one may do everything the one below it may.
type Role string

// The roles, from least to most trusted.
const (
	Viewer    Role = "viewer"    // reads posts and dashboards
	Responder Role = "responder" // also feeds posts in and holds API tokens
	Admin     Role = "admin"     // also manages users
)

// Roles lists every role from least to most trusted. It returns a fresh slice, so callers cannot change
// the order for everyone.
func Roles() []Role { return []Role{Viewer, Responder, Admin} }

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles(), r) {
		return "", fmt.Errorf("%w: %q is not one of viewer, responder, admin", ErrInvalidRole, s)
	}
	return r, nil
}

// rank orders roles; an unknown role ranks below every real one and so may do nothing.
func (r Role) rank() int { return slices.Index(Roles(), r) }

// AtLeast reports whether r is min or more trusted than min. An unknown role is never enough.
func (r Role) AtLeast(min Role) bool {
	return r.rank() >= 0 && min.rank() >= 0 && r.rank() >= min.rank()
}

// Permission is one thing a user can be allowed to do.
type Permission string

// The permissions in use. Each is granted from one minimum role upward (see MinRole).
const (
	ReadPosts    Permission = "read_posts"
	IngestPosts  Permission = "ingest_posts"
	ManageTokens Permission = "manage_tokens" // one's own API tokens
	ManageUsers  Permission = "manage_users"
	// ManageMonitors is creating, changing and deleting monitors; everyone who reads posts sees them.
	ManageMonitors Permission = "manage_monitors"
	// ManageSettings is changing system-wide settings such as keep_all_posts.
	ManageSettings Permission = "manage_settings"
	// HandleAlerts is acknowledging, resolving and silencing alerts; everyone who reads posts sees them.
	HandleAlerts Permission = "handle_alerts"
	// ManageSources is adding, changing and deleting sources; everyone who reads posts sees their status.
	ManageSources Permission = "manage_sources"
	// HandleIncidents is declaring incidents and acting in the incident room; everyone who reads posts
	// follows them.
	HandleIncidents Permission = "handle_incidents"
)

// MinRole returns the least trusted role holding p, and false for an unknown permission. It is a
// function, not a map variable, so nothing can change it at run time.
func MinRole(p Permission) (Role, bool) {
	switch p {
	case ReadPosts:
		return Viewer, true
	case IngestPosts, ManageTokens, ManageMonitors, HandleAlerts, ManageSources, HandleIncidents:
		return Responder, true
	case ManageUsers, ManageSettings:
		return Admin, true
	}
	return "", false
}

// Can reports whether role r holds permission p. Unknown roles and permissions are refused.
func Can(r Role, p Permission) bool {
	min, ok := MinRole(p)
	return ok && r.AtLeast(min)
}
