// Command trainlang trains the language identifier shipped in internal/analyze/langid from the lingua
// test data and prints its accuracy on the held-out tenth. Run it from the repository root:
//
//	go run ./internal/analyze/cmd/trainlang -data ../shared/data/langid-lingua-testdata -out internal/analyze/langid/model.bin.gz
//
// By default the model is trained on the training nine tenths only, so that the held-out figures it
// prints (and those in docs/ACCURACY.md) describe the shipped model itself. The same data always gives a
// byte-identical model.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/crisisdesk/crisisdesk/internal/analyze/langid"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trainlang", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "shared", "data", "langid-lingua-testdata"), "lingua test data directory")
	out := fs.String("out", filepath.Join("internal", "analyze", "langid", "model.bin.gz"), "model file to write")
	all := fs.Bool("all", false, "train on all the data, leaving nothing held out")
	alpha := fs.Float64("alpha", langid.DefaultTrainConfig.Alpha, "additive smoothing")
	minCount := fs.Int("mincount", langid.DefaultTrainConfig.MinCount, "drop features seen fewer times")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	samples, err := langid.ReadLingua(*data)
	if err != nil {
		fmt.Fprintln(stderr, "trainlang:", err)
		return 2
	}
	train, heldOut := langid.Split(samples)
	if *all {
		train, heldOut = samples, nil
	}
	m, err := langid.Train(train, langid.TrainConfig{Alpha: *alpha, MinCount: *minCount})
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
	fmt.Fprintf(stdout, "trained on %d texts, wrote %s (%d bytes)\n", len(train), *out, buf.Len())
	if len(heldOut) > 0 {
		r := langid.Evaluate(m, heldOut)
		r.Write(stdout)
	}
	return 0
}
