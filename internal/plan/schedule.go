package plan

import (
	"slices"
	"time"

	// Schedules depend on Europe/Amsterdam and other zones being known. Embedding the zone database
	// keeps the single binary correct on hosts and containers without one.
	_ "time/tzdata"
)

// OnDuty returns the people schedule has on duty at t, or nil when the plan has no such schedule or
// nobody is on duty then. An override that covers t puts its person on duty instead of the rotations;
// otherwise each rotation that has started contributes its current person. Handoffs happen at the
// wall-clock time of the rotation's start in the schedule's zone, so a Monday 09:00 handoff stays at
// 09:00 when daylight saving time begins or ends, and a shift that spans the change is an hour shorter
// or longer.
func (p *Plan) OnDuty(schedule string, t time.Time) []Person {
	i := slices.IndexFunc(p.Schedules, func(s Schedule) bool { return s.ID == schedule })
	if i < 0 {
		return nil
	}
	s := p.Schedules[i]
	loc := p.location(s)
	var ids []string
	for _, o := range s.Overrides {
		start, err1 := time.ParseInLocation(LocalTimeLayout, o.Start, loc)
		end, err2 := time.ParseInLocation(LocalTimeLayout, o.End, loc)
		if err1 != nil || err2 != nil {
			continue
		}
		if !t.Before(start) && t.Before(end) {
			ids = append(ids, o.Person)
		}
	}
	if len(ids) == 0 {
		for _, r := range s.Rotations {
			if id, ok := r.onDuty(t, loc); ok {
				ids = append(ids, id)
			}
		}
	}
	var out []Person
	for k, id := range ids {
		if slices.Contains(ids[:k], id) {
			continue
		}
		if j := slices.IndexFunc(p.People, func(per Person) bool { return per.ID == id }); j >= 0 {
			out = append(out, p.People[j])
		}
	}
	return out
}

// location is the zone of s: its own, the organisation's, or Europe/Amsterdam. A zone that does not
// load (validation reports it) falls back to UTC so that routing still answers.
func (p *Plan) location(s Schedule) *time.Location {
	name := s.TimeZone
	if name == "" {
		name = p.Organisation.TimeZone
	}
	if name == "" {
		name = DefaultTimeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// onDuty returns the id of the person r has on duty at t.
func (r Rotation) onDuty(t time.Time, loc *time.Location) (string, bool) {
	if len(r.People) == 0 {
		return "", false
	}
	start, err := time.ParseInLocation(LocalTimeLayout, r.Start, loc)
	if err != nil || t.Before(start) {
		return "", false
	}
	shift := r.ShiftDays
	if shift <= 0 {
		shift = 7
	}
	// Count calendar days, not 24-hour periods, so that a 23- or 25-hour day still counts as one.
	lt := t.In(loc)
	sy, sm, sd := start.Date()
	ly, lm, ld := lt.Date()
	days := int(time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC).Sub(time.Date(sy, sm, sd, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	k := days / shift
	handoff := time.Date(sy, sm, sd+k*shift, start.Hour(), start.Minute(), 0, 0, loc)
	if t.Before(handoff) {
		k--
	}
	return r.People[k%len(r.People)], true
}
