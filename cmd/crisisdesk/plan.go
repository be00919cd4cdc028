package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

const planUsage = `usage: crisisdesk plan export [flags] [FILE|-]
       crisisdesk plan import [flags] FILE.yaml|-
       crisisdesk plan check [flags] FILE.yaml|-

export writes the stored crisis plan as YAML (to stdout without FILE or with -). When no plan is stored
yet it writes the default plan, a starting point to edit.

import validates FILE and stores it as the newest plan version, exactly as written, comments included.
It is all or nothing: when the plan has any problem, every problem is printed on stderr as
FILE:LINE:COL: path: message, nothing is stored, and the exit code is 2, because a plan that does not
validate is an input the command refuses, like a bad flag, not a finding to act on.
On success it writes {"version":N,"author":…,"created_at":…} to stdout.

A plan with a sources list is the whole list of listening sources: import creates, updates and
deletes sources to match it, keeping the tokens entered in the web app (the plan never holds one), and
reports what it did under "sources" on stdout; a running serve follows within 30 seconds. The changes
are stored in one transaction: all of them or none. A source the plan omits while it holds a token is
not deleted: import refuses the plan and names the source, unless --delete-sources is given. A plan
without a sources key leaves the sources alone. export writes the sources as they are configured now.

check validates FILE like import and stores nothing. The exit codes are the same.

Messages are in English or, with --lang nl, in Dutch.`

// cmdPlan handles the crisis plan as code: export, import and check.
func cmdPlan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "export" && args[0] != "import" && args[0] != "check" {
		fmt.Fprintln(stderr, planUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return exitOK
		}
		return exitUsage
	}
	sub := args[0]
	c := newCLI("plan "+sub, stderr)
	lang := c.fs.String("lang", or(c.env.get("LANG"), "en"), "language of messages: nl or en (CRISISDESK_LANG)")
	author := c.fs.String("author", "cli", "who is recorded as the author of an imported version (import)")
	deleteSources := c.fs.Bool("delete-sources", false, "delete sources the plan omits even when they hold a stored token (import)")
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, planUsage+"\n\nflags:")
		c.fs.PrintDefaults()
	}
	if ok, code := c.parse(args[1:]); !ok {
		return code
	}
	if *lang != "nl" && *lang != "en" || c.fs.NArg() > 1 || sub != "export" && c.fs.NArg() != 1 {
		c.fs.Usage()
		return exitUsage
	}
	name := c.fs.Arg(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if sub == "export" {
		return planExport(ctx, c, name, stdout)
	}
	src, err := readPlanFile(name, stdin)
	if err != nil {
		return c.fail(err)
	}
	if name == "" || name == "-" {
		name = "-"
	}
	if sub == "check" {
		if _, err := plan.Parse(src); err != nil {
			return planFail(c, name, err, *lang)
		}
		return exitOK
	}
	st, err := openStore(ctx, c.cfg, c.logger)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()
	// A plan that lists sources is checked against the configured ones before anything is stored
	// (plan_sources.go).
	parsed, err := plan.Parse(src)
	if err != nil {
		return planFail(c, name, err, *lang)
	}
	var mgr *supervisor.Manager
	if parsed.Sources != nil {
		if mgr, err = sourceManager(c, st); err != nil {
			return c.fail(err)
		}
		if !checkPlanSources(ctx, c, mgr, name, parsed, supervisor.ApplyOptions{DeleteWithCredentials: *deleteSources}, *lang) {
			return exitUsage
		}
	}
	now := clock.Real{}.Now()
	_, version, err := plan.Save(ctx, st, src, *author, now)
	if err != nil {
		return planFail(c, name, err, *lang)
	}
	applied, err := applyPlanSources(ctx, mgr, parsed, supervisor.ApplyOptions{DeleteWithCredentials: *deleteSources})
	if err != nil {
		return c.fail(err)
	}
	c.logger.InfoContext(ctx, "plan stored", "version", version, "author", *author)
	out := struct {
		Version   int64        `json:"version"`
		Author    string       `json:"author"`
		CreatedAt time.Time    `json:"created_at"`
		Sources   *planSources `json:"sources,omitempty"`
	}{version, *author, now.UTC(), applied}
	if err := json.NewEncoder(stdout).Encode(out); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// planFail reports a refused plan, one line per problem, or any other error.
func planFail(c *cli, name string, err error, lang string) int {
	var errs plan.Errors
	if !errors.As(err, &errs) {
		return c.fail(err)
	}
	for _, e := range errs {
		fmt.Fprintln(c.stderr, planErrorLine(name, e, lang))
	}
	return exitUsage
}

// planErrorLine is one problem as compilers print them, so that editors can jump to it.
func planErrorLine(file string, e *plan.Error, lang string) string {
	msg := e.Message(lang)
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", file, e.Line, e.Column, msg)
	}
	return fmt.Sprintf("%s: %s", file, msg)
}

func readPlanFile(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	// Read one byte past the limit, so that Parse sees an oversized plan and says so.
	b, err := io.ReadAll(io.LimitReader(r, plan.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read plan %s: %w", name, err)
	}
	return b, nil
}

func planExport(ctx context.Context, c *cli, name string, stdout io.Writer) int {
	st, err := openStore(ctx, c.cfg, c.logger)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()
	var out []byte
	latest, err := st.LatestPlan(ctx)
	switch {
	case err == nil:
		out = []byte(latest.YAML)
	case errors.Is(err, store.ErrNotFound):
		p, err := plan.Default()
		if err != nil {
			return c.fail(err)
		}
		if out, err = plan.Encode(p); err != nil {
			return c.fail(err)
		}
	default:
		return c.fail(err)
	}
	// The sources as configured now, whatever the stored plan said (plan_sources.go).
	if out, err = exportSources(ctx, st, out); err != nil {
		return c.fail(err)
	}
	if name == "" || name == "-" {
		if _, err := stdout.Write(out); err != nil {
			return c.fail(err)
		}
		return exitOK
	}
	if err := os.WriteFile(name, out, 0o644); err != nil {
		return c.fail(fmt.Errorf("export plan: %w", err))
	}
	return exitOK
}
