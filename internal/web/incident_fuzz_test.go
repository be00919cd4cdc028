package web

import (
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// FuzzStakeholderName: a posted stakeholder key names a plan entry or nothing; it never panics, and
// a key that is found is exactly the entry's kind and id.
func FuzzStakeholderName(f *testing.F) {
	p, err := plan.Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{"person:", "contact:", ":", "", "person:x:y", "PERSON:anna"} {
		f.Add(seed)
	}
	for _, person := range p.People {
		f.Add("person:" + person.ID)
	}
	for _, c := range p.Contacts {
		f.Add("contact:" + c.ID)
	}
	f.Fuzz(func(t *testing.T, key string) {
		name, ok := stakeholderName(p, key)
		if !ok {
			if name != "" {
				t.Fatalf("%q: not found but named %q", key, name)
			}
			return
		}
		kind, id, _ := strings.Cut(key, ":")
		found := false
		switch kind {
		case "person":
			for _, person := range p.People {
				found = found || person.ID == id
			}
		case "contact":
			for _, c := range p.Contacts {
				found = found || c.ID == id
			}
		}
		if !found {
			t.Fatalf("%q named %q but is no plan entry", key, name)
		}
	})
}
