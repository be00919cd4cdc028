package plan

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

func openTemplateStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func templateOf(t *testing.T, h History, id string) respond.Template {
	t.Helper()
	p, _, _, err := Current(t.Context(), h)
	if err != nil {
		t.Fatalf("Current: %v", err)
	}
	for _, tm := range p.Templates {
		if tm.ID == id {
			return tm
		}
	}
	t.Fatalf("template %q not in the plan", id)
	return respond.Template{}
}

// TestTemplateEditAndApprove: an edit is a new draft version, its author cannot approve it, a second
// person can, and the history shows each step with who and when.
func TestTemplateEditAndApprove(t *testing.T) {
	ctx := t.Context()
	st := openTemplateStore(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	seeded := templateOf(t, st, "holding-en")
	if !seeded.Approved() || seeded.Version != 1 {
		t.Fatalf("seeded template: %+v", seeded)
	}
	// A fresh installation's first import may carry approvals: it restores a plan.
	_, src, _, _ := Current(ctx, st)
	if _, _, err := Save(ctx, st, src, "cli", now); err != nil {
		t.Fatalf("first import: %v", err)
	}

	text := seeded.Text + " We are sorry for the trouble."
	if _, err := EditTemplate(ctx, st, "holding-en", 2, text, "anna@example.org", now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("edit from a stale version: %v", err)
	}
	edited, err := EditTemplate(ctx, st, "holding-en", 1, text, "anna@example.org", now.Add(time.Minute))
	if err != nil {
		t.Fatalf("EditTemplate: %v", err)
	}
	if edited.Version != 2 || edited.Approved() || edited.ApprovedBy != "" || edited.Text != text {
		t.Fatalf("edited template: %+v", edited)
	}
	if got := templateOf(t, st, "holding-en"); got != edited {
		t.Fatalf("stored template %+v, want %+v", got, edited)
	}
	var refusal *TemplateRefusal
	if _, err := EditTemplate(ctx, st, "holding-en", 2, text, "anna@example.org", now); !errors.As(err, &refusal) || refusal.Code != "unchanged" {
		t.Fatalf("an edit that changes nothing: %v", err)
	}
	if _, err := ApproveTemplate(ctx, st, "holding-en", 2, "ANNA@example.org", now); !errors.As(err, &refusal) || refusal.Code != "own_template" {
		t.Fatalf("the author approving: %v", err)
	}
	if refusal.Message("nl") == refusal.Message("en") || refusal.Message("nl") == "" {
		t.Errorf("refusal messages: %q / %q", refusal.Message("nl"), refusal.Message("en"))
	}
	if _, err := ApproveTemplate(ctx, st, "holding-en", 1, "bram@example.org", now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("approving a version that is no longer current: %v", err)
	}
	approved, err := ApproveTemplate(ctx, st, "holding-en", 2, "bram@example.org", now.Add(2*time.Minute))
	if err != nil {
		t.Fatalf("ApproveTemplate: %v", err)
	}
	if !approved.Approved() || approved.ApprovedBy != "bram@example.org" || approved.ApprovedAt != "2026-11-21T10:02:00Z" {
		t.Fatalf("approved template: %+v", approved)
	}
	if _, err := ApproveTemplate(ctx, st, "holding-en", 2, "carla@example.org", now); !errors.As(err, &refusal) || refusal.Code != "already_approved" {
		t.Fatalf("approving twice: %v", err)
	}

	hist, err := TemplateHistory(ctx, st, "holding-en")
	if err != nil {
		t.Fatalf("TemplateHistory: %v", err)
	}
	want := []struct {
		change, author string
		version        int
	}{{TemplateAdded, "cli", 1}, {TemplateEdited, "anna@example.org", 2}, {TemplateApproval, "bram@example.org", 2}}
	if len(hist) != len(want) {
		t.Fatalf("history has %d steps, want %d: %+v", len(hist), len(want), hist)
	}
	for i, w := range want {
		if hist[i].Change != w.change || hist[i].Author != w.author || hist[i].Version != w.version {
			t.Errorf("step %d = %s by %s v%d, want %s by %s v%d", i, hist[i].Change, hist[i].Author, hist[i].Version, w.change, w.author, w.version)
		}
	}
	if !hist[1].At.Equal(now.Add(time.Minute)) || hist[0].Text != seeded.Text || hist[1].Text != text {
		t.Errorf("history times or texts: %+v", hist[:2])
	}
	if a := TemplateAuthors(hist); len(a) != 1 || a[0] != "anna@example.org" {
		t.Errorf("TemplateAuthors = %v", a)
	}
	if _, err := TemplateHistory(ctx, st, "no-such-template"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("history of an unknown template: %v", err)
	}

	// The YAML round trip keeps status, approver and time.
	_, src, _, _ = Current(ctx, st)
	p, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse of the stored plan: %v", err)
	}
	again, err := Encode(p)
	if err != nil || !bytes.Equal(again, src) {
		t.Fatalf("plan does not round-trip: %v", err)
	}
	if _, _, err := Save(ctx, st, src, "cli", now); err != nil {
		t.Fatalf("re-importing the exported plan: %v", err)
	}
}

// TestTemplateGrantsInYAML: a document can keep an approval but not give one, and every problem names
// its path and line.
func TestTemplateGrantsInYAML(t *testing.T) {
	ctx := t.Context()
	st := openTemplateStore(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	_, src, _, _ := Current(ctx, st)
	if _, _, err := Save(ctx, st, src, "cli", now); err != nil {
		t.Fatalf("first import: %v", err)
	}
	seeded := templateOf(t, st, "holding-en")
	edit := func(src []byte, change func(tm *respond.Template)) []byte {
		p, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if p.Templates[2].ID != "holding-en" {
			t.Fatalf("templates[2] is %q", p.Templates[2].ID)
		}
		change(&p.Templates[2])
		b, err := Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name   string
		change func(tm *respond.Template)
		path   string
	}{
		{"text changed under an approval", func(tm *respond.Template) { tm.Text = "We certainly know." }, "templates[2].version"},
		{"approver changed", func(tm *respond.Template) { tm.ApprovedBy = "mallory@example.org" }, "templates[2].status"},
		{"new version approved", func(tm *respond.Template) { tm.Text, tm.Version = "We know.", 2 }, "templates[2].status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Save(ctx, st, edit(src, tc.change), "cli", now)
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Path != tc.path || errs[0].Line == 0 {
				t.Fatalf("Save = %v, want one problem at %s with a line", err, tc.path)
			}
		})
	}

	// A new draft version in the document is fine, and it cannot then be approved in the document.
	draft := edit(src, func(tm *respond.Template) {
		tm.Text, tm.Version, tm.Status, tm.ApprovedBy, tm.ApprovedAt = seeded.Text+" Sorry.", 2, respond.TemplateDraft, "", ""
	})
	if _, _, err := Save(ctx, st, draft, "anna@example.org", now); err != nil {
		t.Fatalf("saving a new draft version: %v", err)
	}
	grant := edit(draft, func(tm *respond.Template) {
		tm.Status, tm.ApprovedBy, tm.ApprovedAt = respond.TemplateApproved, "anna@example.org", "2026-11-21T10:00:00Z"
	})
	var errs Errors
	if _, _, err := Save(ctx, st, grant, "anna@example.org", now); !errors.As(err, &errs) || errs[0].Path != "templates[2].status" {
		t.Fatalf("an approval given in YAML: %v", err)
	}
}

// TestTemplateStatusValidation checks the status fields with paths and lines.
func TestTemplateStatusValidation(t *testing.T) {
	_, src, _, err := Current(t.Context(), &memVersions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to, path string
	}{
		{"unknown status", "status: approved\n", "status: signed\n", "templates[0].status"},
		{"approved without time", "    approved_at: \"2026-11-01T00:00:00Z\"\n", "", "templates[0].approved_at"},
		{"bad time", `approved_at: "2026-11-01T00:00:00Z"`, `approved_at: "1 november"`, "templates[0].approved_at"},
		{"draft with an approver", "status: approved\n", "status: draft\n", "templates[0].approved_by"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Replace(src, []byte(tc.from), []byte(tc.to), 1)
			_, err := Parse(bad)
			var errs Errors
			if !errors.As(err, &errs) || errs[0].Path != tc.path || errs[0].Line == 0 || errs[0].Message("nl") == errs[0].Message("en") {
				t.Fatalf("Parse = %v, want a problem at %s with a line", err, tc.path)
			}
		})
	}
}

// TestTemplateGrantsOnBase: saving on a base version checks template approvals as an import does.
func TestTemplateGrantsOnBase(t *testing.T) {
	ctx := t.Context()
	st := openTemplateStore(t)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	_, src, _, _ := Current(ctx, st)
	if _, _, err := Save(ctx, st, src, "cli", now); err != nil {
		t.Fatal(err)
	}
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	p.Templates[2].ApprovedBy = "mallory@example.org"
	bad, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	var errs Errors
	if _, _, err := SaveOn(ctx, st, bad, "mallory@example.org", now, 1); !errors.As(err, &errs) || errs[0].Path != "templates[2].status" {
		t.Fatalf("SaveOn with an approval given in the document: %v", err)
	}
}

// FuzzTemplatesOf checks that reading only the templates section gives what reading the whole
// document gives, whenever the whole document reads.
func FuzzTemplatesOf(f *testing.F) {
	if p, err := Default(); err == nil {
		if b, err := Encode(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("organisation:\n  name: x\ntemplates:\n- id: a\n  text: |\n    one\n    two\n# note\nscenarios: []\n")
	f.Add("templates: [{id: a, text: b}]\npeople: []\n")
	f.Add("people: []\ntemplates:\n  - id: a\n    text: >-\n      x\n\n      y\n")
	f.Add("templates:\n  - id: a\n---\ntemplates: []\n")
	f.Fuzz(func(t *testing.T, src string) {
		var whole struct {
			Templates []respond.Template `yaml:"templates"`
		}
		if yaml.Unmarshal([]byte(src), &whole) != nil {
			return
		}
		got, err := templatesOf(src)
		if err != nil || !reflect.DeepEqual(got, whole.Templates) {
			t.Fatalf("templatesOf = %+v, %v; the whole document has %+v", got, err, whole.Templates)
		}
	})
}
