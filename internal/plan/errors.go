package plan

import (
	"fmt"
	"strings"
)

// Error is one problem in a plan: where it is (the YAML path, and the line and column when the plan
// was parsed from YAML) and what is wrong, in either language.
type Error struct {
	// Path is the YAML path, such as escalation.policies[2].steps[0].wait; empty for the whole document.
	Path string
	// Line and Column are 1-based; zero when the plan did not come from YAML.
	Line, Column int
	msg          func(c *catalog) string
}

// Message is what is wrong, in lang ("nl" or "en"), without the path or position.
func (e *Error) Message(lang string) string { return e.msg(messages(lang)) }

// Text is the whole error in lang: path, message and position.
func (e *Error) Text(lang string) string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message(lang))
	if e.Line > 0 {
		c := messages(lang)
		b.WriteString(" (")
		fmt.Fprintf(&b, c.position, e.Line, e.Column)
		b.WriteString(")")
	}
	return b.String()
}

// Error is the English text.
func (e *Error) Error() string { return e.Text("en") }

// Errors is every problem found in a plan, in document order.
type Errors []*Error

// Error joins the English texts, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errorList collects errors with positions from the parsed document.
type errorList struct {
	pos  positions
	errs Errors
}

// add records a problem at path. The position is that of path, or of its nearest ancestor that the
// document has (a missing field is reported where its parent is).
func (l *errorList) add(path string, msg func(c *catalog) string) {
	line, col := l.pos.at(path)
	l.errs = append(l.errs, &Error{Path: path, Line: line, Column: col, msg: msg})
}

// addf records a problem whose message is a catalog format with arguments.
func (l *errorList) addf(path string, format func(c *catalog) string, args ...any) {
	l.add(path, func(c *catalog) string { return fmt.Sprintf(format(c), args...) })
}

// position is a line and column in the YAML text.
type position struct{ line, col int }

// positions maps YAML paths to where their values are. It is nil for a plan built in Go.
type positions map[string]position

func (p positions) at(path string) (line, col int) {
	if p == nil {
		return 0, 0
	}
	for {
		if q, ok := p[path]; ok {
			return q.line, q.col
		}
		if path == "" {
			return 0, 0
		}
		path = parentPath(path)
	}
}

// parentPath strips the last field or index from path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
