// Command detecteval runs every detection scenario through the replay pipeline and prints the table
// that docs/DETECTION.md records: time to detect per crisis, missed crises, and false alerts per
// monitor-week of normal traffic. It is a measuring tool, not part of the product.
//
//	go run ./internal/scenario/cmd/detecteval -data ../shared/data
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
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
	seeds := fs.Int("seeds", 5, "runs per generated scenario, with seeds seed, seed+1, …; 0 runs only the CrisisLexT26 curves")
	weeks := fs.Int("weeks", 5, "weeks of normal traffic, the first of which is warm-up")
	verbose := fs.Bool("v", false, "also print every new alert")
	write := fs.String("write", "", "also write each generated scenario to `DIR` as NAME-SEED.jsonl (posts), .monitors.jsonl and .label.json, for crisisdesk replay")
	onsetCount := fs.Int("onset-count", scenario.DefaultOnset.Count, "CrisisLexT26 onset: tweets that must follow the onset tweet…")
	onsetSpan := fs.Duration("onset-span", scenario.DefaultOnset.Span, "…within this span")
	onsetRise := fs.Float64("onset-rise", 0, "…and at least this many times as many as in the span before (0: no such condition)")
	events := fs.String("events", "all", "CrisisLexT26 events to run, by their place in name order: all, even (0, 2, 4, …: the tuning half) or odd (the held-out half)")
	var overrides sets
	fs.Var(&overrides, "set", "`NAME=VALUE`: override a numeric or duration threshold of detect.Config (repeatable), e.g. -set WarmupP=1e-5")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dcfg := detect.DefaultConfig()
	if err := overrides.apply(&dcfg); err != nil {
		fmt.Fprintln(stderr, "detecteval:", err)
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
		r, err := scenario.Run(ctx, s, an, dcfg, alert.DefaultConfig(), logger)
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
	if *seeds > 0 {
		if code := runGenerated(*seed, *seeds, *weeks, *write, runOne, stdout, stderr); code != 0 {
			return code
		}
	}
	if *events != "all" && *events != "even" && *events != "odd" {
		fmt.Fprintf(stderr, "detecteval: -events %q: want all, even or odd\n", *events)
		return 2
	}
	rule := scenario.OnsetRule{Count: *onsetCount, Span: *onsetSpan, Rise: *onsetRise}
	cl, err := scenario.LoadCrisisLex(ctx, *data, rule, 6*time.Hour)
	switch {
	case errors.Is(err, scenario.ErrNoData):
		fmt.Fprintln(stderr, "detecteval: CrisisLexT26 not found, skipping its curves:", err)
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	var real []scenario.Row
	for i, s := range cl {
		if *events == "even" && i%2 != 0 || *events == "odd" && i%2 != 1 {
			continue
		}
		r, err := runOne(s)
		if err != nil {
			fmt.Fprintln(stderr, "detecteval:", err)
			return 2
		}
		real = append(real, scenario.Row{Scenario: s.Name, Runs: []scenario.Result{r}})
	}
	title := "CrisisLexT26 volume curves, onset: the first tweet followed by " + rule.String()
	if *events != "all" {
		title += " (" + *events + " events)"
	}
	if err := scenario.Table(stdout, title, real); err != nil {
		fmt.Fprintln(stderr, "detecteval:", err)
		return 2
	}
	return 0
}

// runGenerated runs every generated scenario once per seed and prints their table.
func runGenerated(seed uint64, seeds, weeks int, dir string, runOne func(*scenario.Scenario) (scenario.Result, error), stdout, stderr io.Writer) int {
	// Generated scenarios run once per seed; each seed is a different draw of the same story.
	var generated []scenario.Row
	names := append([]string{"normal"}, scenario.Crises()...)
	for _, name := range names {
		row := scenario.Row{Scenario: name}
		for i := range seeds {
			cfg := scenario.DefaultConfig()
			cfg.Seed = seed + uint64(i)
			var s *scenario.Scenario
			var err error
			if name == "normal" {
				s = scenario.Normal(cfg, weeks)
			} else if s, err = scenario.Generate(name, cfg); err != nil {
				fmt.Fprintln(stderr, "detecteval:", err)
				return 2
			}
			if dir != "" {
				if err := writeScenario(dir, s, cfg.Seed); err != nil {
					fmt.Fprintln(stderr, "detecteval:", err)
					return 2
				}
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
	return 0
}

// writeScenario writes a scenario's posts, monitors and label next to each other.
func writeScenario(dir string, s *scenario.Scenario, seed uint64) error {
	base := filepath.Join(dir, fmt.Sprintf("%s-%d", s.Name, seed))
	for _, f := range []struct {
		path  string
		write func(io.Writer) error
	}{
		{base + ".jsonl", s.WriteJSONL},
		{base + ".monitors.jsonl", s.WriteMonitors},
		{base + ".label.json", func(w io.Writer) error { return json.NewEncoder(w).Encode(s.Label()) }},
	} {
		if err := writeFile(f.path, f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write scenario: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write scenario %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write scenario %s: %w", path, err)
	}
	return nil
}
