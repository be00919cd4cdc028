package store

import (
	"math"
	"time"
)

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// UnixNano is t as Unix nanoseconds for an ordered integer column. Times outside the years 1678 to 2262
// are clamped to the ends of the int64 range instead of wrapping around, so they still sort first or
// last. Stores keep the exact time elsewhere where it must round-trip.
func UnixNano(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// FromUnixNano is the inverse of UnixNano for times in range, in UTC. The smallest value reads back as
// the zero time, so an unset time round-trips as unset.
func FromUnixNano(n int64) time.Time {
	if n == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
