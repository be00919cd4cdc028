package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// maxDraft bounds what lint reads from stdin: a press release is a few pages, not megabytes.
const maxDraft = 1 << 20

// cmdLint checks one draft statement, read from stdin, against the do's and don'ts and the platform's
// length, and writes one JSON object. It exits 1 when a finding is an error.
func cmdLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCLI("lint", stderr)
	platform := c.fs.String("platform", "", "platform `P` the draft is for: x, bluesky, mastodon, threads, linkedin, facebook, instagram, email or press")
	lang := c.fs.String("lang", "", "language of the draft: nl or en")
	form := c.fs.String("form", "", "Dutch form of address the plan chooses: u or jij (default: only mixing the two is a finding)")
	preventable := c.fs.Bool("preventable", false, "the incident is classified as preventable, so the statement must apologise")
	rulesFile := c.fs.String("rules", "", "YAML `FILE` with the plan's conduct rules: forbidden and jargon ([{word, instead}]), form, acronyms")
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk lint --platform P --lang nl|en [--form u|jij] [--preventable] [--rules FILE] < draft.txt")
		c.fs.PrintDefaults()
	}
	if ok, code := c.parse(args); !ok {
		return code
	}
	if c.fs.NArg() > 0 || *platform == "" || *lang == "" {
		c.fs.Usage()
		return exitUsage
	}
	p, err := respond.ParsePlatform(*platform)
	if err != nil {
		return c.fail(err)
	}
	l, err := respond.ParseLang(*lang)
	if err != nil {
		return c.fail(err)
	}
	f, err := respond.ParseForm(*form)
	if err != nil {
		return c.fail(err)
	}
	var rules respond.Rules
	if *rulesFile != "" {
		if rules, err = loadLintRules(*rulesFile); err != nil {
			return c.fail(err)
		}
	}
	linter, err := respond.NewLinter(rules)
	if err != nil {
		return c.fail(err)
	}
	b, err := io.ReadAll(io.LimitReader(stdin, maxDraft+1))
	if err != nil {
		return c.fail(fmt.Errorf("lint: read draft: %w", err))
	}
	if len(b) > maxDraft {
		return c.fail(fmt.Errorf("lint: draft is longer than %d bytes", maxDraft))
	}
	// The newline that ends the last line of a file or an echo is not part of the statement. Cutting it
	// off the end keeps every span valid for the bytes that were read.
	draft := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	res := linter.Lint(draft, respond.Options{Platform: p, Lang: l, Form: f, Preventable: *preventable})
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		return c.fail(fmt.Errorf("lint: write result: %w", err))
	}
	if !res.OK {
		return exitFindings
	}
	return exitOK
}

func loadLintRules(path string) (respond.Rules, error) {
	var r respond.Rules
	b, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("lint: rules: %w", err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil && err != io.EOF {
		return r, fmt.Errorf("lint: rules %s: %w", path, err)
	}
	return r, nil
}
