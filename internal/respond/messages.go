package respond

import "fmt"

// msg is a finding's user-facing text. Both may hold %s verbs for the matched words or a limit.
type msg struct{ Message, Suggestion string }

// messages is every user-facing text of this package in one language. The Dutch texts are in
// messages_nl.go and the English ones in messages_en.go, so a translator edits one file.
type messages struct {
	lint        map[string]msg
	consistency map[string]msg
	factKinds   map[FactKind]string
	render      map[string]string
	units       map[string]string
}

func messagesFor(l Lang) *messages {
	if l == LangNL {
		return &messagesNL
	}
	return &messagesEN
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
