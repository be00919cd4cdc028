package query

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a problem in a query, with the position where it was found. Line and Col are 1-based; Col
// counts characters (runes), not bytes, so the caret lines up under the character in an editor.
type Error struct {
	Line, Col int
	Offset    int      // byte offset into the query
	Key       MsgKey   // which message, so the UI can render it in the user's language
	Args      []string // the message's arguments, in order
	Msg       string   // the English message
}

// Error renders "line:col: message" in English.
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Message renders the message alone in the given language ("nl" or "en"; anything else is English).
func (e *Error) Message(lang string) string { return render(lang, e.Key, e.Args) }

// Format renders the error in English under the query line it points into, with a caret:
//
//	1:17: unbalanced parenthesis
//	  (storing OR uitval
//	  ^
func (e *Error) Format(query string) string { return e.FormatLang(query, "en") }

// FormatLang is Format in the given language.
func (e *Error) FormatLang(query, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d: %s\n", e.Line, e.Col, e.Message(lang))
	lines := strings.Split(query, "\n")
	if e.Line >= 1 && e.Line <= len(lines) {
		line := strings.TrimRight(lines[e.Line-1], "\r")
		// Tabs are kept in the padding so the caret stays under the character whatever the tab width.
		pad := make([]rune, 0, e.Col)
		n := 0
		for _, r := range line {
			if n >= e.Col-1 {
				break
			}
			if r == '\t' {
				pad = append(pad, '\t')
			} else {
				pad = append(pad, ' ')
			}
			n++
		}
		for n < e.Col-1 {
			pad = append(pad, ' ')
			n++
		}
		fmt.Fprintf(&b, "  %s\n  %s^\n", line, string(pad))
	}
	return b.String()
}

// newError builds an Error at byte offset off of src.
func newError(src string, off int, key MsgKey, args ...string) *Error {
	if off > len(src) {
		off = len(src)
	}
	line, col := 1, 1
	for _, r := range src[:off] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &Error{Line: line, Col: col, Offset: off, Key: key, Args: args, Msg: render("en", key, args)}
}

// MsgKey names one message a query error can carry.
type MsgKey string

// The message keys. Their texts, in English and Dutch, are in messages below and nowhere else.
const (
	MsgEmptyQuery          MsgKey = "empty_query"
	MsgQueryTooLong        MsgKey = "query_too_long"
	MsgTooDeep             MsgKey = "too_deep"
	MsgUnbalancedParen     MsgKey = "unbalanced_paren"
	MsgEmptyParens         MsgKey = "empty_parens"
	MsgExpectedTerm        MsgKey = "expected_term"
	MsgExpectedTermAfter   MsgKey = "expected_term_after"
	MsgUnterminatedPhrase  MsgKey = "unterminated_phrase"
	MsgEmptyPhrase         MsgKey = "empty_phrase"
	MsgUnterminatedComment MsgKey = "unterminated_comment"
	MsgWildcardPrefix      MsgKey = "wildcard_prefix"
	MsgWildcardInPhrase    MsgKey = "wildcard_in_phrase"
	MsgWildcardChars       MsgKey = "wildcard_chars"
	MsgNoLetters           MsgKey = "no_letters"
	MsgBadNear             MsgKey = "bad_near"
	MsgNearTooFar          MsgKey = "near_too_far"
	MsgNearOperand         MsgKey = "near_operand"
	MsgBadSlop             MsgKey = "bad_slop"
	MsgUnknownField        MsgKey = "unknown_field"
	MsgUnknownFieldHint    MsgKey = "unknown_field_hint"
	MsgFieldNeedsValue     MsgKey = "field_needs_value"
	MsgBadEnum             MsgKey = "bad_enum"
	MsgBadBool             MsgKey = "bad_bool"
	MsgBadValue            MsgKey = "bad_value"
	MsgUnexpectedEnd       MsgKey = "unexpected_end"
	MsgBadRange            MsgKey = "bad_range"
	MsgUnterminatedRange   MsgKey = "unterminated_range"
	MsgOnlyNegative        MsgKey = "only_negative"
	MsgNegativeOrBranch    MsgKey = "negative_or_branch"
	MsgEmptyTag            MsgKey = "empty_tag"
)

// messages holds every user-facing text of this package, in both languages. %s verbs take the
// error's Args in order.
var messages = map[MsgKey]struct{ en, nl string }{
	MsgEmptyQuery:          {"empty query", "lege zoekopdracht"},
	MsgQueryTooLong:        {"query is longer than %s bytes", "zoekopdracht is langer dan %s bytes"},
	MsgTooDeep:             {"query is nested more than %s levels deep", "zoekopdracht is dieper dan %s niveaus genest"},
	MsgUnbalancedParen:     {"unbalanced parenthesis", "haakje zonder partner"},
	MsgEmptyParens:         {"empty parentheses: expected a term, phrase or field inside", "lege haakjes: verwacht een term, frase of veld erin"},
	MsgExpectedTerm:        {"expected a term, phrase, field or ( but found %s", "verwacht een term, frase, veld of ( maar vond %s"},
	MsgExpectedTermAfter:   {"expected a term, phrase, field or ( after %s", "verwacht een term, frase, veld of ( na %s"},
	MsgUnterminatedPhrase:  {"unterminated phrase: expected a closing \"", "frase niet afgesloten: verwacht een afsluitende \""},
	MsgEmptyPhrase:         {"empty phrase", "lege frase"},
	MsgUnterminatedComment: {"unterminated comment: expected >>>", "commentaar niet afgesloten: verwacht >>>"},
	MsgWildcardPrefix:      {"wildcard needs at least 2 letters before %s", "jokerteken heeft minstens 2 letters nodig voor %s"},
	MsgWildcardInPhrase:    {"wildcards are not allowed inside a phrase; use NEAR instead", "jokertekens mogen niet in een frase; gebruik NEAR"},
	MsgWildcardChars:       {"a term with a wildcard cannot contain %s", "een term met een jokerteken kan geen %s bevatten"},
	MsgNoLetters:           {"term %s has no letters or digits", "term %s bevat geen letters of cijfers"},
	MsgBadNear:             {"expected NEAR/n or NEAR/nf with a number, such as NEAR/3", "verwacht NEAR/n of NEAR/nf met een getal, zoals NEAR/3"},
	MsgNearTooFar:          {"NEAR distance %s is more than the maximum of %s", "NEAR-afstand %s is groter dan het maximum %s"},
	MsgNearOperand:         {"NEAR needs a term, phrase or OR-group of terms on each side", "NEAR heeft aan beide kanten een term, frase of OR-groep van termen nodig"},
	MsgBadSlop:             {"expected a number of words after ~, such as \"a b\"~3 (at most %s)", "verwacht een aantal woorden na ~, zoals \"a b\"~3 (hoogstens %s)"},
	MsgUnknownField:        {"unknown field %s (did you mean %s?)", "onbekend veld %s (bedoelde je %s?)"},
	MsgUnknownFieldHint:    {"unknown field %s; known fields: %s", "onbekend veld %s; bekende velden: %s"},
	MsgFieldNeedsValue:     {"field %s needs a value, such as %s", "veld %s heeft een waarde nodig, zoals %s"},
	MsgBadEnum:             {"invalid value %s for %s: expected one of %s", "ongeldige waarde %s voor %s: verwacht één van %s"},
	MsgBadBool:             {"invalid value %s for %s: expected true or false", "ongeldige waarde %s voor %s: verwacht true of false"},
	MsgBadValue:            {"invalid value %s for %s: expected a value such as %s", "ongeldige waarde %s voor %s: verwacht een waarde zoals %s"},
	MsgUnexpectedEnd:       {"unexpected end of the query: expected a term, phrase, field or (", "onverwacht einde van de zoekopdracht: verwacht een term, frase, veld of ("},
	MsgBadRange:            {"invalid range for %s: expected [MIN TO MAX] with numbers or *, such as [1000 TO *]", "ongeldig bereik voor %s: verwacht [MIN TO MAX] met getallen of *, zoals [1000 TO *]"},
	MsgUnterminatedRange:   {"unterminated range: expected ]", "bereik niet afgesloten: verwacht ]"},
	MsgOnlyNegative:        {"query has no positive term and would match nearly everything: add a term, phrase or field that must be present", "zoekopdracht heeft geen positieve term en zou bijna alles vinden: voeg een term, frase of veld toe dat moet voorkomen"},
	MsgNegativeOrBranch:    {"an OR branch with only NOT would match nearly everything: put the NOT outside the OR", "een OR-tak met alleen NOT zou bijna alles vinden: zet de NOT buiten de OR"},
	MsgEmptyTag:            {"%s needs a name directly after it", "%s heeft direct erna een naam nodig"},
}

// render fills in a message. A missing key is a programming error, but it still renders something
// useful rather than panicking in front of a user.
func render(lang string, key MsgKey, args []string) string {
	m, ok := messages[key]
	if !ok {
		return string(key) + " " + strings.Join(args, " ")
	}
	tmpl := m.en
	if lang == "nl" {
		tmpl = m.nl
	}
	a := make([]any, len(args))
	for i, s := range args {
		a[i] = s
	}
	return fmt.Sprintf(tmpl, a...)
}

// quote shows a user's text in a message: quoted, and cut short so a huge term cannot flood the output.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return fmt.Sprintf("%q", s)
}
