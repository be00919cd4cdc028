package store

import (
	"errors"
	"strings"
	"testing"
)

func TestTimelineChange(t *testing.T) {
	written := Statement{ID: 7, IncidentID: 3}
	boom := errors.New("boom")
	tests := []struct {
		name     string
		timeline func(Statement) (*IncidentChange, error)
		want     int64 // the change's incident, 0 for none
		wantErr  string
	}{
		{"no timeline", nil, 0, ""},
		{"timeline gives none", func(Statement) (*IncidentChange, error) { return nil, nil }, 0, ""},
		{"timeline fails", func(Statement) (*IncidentChange, error) { return nil, boom }, 0, "boom"},
		{"the statement's incident", func(st Statement) (*IncidentChange, error) { return &IncidentChange{IncidentID: st.IncidentID}, nil }, 3, ""},
		{"another incident", func(Statement) (*IncidentChange, error) { return &IncidentChange{IncidentID: 4}, nil }, 0, "timeline of incident 4 for a statement of incident 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := StatementChange{Timeline: tt.timeline}.TimelineChange(written)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || ic != nil {
					t.Fatalf("TimelineChange = %+v, %v; want error %q", ic, err, tt.wantErr)
				}
			case tt.want == 0:
				if err != nil || ic != nil {
					t.Fatalf("TimelineChange = %+v, %v; want none", ic, err)
				}
			default:
				if err != nil || ic == nil || ic.IncidentID != tt.want {
					t.Fatalf("TimelineChange = %+v, %v; want incident %d", ic, err, tt.want)
				}
			}
		})
	}
}
