// Command detecteval runs every detection scenario through the replay pipeline and prints the table
// that docs/DETECTION.md records: time to detect per crisis, missed crises, and false alerts per
// monitor-week of normal traffic. It is a measuring tool, not part of the product.
//
//	go run ./internal/scenario/cmd/detecteval -data ../shared/data
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/scenario"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("detecteval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/data", "`DIR` of the public data sets (for the CrisisLexT26 curves)")
	seed := fs.Uint64("seed", 1, "first seed of the generated scenarios")
	seeds := fs.Int("seeds", 5, "runs per generated scenario, with seeds seed, seed+1, …")
	weeks := fs.Int("weeks", 5, "weeks of normal traffic, the first of which is warm-up")
	verbose := fs.Bool("v", false, "also print every alert event")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	an, err := analyze.New()
	if err != nil {
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	ctx := context.Background()
	runOne := func(s *scenario.Scenario) (scenario.Result, error) {
		r, err := scenario.Run(ctx, s, an, detect.DefaultConfig(), alert.DefaultConfig(), logger)
		if err != nil {
			return r, err
		}
		if *verbose {
			for _, e := range r.Events {
				if e.Status == alert.Firing {
					fmt.Fprintf(stdout, "%s %s %s %s %s %s\n", s.Name, e.At.Format(time.RFC3339), e.Monitor, e.Kind, e.Severity, e.Summary)
				}
			}
		}
		return r, nil
	}
	// Generated scenarios run once per seed; each seed is a different draw of the same story.
	var generated []scenario.Row
	names := append([]string{"normal"}, scenario.Crises()...)
	for _, name := range names {
		row := scenario.Row{Scenario: name}
		for i := range *seeds {
			cfg := scenario.DefaultConfig()
			cfg.Seed = *seed + uint64(i)
			var s *scenario.Scenario
			if name == "normal" {
				s = scenario.Normal(cfg, *weeks)
			} else if s, err = scenario.Generate(name, cfg); err != nil {
				fmt.Fprintln(stderr, "detecteval:", err)
				return 2
			}
			r, err := runOne(s)
			if err != nil {
				fmt.Fprintln(stderr, "detecteval:", err)
				return 2
			}
			row.Runs = append(row.Runs, r)
		}
		generated = append(generated, row)
	}
	if err := scenario.Table(stdout, "Generated scenarios", generated); err != nil {
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	cl, err := scenario.LoadCrisisLex(*data, 6*time.Hour)
	switch {
	case errors.Is(err, scenario.ErrNoData):
		fmt.Fprintln(stderr, "detecteval: CrisisLexT26 not found, skipping its curves:", err)
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	var real []scenario.Row
	for _, s := range cl {
		r, err := runOne(s)
		if err != nil {
			fmt.Fprintln(stderr, "detecteval:", err)
			return 2
		}
		real = append(real, scenario.Row{Scenario: s.Name, Runs: []scenario.Result{r}})
	}
	if err := scenario.Table(stdout, "CrisisLexT26 volume curves", real); err != nil {
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	return 0
}
