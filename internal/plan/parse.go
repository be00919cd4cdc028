package plan

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize is the largest plan Parse reads. A real plan is tens of kilobytes; the limit keeps a hostile
// upload from costing much.
const MaxSize = 4 << 20

// Parse reads a plan from YAML and validates it. On any problem it returns Errors holding every problem
// found, each with its YAML path, line and column, and no plan. Unknown fields are errors, so a typo
// never silently drops a setting.
func Parse(b []byte) (*Plan, error) {
	l := &errorList{}
	if len(b) > MaxSize {
		l.addf("", func(c *catalog) string { return c.tooLarge }, MaxSize)
		return nil, l.errs
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		l.errs = append(l.errs, syntaxError(err))
		return nil, l.errs
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		// A second document (or a syntax error after the first) would otherwise be ignored silently.
		if err != nil {
			l.errs = append(l.errs, syntaxError(err))
		} else {
			l.pos = positions{"": {next.Line, next.Column}}
			l.add("", func(c *catalog) string { return c.multiDoc })
		}
		return nil, l.errs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		l.add("", func(c *catalog) string { return c.empty })
		return nil, l.errs
	}
	root := doc.Content[0]
	l.pos = positions{}
	w := walker{list: l}
	w.walk(root, reflect.TypeFor[Plan](), "")
	if w.aliases {
		// Aliases would be expanded by decoding; a plan has no need of them, so stop here.
		return nil, l.errs
	}
	shapeErrs := len(l.errs)
	var p Plan
	if err := root.Decode(&p); err != nil && shapeErrs == 0 {
		// The walk checks every shape Decode can reject, so this is a safety net that still answers
		// with an error rather than a half-read plan.
		l.errs = append(l.errs, syntaxError(err))
		return nil, l.errs
	}
	// Validate what decoded even when the walk found problems, so that one run reports everything; a
	// value of the wrong shape decodes as zero, and its validation errors would repeat the shape error.
	bad := make([]string, shapeErrs)
	for i, e := range l.errs {
		bad[i] = e.Path
	}
	shape := l.errs
	l.errs = nil
	p.validate(l)
	l.errs = slices.DeleteFunc(l.errs, func(e *Error) bool {
		return slices.ContainsFunc(bad, func(b string) bool { return within(e.Path, b) })
	})
	l.errs = append(shape, l.errs...)
	if len(l.errs) > 0 {
		// Validation goes part by part; a reader fixes a file top to bottom.
		slices.SortStableFunc(l.errs, func(a, b *Error) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
		})
		return nil, l.errs
	}
	return &p, nil
}

// Encode writes p as YAML, in the layout Parse reads and export prints.
func Encode(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("plan: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("plan: encode: %w", err)
	}
	return buf.Bytes(), nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error, which puts the line in its text, into an Error with that line.
func syntaxError(err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Column = 1
		msg = m[2]
	}
	e.msg = func(c *catalog) string { return fmt.Sprintf(c.syntax, msg) }
	return e
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// walker checks the YAML node tree against the plan's Go types before anything is decoded. It records
// where every value is, so that validation can name lines, and it reports unknown fields and values of
// the wrong shape with their paths, which yaml.v3's own decoding does not give.
type walker struct {
	list    *errorList
	aliases bool
}

// within reports whether path is base or lies under it.
func within(path, base string) bool {
	return path == base || strings.HasPrefix(path, base) && (path[len(base)] == '.' || path[len(base)] == '[')
}

var secretType = reflect.TypeFor[Secret]()

func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	w.list.pos[path] = position{n.Line, n.Column}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.aliases = true
		w.list.add(path, func(c *catalog) string { return c.alias })
		return
	}
	if isNull(n) {
		return
	}
	if t == secretType && n.Kind == yaml.ScalarNode {
		w.list.add(path, func(c *catalog) string { return c.secretClear })
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.list.add(path, func(c *catalog) string { return c.wantMapping })
			return
		}
		w.walkStruct(n, t, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.list.add(path, func(c *catalog) string { return c.wantList })
			return
		}
		for i, e := range n.Content {
			w.walk(e, t.Elem(), index(path, i))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			w.list.add(path, func(c *catalog) string { return c.wantText })
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		var v int64
		if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
			w.list.add(path, func(c *catalog) string { return c.wantNumber })
		}
	case reflect.Bool:
		var v bool
		if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
			w.list.add(path, func(c *catalog) string { return c.wantBool })
		}
	default:
		// Every plan type is one of the kinds above; a new kind must be added here, and the round-trip
		// tests fail until it is.
		w.list.add(path, func(c *catalog) string { return c.wantText })
	}
}

func (w *walker) walkStruct(n *yaml.Node, t reflect.Type, path string) {
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if k.Kind != yaml.ScalarNode || name == "<<" || k.Anchor != "" {
			w.aliases = true
			w.list.pos[field(path, name)] = position{k.Line, k.Column}
			w.list.add(field(path, name), func(c *catalog) string { return c.alias })
			continue
		}
		f, ok := fields[name]
		if !ok {
			p := field(path, name)
			w.list.pos[p] = position{k.Line, k.Column}
			suggestion := nearest(name, fields)
			w.list.add(p, func(c *catalog) string {
				s := fmt.Sprintf(c.unknownField, name)
				if suggestion != "" {
					s += fmt.Sprintf(c.didYouMean, suggestion)
				}
				return s
			})
			continue
		}
		w.walk(v, f.Type, field(path, name))
	}
}

// yamlFields maps the YAML names of t's fields to the fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f
	}
	return m
}

// nearest returns the known field name closest to name when it is close enough to be a typo, or "".
func nearest(name string, fields map[string]reflect.StructField) string {
	limit := min(3, max(1, (len(name)+1)/2))
	best, bestD := "", limit+1
	for f := range fields {
		d := editDistance(strings.ToLower(name), f)
		if d < bestD || d == bestD && f < best {
			best, bestD = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes; field names are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
