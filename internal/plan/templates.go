package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// A template's status, approver and approval time live in the plan itself, so an exported plan says
// which statements are approved and by whom. Its history is read back from the plan's versions: every
// stored plan that changed a template's text, version or status is a step in that template's history,
// by whoever saved that plan, so an edit made in the YAML editor, through the API or by an import is
// in it as much as one made on the template's own page.

// DefaultAuthor is the author of the default plan when a first change stores it.
const DefaultAuthor = "crisisdesk"

// templateStatuses are the statuses a template may have; empty reads as a draft.
var templateStatuses = []string{respond.TemplateDraft, respond.TemplateApproved}

// templateStatus checks a template's status and approval fields.
func (v validator) templateStatus(path string, t respond.Template) {
	v.oneOf(field(path, "status"), t.Status, templateStatuses, false)
	if t.Status != respond.TemplateApproved {
		if t.ApprovedBy != "" || t.ApprovedAt != "" {
			at := field(path, "approved_by")
			if t.ApprovedBy == "" {
				at = field(path, "approved_at")
			}
			v.l.add(at, func(c *catalog) string { return c.tplDraftApproved })
		}
		return
	}
	v.required(field(path, "approved_by"), t.ApprovedBy)
	if v.required(field(path, "approved_at"), t.ApprovedAt) {
		if _, err := time.Parse(time.RFC3339, t.ApprovedAt); err != nil {
			v.l.add(field(path, "approved_at"), func(c *catalog) string { return c.tplBadApprovedAt })
		}
	}
}

// checkTemplateGrants refuses a plan that grants an approval: a template marked approved whose
// version, text or approval differs from the approved template of the same id in the stored plan. An
// approval is given on the template's page, by someone other than its author (ApproveTemplate); a
// YAML document may keep an approval, never give one. The first plan of an installation is exempt, so
// that an exported plan can be restored with its approvals.
func checkTemplateGrants(ctx context.Context, vs Versions, src []byte, next *Plan) error {
	latest, err := vs.LatestPlan(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("plan: save: %w", err)
	}
	prev, err := templatesOf(latest.YAML)
	if err != nil {
		// A stored plan is one that parsed; if its templates cannot be read, nothing was approved in it.
		prev = nil
	}
	l := &errorList{pos: positionsOf(src)}
	for i, t := range next.Templates {
		if !t.Approved() {
			continue
		}
		k := slices.IndexFunc(prev, func(p respond.Template) bool { return p.ID == t.ID })
		if k >= 0 && sameApproval(prev[k], t) {
			continue
		}
		path := index("templates", i)
		if k >= 0 && prev[k].Approved() && prev[k].Text != t.Text && prev[k].Version == t.Version {
			v := field(path, "version")
			l.add(v, func(c *catalog) string { return c.tplTextChanged })
			continue
		}
		l.add(field(path, "status"), func(c *catalog) string { return c.tplGrantInYAML })
	}
	if len(l.errs) > 0 {
		return l.errs
	}
	return nil
}

func sameApproval(a, b respond.Template) bool {
	return a.Approved() && b.Approved() && a.Version == b.Version && a.Text == b.Text &&
		a.ApprovedBy == b.ApprovedBy && a.ApprovedAt == b.ApprovedAt
}

// positionsOf maps the YAML paths of a plan that parsed to their lines and columns.
func positionsOf(src []byte) positions {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	l := &errorList{pos: positions{}}
	w := walker{list: l}
	w.walk(doc.Content[0], reflect.TypeFor[Plan](), "")
	return l.pos
}

// templatesOf reads only the templates of a stored plan, leniently, so that the history of a template
// still reads when an old plan would fail today's stricter validation.
func templatesOf(src string) ([]respond.Template, error) {
	var doc struct {
		Templates []respond.Template `yaml:"templates"`
	}
	// A history reads every stored plan; decoding only the templates section keeps that to a fraction
	// of the work. When the section cannot be cut out cleanly, the whole document is read.
	if part, ok := templatesSection(src); ok && yaml.Unmarshal([]byte(part), &doc) == nil {
		return doc.Templates, nil
	}
	doc.Templates = nil
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return nil, fmt.Errorf("plan: templates: %w", err)
	}
	return doc.Templates, nil
}

// templatesSection cuts the top-level templates: key and its value out of a plan: from the line that
// starts with "templates:" to the next line that starts another top-level key. Lines of the value are
// indented, or are items of an unindented list ("- "), or comments.
func templatesSection(src string) (string, bool) {
	start := -1
	if strings.HasPrefix(src, "templates:") {
		start = 0
	} else if i := strings.Index(src, "\ntemplates:"); i >= 0 {
		start = i + 1
	}
	if start < 0 {
		return "", false
	}
	if strings.Contains(src[:start], "\n---") || strings.Contains(src[start:], "\n...") {
		return "", false
	}
	end := len(src)
	rest := src[start:]
	for off := strings.IndexByte(rest, '\n'); off >= 0 && off+1 < len(rest); {
		line := rest[off+1:]
		if c := line[0]; c != ' ' && c != '\t' && c != '-' && c != '#' && c != '\n' && c != '\r' {
			end = start + off + 1
			break
		}
		next := strings.IndexByte(line, '\n')
		if next < 0 {
			break
		}
		off += next + 1
	}
	return src[start:end], true
}

// Changes in a template's history.
const (
	TemplateAdded    = "added"
	TemplateEdited   = "edited"
	TemplateApproval = "approved"
	TemplateChanged  = "changed" // kind, language, form or status changed, the text did not
	TemplateRemoved  = "removed"
)

// TemplateVersion is one step in a template's history: the template as a stored plan had it, who
// saved that plan and when.
type TemplateVersion struct {
	respond.Template
	Change      string
	Author      string
	At          time.Time
	PlanVersion int64 // 0 for the default plan a new installation starts from
}

// History is the part of the store that lists every plan version.
type History interface {
	Versions
	PlanVersions(ctx context.Context) ([]store.PlanVersion, error)
}

// TemplateHistory returns the history of template id, oldest first. Without a stored plan it is the
// default plan's template. It returns store.ErrNotFound when no plan ever had the template.
func TemplateHistory(ctx context.Context, h History, id string) ([]TemplateVersion, error) {
	pvs, err := h.PlanVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: template %q history: %w", id, err)
	}
	var out []TemplateVersion
	if len(pvs) == 0 {
		p, err := Default()
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(p.Templates, func(t respond.Template) bool { return t.ID == id }); i >= 0 {
			out = append(out, TemplateVersion{Template: p.Templates[i], Change: TemplateAdded, Author: p.Templates[i].ApprovedBy})
		}
	}
	// Most saves leave the templates as they were; their section is then read only once.
	var lastPart string
	var lastTS []respond.Template
	for _, pv := range slices.Backward(pvs) {
		part, ok := templatesSection(pv.YAML)
		ts := lastTS
		if !ok || part != lastPart || lastTS == nil {
			var err error
			if ts, err = templatesOf(pv.YAML); err != nil {
				continue
			}
			lastPart, lastTS = part, ts
		}
		i := slices.IndexFunc(ts, func(t respond.Template) bool { return t.ID == id })
		if i < 0 {
			if len(out) > 0 && out[len(out)-1].Change != TemplateRemoved {
				out = append(out, TemplateVersion{Template: out[len(out)-1].Template, Change: TemplateRemoved,
					Author: pv.Author, At: pv.CreatedAt, PlanVersion: pv.Version})
			}
			continue
		}
		t := ts[i]
		change := TemplateAdded
		if len(out) > 0 && out[len(out)-1].Change != TemplateRemoved {
			last := out[len(out)-1].Template
			switch {
			case last == t:
				continue
			case last.Text != t.Text:
				change = TemplateEdited
			case t.Approved() && !sameApproval(last, t):
				change = TemplateApproval
			default:
				change = TemplateChanged
			}
		}
		out = append(out, TemplateVersion{Template: t, Change: change, Author: pv.Author, At: pv.CreatedAt, PlanVersion: pv.Version})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("plan: template %q: %w", id, store.ErrNotFound)
	}
	return out, nil
}

// TemplateAuthors are the people who wrote the current text of a template: whoever saved a plan that
// added it or changed its text since its version was last raised. Four eyes means none of them
// approves it.
func TemplateAuthors(hist []TemplateVersion) []string {
	if len(hist) == 0 {
		return nil
	}
	cur := hist[len(hist)-1].Template
	var out []string
	for _, h := range hist {
		if h.Version != cur.Version || (h.Change != TemplateAdded && h.Change != TemplateEdited) {
			continue
		}
		if !slices.ContainsFunc(out, func(a string) bool { return strings.EqualFold(a, h.Author) }) {
			out = append(out, h.Author)
		}
	}
	return out
}

// TemplateRefusal is a template step the rules do not allow, with a reason a user can act on.
type TemplateRefusal struct {
	Code string
}

func (e *TemplateRefusal) Error() string { return "plan: template: " + templateText("en", e.Code) }

// Message is the reason in lang.
func (e *TemplateRefusal) Message(lang string) string { return templateText(lang, e.Code) }

// EditTemplate writes a new version of template id with text, as author: its version goes up by one
// and it is a draft again, needing a new approval. base is the version the editor started from; when
// the template changed meanwhile it returns store.ErrConflict. A text the plan would refuse comes back
// as Errors.
func EditTemplate(ctx context.Context, vs TemplateStore, id string, base int, text, author string, now time.Time) (respond.Template, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var out respond.Template
	err := changeTemplate(ctx, vs, id, base, now, func(t *respond.Template) error {
		if text == t.Text {
			return &TemplateRefusal{Code: "unchanged"}
		}
		t.Text, t.Version = text, t.Version+1
		t.Status, t.ApprovedBy, t.ApprovedAt = respond.TemplateDraft, "", ""
		out = *t
		return nil
	}, func(src []byte, planBase int64) error {
		_, _, err := SaveOn(ctx, vs, src, author, now, planBase)
		return err
	})
	return out, err
}

// ApproveTemplate approves version base of draft template id as approver, who must not be one of its
// authors (TemplateAuthors).
func ApproveTemplate(ctx context.Context, h TemplateStore, id string, base int, approver string, now time.Time) (respond.Template, error) {
	hist, err := TemplateHistory(ctx, h, id)
	if err != nil {
		return respond.Template{}, err
	}
	if slices.ContainsFunc(TemplateAuthors(hist), func(a string) bool { return strings.EqualFold(a, approver) }) {
		return respond.Template{}, &TemplateRefusal{Code: "own_template"}
	}
	var out respond.Template
	err = changeTemplate(ctx, h, id, base, now, func(t *respond.Template) error {
		if t.Approved() {
			return &TemplateRefusal{Code: "already_approved"}
		}
		t.Status, t.ApprovedBy, t.ApprovedAt = respond.TemplateApproved, approver, now.UTC().Format(time.RFC3339)
		out = *t
		return nil
	}, func(src []byte, planBase int64) error {
		// The approval is the one change checkTemplateGrants exists to stop in a document, so it is
		// stored after validation without that check.
		if _, err := Parse(src); err != nil {
			return err
		}
		v := store.PlanVersion{YAML: string(src), Author: approver, CreatedAt: now}
		if err := h.SavePlanOn(ctx, &v, planBase); err != nil {
			return fmt.Errorf("plan: approve template %q: %w", id, err)
		}
		return nil
	})
	return out, err
}

// TemplateStore is the part of the store that template steps need: the plan's history, and saving a
// plan only on the version it was read from.
type TemplateStore interface {
	History
	BaseVersions
}

// changeTemplate applies change to template id of the current plan, when it is still at version base,
// and hands the plan's new YAML to save with the plan version it was made from. save must store it only
// on that version, so that a plan saved meanwhile (people, policies, the YAML editor) is not undone by
// writing the template's plan over it: it fails with store.ErrConflict instead.
func changeTemplate(ctx context.Context, vs TemplateStore, id string, base int, now time.Time, change func(t *respond.Template) error, save func(src []byte, planBase int64) error) error {
	p, stored, version, err := Current(ctx, vs)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(p.Templates, func(t respond.Template) bool { return t.ID == id })
	if i < 0 {
		return fmt.Errorf("plan: template %q: %w", id, store.ErrNotFound)
	}
	if p.Templates[i].Version != base {
		return fmt.Errorf("plan: template %q is at version %d, not %d: %w", id, p.Templates[i].Version, base, store.ErrConflict)
	}
	if err := change(&p.Templates[i]); err != nil {
		return err
	}
	src, err := Encode(p)
	if err != nil {
		return err
	}
	if version == 0 {
		// The first change to the default plan stores the default first, so that the history of
		// every template starts with the text crisisdesk shipped.
		v := store.PlanVersion{YAML: string(stored), Author: DefaultAuthor, CreatedAt: now}
		if err := vs.SavePlanOn(ctx, &v, 0); err != nil {
			return fmt.Errorf("plan: store the default plan: %w", err)
		}
		version = v.Version
	}
	return save(src, version)
}

// templateText is the message of a TemplateRefusal code in lang: Dutch for "nl", English otherwise.
func templateText(lang, code string) string {
	c := messages(lang)
	switch code {
	case "unchanged":
		return c.tplUnchanged
	case "own_template":
		return c.tplOwn
	case "already_approved":
		return c.tplAlreadyApproved
	}
	return code
}
