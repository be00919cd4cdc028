package detect

import "math"

// poissonTail returns P(X ≥ k) for X ~ Poisson(mu). It sums the terms from k upward in log space, which
// converges in a few dozen steps in the region that matters here (k well above mu), and falls back to
// 1 when k is at or below the mean, where the tail is large and its exact value does not matter.
func poissonTail(k, mu float64) float64 {
	if k <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	if k <= mu {
		return 1
	}
	lg, _ := math.Lgamma(k + 1)
	logTerm := k*math.Log(mu) - mu - lg
	if logTerm < -700 {
		// The first term underflows, and the rest are smaller still.
		return 0
	}
	term := math.Exp(logTerm)
	sum := term
	for i := k + 1; i < k+10000; i++ {
		term *= mu / i
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	if sum > 1 {
		return 1
	}
	return sum
}

// quasiPoissonTail tests an overdispersed count: both the observed and the expected count are divided
// by the dispersion φ (variance = φ·mean), the usual quasi-Poisson correction. Social traffic comes in
// clumps (threads, reposts), so a plain Poisson test would call ordinary clumps significant.
func quasiPoissonTail(k, mu, phi float64) float64 {
	if phi <= 1 {
		return poissonTail(math.Floor(k), mu)
	}
	return poissonTail(math.Floor(k/phi), mu/phi)
}
