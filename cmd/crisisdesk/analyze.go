package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/post"
)

// cmdAnalyze reads JSONL posts and writes one annotation line per post: language, sentiment,
// complaint and crisis categories, with the evidence for each category.
func cmdAnalyze(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk analyze < posts.jsonl > annotations.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crisisdesk analyze: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	a, err := analyze.New()
	if err != nil {
		fmt.Fprintf(stderr, "crisisdesk analyze: %v\n", err)
		return exitUsage
	}
	return filter("analyze", stdin, stdout, stderr, func(p *post.Post, enc *json.Encoder) error {
		return enc.Encode(a.Annotate(*p))
	})
}
