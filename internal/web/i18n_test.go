package web

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// keyPrefixes are the sections of the message files; a Go string literal starting with one of them and
// a dot is taken to be a message key.
var keyRE = regexp.MustCompile(`"((?:account|layout|nav|lang|role|platform|period|common|form|error|login|setup|dashboard|posts|tokens|users|monitors|monitor|settings|alerts|alert|ack|plan|deliveries|incidents|incident|statement)\.[a-z0-9_]*[a-z0-9])"`)

// templateKeyRE finds {{t "key"}} and {{tf "key" …}} in templates.
var templateKeyRE = regexp.MustCompile(`\{\{-?\s*tf? "([^"]+)"`)

func TestMessagesComplete(t *testing.T) {
	c, err := loadCatalog(assets)
	if err != nil {
		t.Fatal(err)
	}
	if m := c.missing(); len(m) > 0 {
		t.Fatalf("missing messages: %v", m)
	}

	used := map[string]string{} // key -> where
	// Keys in templates.
	err = fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		for _, m := range templateKeyRE.FindAllSubmatch(b, -1) {
			used[string(m[1])] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 50 {
		t.Fatalf("only %d keys found in templates; is the pattern right?", len(used))
	}
	// Keys in Go code.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllSubmatch(b, -1) {
			if k := string(m[1]); !strings.HasSuffix(k, ".html") { // template file names look alike
				used[k] = f
			}
		}
	}
	// Keys built at run time.
	for _, p := range post.Platforms {
		used["platform."+p] = "platform names"
	}
	for _, r := range auth.Roles() {
		used["role."+string(r)] = "role names"
	}
	for _, l := range append(slices.Clone(languages), searchLangs...) {
		used["lang."+l] = "language names"
	}
	used["lang.self"] = "language switch"
	// The plan page names roles, contact kinds, playbook steps and moderation actions from the plan.
	for _, r := range plan.Roles() {
		used["plan.role_"+r] = "plan roles"
	}
	for _, k := range plan.ContactKinds() {
		used["plan.contact_"+k] = "plan contact kinds"
	}
	for _, st := range plan.LifecycleSteps() {
		used["plan.step_"+st] = "plan playbook steps"
	}
	for _, a := range []string{plan.ActionHide, plan.ActionHideAndReport} {
		used["plan.action_"+a] = "plan moderation actions"
	}
	// The incident room names statuses, clocks, claims, SCCT terms, roles, steps and severities.
	for prefix, ids := range map[string][]string{
		"status_": incident.Statuses(), "claim_": incident.ClaimStatuses(), "type_": incident.CrisisTypes(),
		"intensifier_": incident.Intensifiers(), "role_": incident.Roles(), "step_": incident.Steps(),
		"person_role_": incident.TeamRoles(), "contact_": plan.ContactKinds(),
		"clock_":   {incident.ClockPending, incident.ClockWarning, incident.ClockBreached, incident.ClockMet, incident.ClockMetLate, incident.ClockStopped},
		"cluster_": {incident.ClusterVictim.String(), incident.ClusterAccidental.String(), incident.ClusterPreventable.String()},
		"posture_": {incident.PostureBase, incident.PostureDeny, incident.PostureDiminish, incident.PostureRebuild},
		"tactic_": {incident.TacticInstructing, incident.TacticAdjusting, incident.TacticDenial, incident.TacticCorrection,
			incident.TacticExcuse, incident.TacticJustify, incident.TacticApology, incident.TacticCompensate,
			incident.TacticReminder, incident.TacticIngratiate},
		"severity_": {"1", "2", "3", "4"},
	} {
		for _, id := range ids {
			used["incident."+prefix+id] = "incident room names"
		}
	}
	for _, d := range []string{"status", "severity", "role", "classified", "playbook", "task", "claim", "note", "alert", "post", "informed"} {
		used[incidentNotice(d)] = "incident notices"
	}
	for k, why := range statementKeys() {
		used[k] = why
	}
	for _, p := range periods {
		used["period."+p.Value] = "periods"
	}
	for _, s := range sentiments {
		used["sentiment."+s] = "sentiment names"
	}
	for _, c := range store.Categories {
		used["category."+c] = "category names"
	}
	for _, p := range []string{"q", "platform", "lang", "period", "since", "until", "monitor", "sentiment", "category", "complaint"} {
		used["posts.bad_"+p] = "search form errors"
	}
	for _, d := range []string{"revoked", "created", "role", "disabled", "enabled", "password", "password-changed"} {
		k := doneNotice(d)
		if k == "" {
			t.Errorf("doneNotice(%q) is empty", d)
		}
		used[k] = "notices"
	}

	for _, lang := range languages {
		for key, where := range used {
			if _, ok := c[lang][key]; !ok {
				t.Errorf("%s: key %q used in %s is missing", lang, key, where)
			}
		}
		for key, text := range c[lang] {
			if _, ok := used[key]; !ok {
				t.Errorf("%s: key %q is never used", lang, key)
			}
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: key %q is empty", lang, key)
			}
		}
	}
	// Both languages take the same arguments.
	verbs := regexp.MustCompile(`%[a-z]`)
	for key, en := range c["en"] {
		if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(c["nl"][key], -1); !slices.Equal(a, b) {
			t.Errorf("key %q: en has %v, nl has %v", key, a, b)
		}
	}
}

// TestMessageFilesHaveNoDuplicates reads the files token by token, since decoding into a map would
// silently keep only the last of two equal keys.
func TestMessageFilesHaveNoDuplicates(t *testing.T) {
	for _, lang := range languages {
		b, err := fs.ReadFile(assets, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			key := k.(string)
			if seen[key] {
				t.Errorf("%s: key %q appears twice", lang, key)
			}
			seen[key] = true
			if _, err := dec.Token(); err != nil {
				t.Fatalf("%s: value of %q: %v", lang, key, err)
			}
		}
	}
}

// TestEveryPageRendersInEveryLanguage renders each page as an admin in both languages and looks for
// the bracketed form a missing key takes.
func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	h := newHarness(t)
	b := h.loggedIn(auth.Admin)
	h.insert(testPost("p1", "news", "Bericht", now, "nl"))
	for _, lang := range languages {
		b.submit("/lang", url.Values{"lang": {lang}, "next": {"/"}})
		for _, page := range []string{"/", "/posts?q=bericht", "/posts?platform=bad", "/settings/tokens", "/settings/account", "/admin/users", "/monitors", "/monitors/new", "/admin/settings", anyPage} {
			r := b.get(page)
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: wrong html lang", lang, page)
			}
			if m := regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]+\]`).FindString(r.body); m != "" {
				t.Errorf("%s %s: untranslated %s", lang, page, m)
			}
		}
	}
	anon := h.browser()
	for _, page := range []string{"/login", "/setup?token=x"} {
		if m := regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]+\]`).FindString(anon.get(page).body); m != "" {
			t.Errorf("%s: untranslated %s", page, m)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"nl", 1234567, "1.234.567"},
		{"en", -1234, "-1,234"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.lang, tt.n); got != tt.want {
			t.Errorf("formatNumber(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
