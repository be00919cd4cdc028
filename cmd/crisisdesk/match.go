package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
)

// cmdMatch reads JSONL posts and writes, for each, the ids of the monitors whose queries match it.
// Posts are analysed first, so sentiment:, category: and complaint: work as they do in serve.
func cmdMatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	monitors := fs.String("monitors", "", "JSONL `FILE` of monitors, one {\"id\":…,\"query\":…} per line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk match --monitors FILE < posts.jsonl > matches.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *monitors == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	m, err := loadMonitors(*monitors)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	a, err := analyze.New()
	if err != nil {
		fmt.Fprintf(stderr, "crisisdesk match: %v\n", err)
		return exitUsage
	}

	var doc query.Doc
	var ids []string
	return filter("match", stdin, stdout, stderr, func(p *post.Post, enc *json.Encoder) error {
		doc.Reset(p, analysisOf(a.Annotate(*p)))
		ids = m.AppendMatches(ids[:0], &doc)
		line := struct {
			ID       string   `json:"id"`
			Monitors []string `json:"monitors"`
		}{p.ID, ids}
		if line.Monitors == nil {
			line.Monitors = []string{} // the contract says [] when none match, not null
		}
		return enc.Encode(line)
	})
}

// analysisOf copies what queries can test from an annotation.
func analysisOf(an analyze.Annotation) query.Analysis {
	cats := make([]string, len(an.Categories))
	for i, c := range an.Categories {
		cats[i] = string(c)
	}
	return query.Analysis{Lang: an.Lang, Sentiment: an.Sentiment.Label.String(), Complaint: an.Complaint, Categories: cats}
}

// loadMonitors reads and compiles a monitor file. Errors name the file and line; a bad query also
// gives the column within the query and a caret under it.
func loadMonitors(path string) (*query.Matcher, error) {
	ms, err := readMonitors(path)
	if err != nil {
		return nil, err
	}
	m, err := query.Compile(ms)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// readMonitors reads and parses a monitor file, with the errors loadMonitors describes.
func readMonitors(path string) ([]query.Monitor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("crisisdesk match: %w", err)
	}
	var ms []query.Monitor
	seen := map[string]int{}
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var rec struct {
			ID    *string `json:"id"`
			Query *string `json:"query"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: invalid JSON: %v", path, n, err)
		}
		switch {
		case rec.ID == nil || strings.TrimSpace(*rec.ID) == "":
			return nil, fmt.Errorf("%s:%d: id: required", path, n)
		case rec.Query == nil:
			return nil, fmt.Errorf("%s:%d: query: required", path, n)
		}
		if prev, dup := seen[*rec.ID]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate monitor id %q, first on line %d", path, n, *rec.ID, prev)
		}
		seen[*rec.ID] = n
		q, err := query.Parse(*rec.Query)
		if err != nil {
			var qe *query.Error
			if !errors.As(err, &qe) {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			// FILE:LINE:COL, where LINE is the file's and COL the query's; a query that spans lines
			// says which of its lines.
			msg := fmt.Sprintf("%s:%d:%d: %s", path, n, qe.Col, qe.Msg)
			if qe.Line > 1 {
				msg += fmt.Sprintf(" (line %d of the query)", qe.Line)
			}
			caret := qe.Format(*rec.Query)
			if i := strings.IndexByte(caret, '\n'); i >= 0 {
				msg += "\n" + strings.TrimRight(caret[i+1:], "\n")
			}
			return nil, errors.New(msg)
		}
		ms = append(ms, query.Monitor{ID: *rec.ID, Query: q})
	}
	return ms, nil
}
