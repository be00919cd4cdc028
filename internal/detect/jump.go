package detect

import "time"

// jumpMinBefore is how many minutes of the long window before the short one a monitor must have
// watched before a jump can be told from its start.
const jumpMinBefore = 20

// warmupLevel is the significance level of a window test while a monitor warms up: WarmupJumpP when
// the short window's count (short) is a sudden jump over the rest of the long window (long − short),
// per minute watched, and WarmupP otherwise.
func (m *monitor) warmupLevel(now time.Time, short, long float64) float64 {
	sw := m.covered(now, m.cfg.ShortWindow)
	rest := m.covered(now, m.cfg.LongWindow) - sw
	if m.cfg.WarmupJumpP <= m.cfg.WarmupP || rest < jumpMinBefore {
		return m.cfg.WarmupP
	}
	before := max((long-short)/rest, m.cfg.MinRate)
	if short/sw >= m.cfg.WarmupJump*before {
		return m.cfg.WarmupJumpP
	}
	return m.cfg.WarmupP
}
