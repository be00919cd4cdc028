// Command trainlang trains the language identifier shipped in internal/analyze/langid from the lingua
// test data and prints its accuracy on the held-out tenth. Run it from the repository root:
//
//	go run ./internal/analyze/cmd/trainlang -data ../shared/data/langid-lingua-testdata -out internal/analyze/langid/model.bin.gz
//
// The corpus is split by a hash of each text: one tenth is held out and only ever used to report
// accuracy, one tenth (dev) is used by -tune to choose the decision parameters, and the shipped model is
// trained on the other nine tenths (dev included). So the held-out figures it prints, and those in
// docs/ACCURACY.md, describe the shipped model on text it never saw. The same data always gives a
// byte-identical model.
//
// With -tune it writes nothing: it trains on the eight tenths that are neither held out nor dev and
// prints, for a grid of parameters, the accuracy on the dev tenth and on the hand-written short posts in
// internal/analyze/langid/testdata/short-posts.tsv.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/crisisdesk/crisisdesk/internal/analyze/langid"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trainlang", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "shared", "data", "langid-lingua-testdata"), "lingua test data directory")
	out := fs.String("out", filepath.Join("internal", "analyze", "langid", "model.bin.gz"), "model file to write")
	posts := fs.String("posts", filepath.Join("internal", "analyze", "langid", "testdata", "short-posts.tsv"), "hand-written short posts for -tune")
	tune := fs.Bool("tune", false, "print a parameter grid on the dev tenth instead of writing a model")
	def := langid.DefaultTrainConfig()
	alpha := fs.Float64("alpha", def.Alpha, "additive smoothing")
	minCount := fs.Int("mincount", def.MinCount, "drop features seen fewer times")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	samples, err := langid.ReadLingua(*data)
	if err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	cfg := langid.TrainConfig{Alpha: *alpha, MinCount: *minCount}
	train, heldOut := langid.Split(samples)
	if *tune {
		short, err := langid.ReadTSV(*posts, "short-posts")
		if err != nil {
			fmt.Fprintln(stderr, "trainlang:", err)
			return 2
		}
		return tuneGrid(train, short, cfg, stdout, stderr)
	}
	m, err := langid.Train(train, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	fmt.Fprintf(stdout, "trained on %d texts, wrote %s (%d bytes)\nheld-out tenth:\n", len(train), *out, buf.Len())
	langid.Evaluate(m, heldOut).Write(stdout)
	return 0
}

// tuneGrid trains on the training tenths minus dev and scores parameter combinations.
func tuneGrid(train, short []langid.Sample, cfg langid.TrainConfig, stdout, stderr io.Writer) int {
	var fit, dev []langid.Sample
	for _, s := range train {
		if langid.IsDev(s.Text) {
			dev = append(dev, s)
		} else {
			fit = append(fit, s)
		}
	}
	if len(dev) == 0 || len(short) == 0 {
		fmt.Fprintln(stderr, "trainlang: -tune needs a dev tenth and short posts to score")
		return 2
	}
	base, err := langid.Train(fit, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	type result struct {
		p                 langid.Params
		dev, short, nlAcc float64
		devLoss           float64
		name              string
	}
	var results []result
	weights := map[string][6]float64{
		"all":  {1, 1, 1, 1, 1, 1},
		"low3": {1, 1, 1, 1, 0.5, 0.5},
		"up":   {1, 0.25, 0.5, 1, 1, 1},
	}
	for wname, cw := range weights {
		for _, fw := range []float64{16, 32, 48} {
			for _, pr := range []float64{0, 4, 8} {
				p := langid.DefaultParams()
				p.ClassWeight = cw
				p.FunctionWord = fw
				p.Prior = map[string]float64{"nl": pr, "en": pr, "de": pr / 3, "fr": pr / 3}
				m := base.WithParams(p)
				d := langid.Evaluate(m, dev)
				s := langid.Evaluate(m, short)
				nl := s.ByLang["nl"]
				results = append(results, result{p: p, dev: d.Accuracy(), short: s.Accuracy(),
					nlAcc: float64(nl[0]) / float64(nl[1]), devLoss: logLoss(m, dev), name: wname})
			}
		}
	}
	sort.Slice(results, func(i, j int) bool {
		return results[i].dev+results[i].short > results[j].dev+results[j].short
	})
	fmt.Fprintf(stdout, "fit %d texts, dev %d, short posts %d\n", len(fit), len(dev), len(short))
	fmt.Fprintln(stdout, "| class weights | function word | prior nl/en | dev accuracy | short posts | short nl | dev log-loss |")
	fmt.Fprintln(stdout, "|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Fprintf(stdout, "| %s | %.0f | %.0f | %.4f | %.4f | %.4f | %.4f |\n", r.name, r.p.FunctionWord, r.p.Prior["nl"], r.dev, r.short, r.nlAcc, r.devLoss)
	}
	fmt.Fprintln(stdout, "\ntemperature for the shipped weights (dev log-loss, answers counted as given):")
	for _, t := range []float64{2, 4, 6, 8, 12, 16, 24} {
		p := langid.DefaultParams()
		p.Temperature = t
		fmt.Fprintf(stdout, "T=%g loss=%.4f\n", t, logLoss(base.WithParams(p), dev))
	}
	return 0
}

// logLoss is the mean negative log of the probability given to the true language, where an answer of
// another language gets 1-confidence spread evenly over the other languages, and und an even spread.
func logLoss(m *langid.Model, samples []langid.Sample) float64 {
	n := float64(len(m.Languages()))
	var sum float64
	for _, s := range samples {
		got, conf := m.Detect(s.Text, "")
		var p float64
		switch got {
		case s.Lang:
			p = conf
		case langid.Undetermined:
			p = 1 / n
		default:
			p = (1 - conf) / (n - 1)
		}
		sum -= math.Log(max(p, 1e-6))
	}
	return sum / float64(len(samples))
}
