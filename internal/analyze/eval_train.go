package analyze

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/crisisdesk/crisisdesk/internal/text"
)

// TrainConfig says how the logistic layers are fitted. DefaultTrainConfig is what the shipped
// weights were fitted with; its choices were made by cross-validation on the training splits only
// (crisisdesk eval -tune).
type TrainConfig struct {
	SentimentEN, SentimentNL, Complaint LayerConfig
}

// LayerConfig fits one layer.
type LayerConfig struct {
	// WordMin is how many training texts a word must occur in to get a weight of its own; 0 leaves
	// words out and fits the lexicon features alone.
	WordMin int
	Fit     FitConfig
}

// DefaultTrainConfig returns the configuration of the shipped weights.
//   - English sentiment fits lexicon features only, class-balanced: TweetEval's 2,000 val tweets are
//     too few for word weights (cross-validated macro recall drops from 0.652 to 0.600 with them), and
//     its class mix differs from the test split's, so the layer aims at macro recall.
//   - Dutch sentiment adds words seen at least twice and fits the class mix as it is, because its
//     measure is accuracy and neutral review sentences are rare.
//   - Complaints add words seen at least three times.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		SentimentEN: LayerConfig{WordMin: 0, Fit: FitConfig{Epochs: 30, Rate: 0.05, L2: 1e-3, Balanced: true, Seed: 1}},
		SentimentNL: LayerConfig{WordMin: 2, Fit: FitConfig{Epochs: 10, Rate: 0.05, L2: 1e-3, Balanced: false, Seed: 1}},
		Complaint:   LayerConfig{WordMin: 3, Fit: FitConfig{Epochs: 30, Rate: 0.05, L2: 1e-3, Balanced: true, Seed: 1}},
	}
}

// Train fits every logistic layer from the data sets the data README allows for training and writes
// the weight files into outDir (the package's lexicon/weights directory). TweetEval val fits English
// sentiment, SemEval train fits Dutch sentiment, and all complaint tweets fit the complaint layers;
// no test split is read.
func Train(dataDir, outDir string, cfg TrainConfig) error {
	a, err := newAnalyzer(lexiconFS, false)
	if err != nil {
		return err
	}
	val, err := LoadTweetEval(dataDir, "val")
	if err != nil {
		return err
	}
	train, err := LoadSemEvalDutch(dataDir, "train")
	if err != nil {
		return err
	}
	complaints, err := LoadComplaints(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	models := map[string]*linearModel{
		"sentiment-en.tsv":   a.fitSentiment(val, "en", cfg.SentimentEN),
		"sentiment-nl.tsv":   a.fitSentiment(train, "nl", cfg.SentimentNL),
		"complaint-en.tsv":   a.fitComplaint(complaints, "en", cfg.Complaint),
		"complaint-cues.tsv": a.fitComplaint(complaints, "en", LayerConfig{WordMin: 0, Fit: cfg.Complaint.Fit}),
	}
	for name, m := range models {
		f, err := os.Create(filepath.Join(outDir, name))
		if err != nil {
			return err
		}
		err = m.writeTo(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("train: write %s: %w", name, err)
		}
	}
	return nil
}

// vocabulary returns the words (folded) that occur in at least min of texts, sorted.
func vocabulary(a *Analyzer, texts []Example, minCount int) []string {
	if minCount <= 0 {
		return nil
	}
	df := map[string]int{}
	var tz text.Tokenizer
	var toks []text.Token
	seen := map[string]bool{}
	for _, ex := range texts {
		toks = tz.Tokenize(toks[:0], ex.Text)
		clear(seen)
		for _, t := range toks {
			if t.Kind != text.Word && t.Kind != text.Hashtag && t.Kind != text.Emoji {
				continue
			}
			if !seen[t.Norm] {
				seen[t.Norm] = true
				df[t.Norm]++
			}
		}
	}
	var out []string
	for w, n := range df {
		if n >= minCount {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// fitSentiment fits the sentiment layer of one language.
func (a *Analyzer) fitSentiment(exs []Example, lang string, cfg LayerConfig) *linearModel {
	names := append([]string{}, sentimentFeatureNames...)
	for _, w := range vocabulary(a, exs, cfg.WordMin) {
		if lang == "nl" && functionWordsNL[w] {
			continue
		}
		names = append(names, "w:"+w)
	}
	shape := newLinearModel(3, names)
	xs, ys := a.sentimentInputs(exs, lang, shape)
	return fitLinear(xs, ys, 3, names, cfg.Fit)
}

// sentimentInputs computes the model inputs of exs for a model shaped like shape.
func (a *Analyzer) sentimentInputs(exs []Example, lang string, shape *linearModel) ([][]feature, []int) {
	sc := &scratch{}
	sl := a.sentimentFor(lang)
	xs := make([][]feature, len(exs))
	ys := make([]int, len(exs))
	for i, ex := range exs {
		sc.toks = sc.tz.Tokenize(sc.toks[:0], ex.Text)
		sl.lexFeatures(sc.toks, a.symbols, &sc.sent)
		xs[i] = sentimentVector(nil, &sc.sent.f, sc.toks, shape)
		ys[i] = ex.Label
	}
	return xs, ys
}

// fitComplaint fits a complaint layer; WordMin 0 gives the cues-only layer.
func (a *Analyzer) fitComplaint(exs []Example, lang string, cfg LayerConfig) *linearModel {
	names := complaintFeatureNames()
	for _, w := range vocabulary(a, exs, cfg.WordMin) {
		names = append(names, "w:"+w)
	}
	shape := newLinearModel(2, names)
	xs, ys := a.complaintInputs(exs, lang, shape)
	m := fitLinear(xs, ys, 2, names, cfg.Fit)
	foldThreshold(m, xs, ys)
	return m
}

func (a *Analyzer) complaintInputs(exs []Example, lang string, shape *linearModel) ([][]feature, []int) {
	sc := &scratch{}
	sl := a.sentimentFor(lang)
	xs := make([][]feature, len(exs))
	ys := make([]int, len(exs))
	for i, ex := range exs {
		sc.toks = sc.tz.Tokenize(sc.toks[:0], ex.Text)
		sl.lexFeatures(sc.toks, a.symbols, &sc.sent)
		a.phrases.hits(ex.Text, sc.toks, &sc.cat)
		sc.cfeat = a.complaint.features(sc, sc.cfeat)
		xs[i] = complaintVector(nil, sc.cfeat, sc.toks, shape)
		ys[i] = ex.Label
	}
	return xs, ys
}

// foldThreshold finds the probability threshold with the best F1 on the training data and moves the
// model's bias so that this threshold sits at one half.
func foldThreshold(m *linearModel, xs [][]feature, ys []int) {
	p := make([]float64, 2)
	probs := make([]float64, len(xs))
	for i, x := range xs {
		m.scores(x, p)
		probs[i] = p[1]
	}
	bestT, bestF := 0.5, -1.0
	for t := 0.2; t <= 0.8; t += 0.01 {
		c := NewConfusion(2)
		for i, pr := range probs {
			c.Add(ys[i], b2i(pr >= t))
		}
		if f := c.F1(1); f > bestF {
			bestT, bestF = t, f
		}
	}
	// p1 >= t  ⇔  logit(p1) >= logit(t)  ⇔  (b1 − logit t) − b0 >= w·x difference.
	m.bias[1] -= float32(math.Log(bestT / (1 - bestT)))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
