package web

import (
	"errors"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// errKey maps an error a person can fix to the message that tells them how; "" means it is ours.
func errKey(err error) string {
	switch {
	case errors.Is(err, auth.ErrWeakPassword):
		return "error.weak_password"
	case errors.Is(err, auth.ErrInvalidEmail):
		return "error.invalid_email"
	case errors.Is(err, auth.ErrInvalidRole):
		return "error.invalid_role"
	case errors.Is(err, auth.ErrUserExists):
		return "error.user_exists"
	case errors.Is(err, auth.ErrInvalidTokenName):
		return "error.token_name"
	case errors.Is(err, auth.ErrLastAdmin):
		return "error.last_admin"
	}
	return ""
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
