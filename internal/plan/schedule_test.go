package plan

import (
	"slices"
	"testing"
	"time"
)

func schedulePlan() *Plan {
	return &Plan{
		People: []Person{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}, {ID: "d", Name: "D"}},
		Schedules: []Schedule{
			// Weekly from Monday 23 March 2026 09:00; summer time starts on Sunday 29 March and ends on
			// Sunday 25 October.
			{ID: "weekly", Rotations: []Rotation{{People: []string{"a", "b", "c"}, Start: "2026-03-23 09:00", ShiftDays: 7}},
				Overrides: []Override{{Person: "c", Start: "2026-03-28 20:00", End: "2026-03-29 10:00"}}},
			// Daily handoff at 08:00 over the end of summer time.
			{ID: "daily", Rotations: []Rotation{{People: []string{"a", "b"}, Start: "2026-10-24 08:00", ShiftDays: 1}}},
			// A primary and a backup rotation; shift_days defaults to a week.
			{ID: "layers", Rotations: []Rotation{
				{People: []string{"a", "b"}, Start: "2026-01-05 09:00"},
				{People: []string{"d", "c"}, Start: "2026-01-05 09:00"},
			}},
			// Both rotations would put a on duty: a is listed once.
			{ID: "same", TimeZone: "UTC", Rotations: []Rotation{
				{People: []string{"a"}, Start: "2026-01-01 00:00"},
				{People: []string{"a"}, Start: "2026-01-01 00:00"},
			}},
			{ID: "utc", TimeZone: "UTC", Rotations: []Rotation{{People: []string{"a", "b"}, Start: "2026-03-23 09:00"}}},
		},
	}
}

func TestOnDuty(t *testing.T) {
	p := schedulePlan()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		schedule string
		at       string
		want     []string
	}{
		{"before the first handoff", "weekly", "2026-03-23T07:59:00Z", nil},
		{"first handoff, 09:00 CET", "weekly", "2026-03-23T08:00:00Z", []string{"a"}},
		{"override over the DST change, 20:00 CET", "weekly", "2026-03-28T19:00:00Z", []string{"c"}},
		{"override, 09:59 CEST", "weekly", "2026-03-29T07:59:00Z", []string{"c"}},
		{"override ended at 10:00 CEST", "weekly", "2026-03-29T08:00:00Z", []string{"a"}},
		{"08:59 CEST Monday: still a", "weekly", "2026-03-30T06:59:00Z", []string{"a"}},
		{"09:00 CEST Monday: handoff to b, an hour earlier in UTC", "weekly", "2026-03-30T07:00:00Z", []string{"b"}},
		{"09:30 CEST: b (168 hours after the start would still be a)", "weekly", "2026-03-30T07:30:00Z", []string{"b"}},
		{"third week: c", "weekly", "2026-04-06T07:00:00Z", []string{"c"}},
		{"wraps to a", "weekly", "2026-04-13T07:00:00Z", []string{"a"}},
		{"after summer time, 08:59 CET", "weekly", "2026-10-26T07:59:00Z", []string{"a"}},
		{"after summer time, 09:00 CET", "weekly", "2026-10-26T08:00:00Z", []string{"b"}},
		{"daily: before the 25-hour day's handoff", "daily", "2026-10-25T06:30:00Z", []string{"a"}},
		{"daily: 08:00 CET on the 25-hour day", "daily", "2026-10-25T07:00:00Z", []string{"b"}},
		{"daily: next day", "daily", "2026-10-26T07:00:00Z", []string{"a"}},
		{"two layers", "layers", "2026-01-12T08:00:00Z", []string{"b", "c"}},
		{"the same person once", "same", "2026-02-01T00:00:00Z", []string{"a"}},
		{"UTC zone", "utc", "2026-03-30T09:00:00Z", []string{"b"}},
		{"UTC zone, just before", "utc", "2026-03-30T08:59:00Z", []string{"a"}},
		{"unknown schedule", "nope", "2026-03-30T09:00:00Z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, per := range p.OnDuty(tt.schedule, utc(tt.at)) {
				got = append(got, per.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("OnDuty(%q, %s) = %v, want %v", tt.schedule, tt.at, got, tt.want)
			}
		})
	}
}
