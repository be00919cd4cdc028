package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/detect"
	"github.com/crisisdesk/crisisdesk/internal/detect/pipeline"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// cmdReplay runs posts through analysis, matching, detection and alerting in simulated time, driven by
// the posts' created_at, and writes each alert event as a JSON line.
func cmdReplay(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCLI("replay", stderr)
	monitors := c.fs.String("monitors", "", "JSONL `FILE` of monitors, one {\"id\":…,\"query\":…} per line")
	lang := c.fs.String("lang", "en", "language of alert summaries: en or nl")
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk replay --monitors FILE [--lang en|nl] < posts.jsonl > alerts.jsonl")
		c.fs.PrintDefaults()
	}
	if ok, code := c.parse(args); !ok {
		return code
	}
	if *monitors == "" || c.fs.NArg() > 0 {
		c.fs.Usage()
		return exitUsage
	}
	m, err := loadMonitors(*monitors)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	an, err := analyze.New()
	if err != nil {
		return c.fail(fmt.Errorf("replay: %w", err))
	}
	// The simulated clock starts at the zero time and jumps to the first post's created_at.
	sim := clock.NewSim(time.Time{})
	det, err := detect.New(detect.DefaultConfig(), sim, c.logger, nil)
	if err != nil {
		return c.fail(err)
	}
	acfg := alert.DefaultConfig()
	acfg.Lang = *lang
	am, err := alert.New(acfg, sim, c.logger, nil)
	if err != nil {
		return c.fail(err)
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	nbad, err := pipeline.Replay(context.Background(), stdin, sim, pipeline.New(an, m, det, am),
		func(e alert.Event) error { return enc.Encode(e) },
		func(ie *post.InputError) { fmt.Fprintln(stderr, ie.Error()) })
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("replay: write: %w", ferr)
	}
	if err != nil {
		return c.fail(err)
	}
	if nbad > 0 {
		return exitFindings
	}
	return exitOK
}
