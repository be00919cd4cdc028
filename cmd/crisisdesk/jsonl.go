package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/crisisdesk/crisisdesk/internal/post"
)

// filter runs the shape every post-in, JSONL-out command shares: read posts from stdin, report a bad
// line on stderr as "line N: reason" and go on, and give each good post to each. each writes its
// output line with enc. The exit code is exitFindings when a line was bad, exitUsage on a read or
// write error.
func filter(name string, stdin io.Reader, stdout, stderr io.Writer, each func(p *post.Post, enc *json.Encoder) error) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false) // post text stays readable: & and < are not HTML here
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
			fmt.Fprintf(stderr, "crisisdesk %s: read: %v\n", name, err)
			return exitUsage
		}
		if err := each(&p, enc); err != nil {
			fmt.Fprintf(stderr, "crisisdesk %s: write: %v\n", name, err)
			return exitUsage
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "crisisdesk %s: write: %v\n", name, err)
		return exitUsage
	}
	return code
}
