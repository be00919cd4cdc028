package analyze

import (
	"maps"
	"math/rand/v2"
	"slices"
)

// Confusion counts predictions against gold labels for a task with a fixed number of classes.
// Cell [gold][predicted].
type Confusion struct {
	N     int
	Cells [][]int
}

// NewConfusion returns an empty matrix for n classes.
func NewConfusion(n int) *Confusion {
	c := &Confusion{N: n, Cells: make([][]int, n)}
	for i := range c.Cells {
		c.Cells[i] = make([]int, n)
	}
	return c
}

// Add records one prediction.
func (c *Confusion) Add(gold, pred int) { c.Cells[gold][pred]++ }

func (c *Confusion) total() int {
	t := 0
	for _, row := range c.Cells {
		for _, v := range row {
			t += v
		}
	}
	return t
}

// Recall of class k: of the items that are k, the share predicted k.
func (c *Confusion) Recall(k int) float64 {
	g := 0
	for _, v := range c.Cells[k] {
		g += v
	}
	return ratio(c.Cells[k][k], g)
}

// Precision of class k: of the items predicted k, the share that are k.
func (c *Confusion) Precision(k int) float64 {
	p := 0
	for g := range c.N {
		p += c.Cells[g][k]
	}
	return ratio(c.Cells[k][k], p)
}

// F1 of class k.
func (c *Confusion) F1(k int) float64 {
	p, r := c.Precision(k), c.Recall(k)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Accuracy is the share of items predicted right.
func (c *Confusion) Accuracy() float64 {
	right := 0
	for k := range c.N {
		right += c.Cells[k][k]
	}
	return ratio(right, c.total())
}

// MacroRecall is the unweighted mean of per-class recall, TweetEval's official sentiment metric: it
// gives a classifier that always says the majority class 1/N.
func (c *Confusion) MacroRecall() float64 {
	s := 0.0
	for k := range c.N {
		s += c.Recall(k)
	}
	return s / float64(c.N)
}

// MacroF1 is the unweighted mean of per-class F1.
func (c *Confusion) MacroF1() float64 {
	s := 0.0
	for k := range c.N {
		s += c.F1(k)
	}
	return s / float64(c.N)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// StratifiedFolds assigns each example to one of k folds so that every fold holds about the same
// share of each label. The assignment is shuffled with a fixed seed, so a run is reproducible.
func StratifiedFolds(labels []int, k int, seed uint64) []int {
	byLabel := map[int][]int{}
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], i)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	fold := make([]int, len(labels))
	next := 0
	// Walk labels in a fixed order: map order would make the folds differ between runs.
	for _, l := range slices.Sorted(maps.Keys(byLabel)) {
		idx := byLabel[l]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	return fold
}
