package statement

import "fmt"

// Error is a refusal of the workflow that a user can act on; Message words it in nl or en.
type Error struct {
	Code string // key into the catalogs
	Args []any
}

func (e *Error) Error() string { return e.Message("en") }

// Message is the error in lang (nl or en; anything else is en).
func (e *Error) Message(lang string) string {
	c := messagesEN
	if lang == "nl" {
		c = messagesNL
	}
	format, ok := c[e.Code]
	if !ok {
		return e.Code
	}
	return fmt.Sprintf(format, e.Args...)
}

func refuse(code string, args ...any) error { return &Error{Code: code, Args: args} }

// Codes are every error code, so a test can check that both catalogs have them all.
func Codes() []string {
	return []string{"wrong_state", "own_statement", "already_approved", "empty_core", "unknown_template",
		"reject_comment", "unknown_channel", "not_approved", "empty_link", "bad_platform", "bad_lang", "bad_form",
		"no_channels", "unfilled_variables", "account_name", "account_handle", "account_service", "account_password",
		"account_service_private", "account_password_again",
		"publish_blocked", "publish_timeout", "publish_cancelled", "publish_unreachable"}
}
