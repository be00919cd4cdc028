package analyze

import (
	"math"
	"math/rand/v2"
)

// FitConfig controls fitting one logistic layer.
type FitConfig struct {
	Epochs int
	Rate   float64 // AdaGrad base learning rate
	L2     float64 // weight decay per update, scaled by the rate

	// Balanced weighs each class by the inverse of its frequency, so the fitted model aims at
	// macro-averaged recall instead of at the training set's class mix, which differs between
	// TweetEval's splits.
	Balanced bool
	Seed     uint64
}

// fitLinear fits a multinomial logistic model by AdaGrad stochastic gradient descent. It is
// deterministic for a given seed, so the shipped weights can be rebuilt exactly.
func fitLinear(xs [][]feature, ys []int, classes int, names []string, cfg FitConfig) *linearModel {
	m := newLinearModel(classes, names)
	classW := make([]float64, classes)
	for c := range classW {
		classW[c] = 1
	}
	if cfg.Balanced {
		count := make([]int, classes)
		for _, y := range ys {
			count[y]++
		}
		for c := range classW {
			if count[c] > 0 {
				classW[c] = float64(len(ys)) / float64(classes*count[c])
			}
		}
	}
	g2 := make([]float64, len(m.w))
	gb2 := make([]float64, classes)
	p := make([]float64, classes)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	for range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			m.scores(xs[i], p)
			cw := classW[ys[i]]
			for c := range classes {
				g := p[c]
				if c == ys[i] {
					g -= 1
				}
				g *= cw
				gb2[c] += g * g
				m.bias[c] -= float32(cfg.Rate * g / (math.Sqrt(gb2[c]) + 1e-8))
				for _, f := range xs[i] {
					j := int(f.idx)*classes + c
					gj := g*float64(f.val) + cfg.L2*float64(m.w[j])
					g2[j] += gj * gj
					m.w[j] -= float32(cfg.Rate * gj / (math.Sqrt(g2[j]) + 1e-8))
				}
			}
		}
	}
	return m
}
