// Command crisisdesk runs the crisis communication desk and its command-line tools. This is the only
// place where components are wired together.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// Exit codes, as DESIGN.md promises them.
const (
	exitOK       = 0
	exitFindings = 1 // findings, or some bad input lines
	exitUsage    = 2 // usage or fatal error
)

// command is one subcommand. run gets the arguments after the subcommand's name.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands lists every subcommand. Each lives in a file of its own named after it.
func commands() map[string]command {
	return map[string]command{
		"version": {"print the version", cmdVersion},
		"listen":  {"run one source (bluesky, mastodon, rss, x) and write its posts as JSONL", cmdListen},
		"match":   {"match JSONL posts against monitor queries", cmdMatch},
		"replay":  {"replay JSONL posts in simulated time and write the alerts they raise", cmdReplay},
		"analyze": {"annotate JSONL posts with language, sentiment, complaint and crisis categories", cmdAnalyze},
		"eval":    {"score text analysis against the public labelled data", cmdEval},
		"serve":   {"run the web app and API", cmdServe},
		"import":  {"analyse, match and store JSONL posts from a file or stdin", cmdImport},
		"user":    {"add or list users", cmdUser},
		"token":   {"create an API token", cmdToken},
		"lint":    {"check a draft statement against the do's and don'ts and the platform's length", cmdLint},
		"plan":    {"export, import or check the crisis plan as YAML", cmdPlan},
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "crisisdesk: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return exitUsage
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: crisisdesk <command> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun crisisdesk <command> -h for the flags of one command.\n")
	io.WriteString(w, b.String())
}

func cmdVersion(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "crisisdesk %s\n", version)
	return exitOK
}
