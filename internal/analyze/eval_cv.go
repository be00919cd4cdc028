package analyze

// crossValidate scores a fit-and-predict procedure with stratified k-fold cross-validation: each
// fold's model is fitted on the other folds only and predicts the held-out fold. It returns the
// confusion of all held-out predictions.
func crossValidate(exs []Example, classes, k int, seed uint64,
	fitPredict func(train, test []Example) []int) *Confusion {
	labels := make([]int, len(exs))
	for i, ex := range exs {
		labels[i] = ex.Label
	}
	fold := StratifiedFolds(labels, k, seed)
	c := NewConfusion(classes)
	for f := range k {
		var train, test []Example
		for i, ex := range exs {
			if fold[i] == f {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		for i, p := range fitPredict(train, test) {
			c.Add(test[i].Label, p)
		}
	}
	return c
}

// cvSentiment cross-validates the sentiment layer of one language on exs; it is how the training
// configuration is tuned without touching a test split.
func (a *Analyzer) cvSentiment(exs []Example, lang string, cfg LayerConfig, k int) *Confusion {
	c, _ := a.cvSentimentPlain(exs, nil, lang, cfg, k)
	return c
}

// cvSentimentPlain also reports the share of plain texts (statements without an opinion) that each
// fold's model calls neutral, averaged over the folds.
func (a *Analyzer) cvSentimentPlain(exs, plain []Example, lang string, cfg LayerConfig, k int) (*Confusion, float64) {
	return a.cvSentimentSeed(exs, plain, lang, cfg, k, 7)
}

// cvSentimentSeeds is the mean macro recall of k-fold cross-validation over several fold seeds. One
// split of 2,000 tweets moves the figure by about 0.003, as much as many a rule changes it.
func (a *Analyzer) cvSentimentSeeds(exs []Example, lang string, cfg LayerConfig, k int, seeds []uint64) float64 {
	sum := 0.0
	for _, seed := range seeds {
		c, _ := a.cvSentimentSeed(exs, nil, lang, cfg, k, seed)
		sum += c.MacroRecall()
	}
	return sum / float64(len(seeds))
}

func (a *Analyzer) cvSentimentSeed(exs, plain []Example, lang string, cfg LayerConfig, k int, seed uint64) (*Confusion, float64) {
	neutral, total := 0, 0
	c := crossValidate(exs, 3, k, seed, func(train, test []Example) []int {
		m := a.fitSentiment(train, lang, cfg)
		sl := &sentimentLang{lex: a.sentimentFor(lang).lex, model: m}
		sc := &scratch{}
		label := func(s string) Polarity {
			sc.toks = sc.tz.Tokenize(sc.toks[:0], s)
			return a.sentimentWith(sc, sl).Label
		}
		out := make([]int, len(test))
		for i, ex := range test {
			out[i] = int(label(ex.Text))
		}
		for _, ex := range plain {
			total++
			if label(ex.Text) == Neutral {
				neutral++
			}
		}
		return out
	})
	if total == 0 {
		return c, 0
	}
	return c, float64(neutral) / float64(total)
}

// cvComplaint cross-validates the complaint layer; WordMin 0 is the cues-only layer.
func (a *Analyzer) cvComplaint(exs []Example, cfg LayerConfig, k int) *Confusion {
	return crossValidate(exs, 2, k, 11, func(train, test []Example) []int {
		m := a.fitComplaint(train, "en", cfg)
		xs, _ := a.complaintInputs(test, "en", m)
		return predictAll(m, xs)
	})
}

func predictAll(m *linearModel, xs [][]feature) []int {
	p := make([]float64, m.classes)
	out := make([]int, len(xs))
	for i, x := range xs {
		m.scores(x, p)
		best := 0
		for c := 1; c < m.classes; c++ {
			if p[c] > p[best] {
				best = c
			}
		}
		out[i] = best
	}
	return out
}
