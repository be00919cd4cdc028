package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
)

// cmdEval scores text analysis against the public labelled data and prints the tables that
// docs/ACCURACY.md records. With -fit it instead refits the shipped weights from the training splits,
// and with -tune it prints the cross-validated comparisons the training configuration was chosen by.
func cmdEval(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/data", "directory of the public evaluation data")
	fit := fs.Bool("fit", false, "refit the logistic layers from the training splits and write them to -weights")
	weights := fs.String("weights", "internal/analyze/lexicon/weights", "where -fit writes the weight files")
	tune := fs.Bool("tune", false, "print cross-validated figures of candidate training configurations")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk eval [--data DIR] [-fit [-weights DIR] | -tune]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 || (*fit && *tune) {
		fs.Usage()
		return exitUsage
	}
	var err error
	switch {
	case *fit:
		err = analyze.Train(*data, *weights, analyze.DefaultTrainConfig())
		if err == nil {
			fmt.Fprintf(stdout, "wrote weights to %s\n", *weights)
		}
	case *tune:
		err = analyze.Tune(*data, stdout)
	default:
		var rep *analyze.EvalReport
		if rep, err = analyze.Evaluate(*data); err == nil {
			err = rep.WriteMarkdown(stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "crisisdesk eval: %v\n", err)
		if errors.Is(err, analyze.ErrNoData) {
			fmt.Fprintln(stderr, "crisisdesk eval: point --data at the public data directory")
		}
		return exitUsage
	}
	return exitOK
}
