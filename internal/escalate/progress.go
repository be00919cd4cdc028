package escalate

import (
	"cmp"
	"encoding/json"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Progress is how far one policy's escalation of an alert has come, for the alert's page.
type Progress struct {
	Policy string // the policy's name as it was when the alert fired
	Fired  int    // steps fired so far, repeats included
	Steps  int    // steps in all, repeats included
}

// ProgressOf reads the progress of a stored escalation.
func ProgressOf(esc store.Escalation) (Progress, error) {
	var rec record
	if err := json.Unmarshal(esc.Policy, &rec); err != nil {
		return Progress{}, fmt.Errorf("escalate: alert %s: stored policy %q: %w", esc.AlertID, esc.PolicyKey, err)
	}
	return Progress{Policy: cmp.Or(rec.Policy.Name, esc.PolicyKey), Fired: esc.NextSeq, Steps: rec.Policy.total()}, nil
}
