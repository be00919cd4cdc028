package main

import (
	"bufio"
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
	out := bufio.NewWriterSize(stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false) // post text in evidence stays readable: & and < are not HTML here
	rd := post.NewReader(stdin)
	code := exitOK
	for {
		p, err := rd.Next()
		if err == io.EOF {
			break
		}
		var bad *post.InputError
		if errors.As(err, &bad) {
			fmt.Fprintln(stderr, bad.Error())
			code = exitFindings
			continue
		}
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "crisisdesk analyze: read: %v\n", err)
			return exitUsage
		}
		if err := enc.Encode(a.Annotate(p)); err != nil {
			fmt.Fprintf(stderr, "crisisdesk analyze: write: %v\n", err)
			return exitUsage
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "crisisdesk analyze: write: %v\n", err)
		return exitUsage
	}
	return code
}
