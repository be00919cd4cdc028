package store

import "fmt"

// TimelineChange is the incident change that c.Timeline gives for the statement as written, nil when
// c has none or Timeline gives none. Each store applies it in the transaction that writes the
// statement; a change of another incident than the statement's is an error.
func (c StatementChange) TimelineChange(written Statement) (*IncidentChange, error) {
	if c.Timeline == nil {
		return nil, nil
	}
	ic, err := c.Timeline(written)
	if err != nil || ic == nil {
		return nil, err
	}
	if ic.IncidentID != written.IncidentID {
		return nil, fmt.Errorf("timeline of incident %d for a statement of incident %d", ic.IncidentID, written.IncidentID)
	}
	return ic, nil
}
