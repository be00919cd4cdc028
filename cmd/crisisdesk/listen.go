package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/bluesky"
	"github.com/crisisdesk/crisisdesk/internal/source/feed"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/source/x"
	"github.com/prometheus/client_golang/prometheus"
)

// cmdListen runs one source and writes what it hears as JSONL posts, so a connector can be tried, or a
// sample of a platform captured for replay, without running the whole system.
func cmdListen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crisisdesk listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kind := fs.String("kind", "", "`KIND` of source: bluesky (Jetstream), mastodon (streaming API), rss (RSS, Atom or JSON Feed) or x (X API v2 filtered stream)")
	target := fs.String("url", "", "`URL` of the Jetstream subscribe endpoint, the Mastodon streaming endpoint, the feed, or the X API (default "+x.DefaultBaseURL+" for x)")
	tokenFile := fs.String("token-file", "", "read the Mastodon access token or the X bearer token from `FILE` instead of the environment")
	maxPosts := fs.Int("max", 0, "stop after `N` posts (0: no limit)")
	duration := fs.Duration("duration", 0, "stop after `D`, such as 30s or 5m (0: until interrupted)")
	interval := fs.Duration("interval", feed.DefaultInterval, "time between polls of a feed")
	dictFile := fs.String("zstd-dictionary", "", "Jetstream's zstd dictionary `FILE`; with it, bluesky asks for compressed messages")
	monitorsFile := fs.String("monitors", "", "x only: make the filtered stream's rules those of the monitors in `FILE` (JSONL {\"id\",\"query\"}) before listening")
	dryRun := fs.Bool("dry-run", false, "x only, with --monitors: let X check the rule changes, report them, and stop")
	maxRule := fs.Int("max-rule-length", x.DefaultMaxRuleLength, "x only: the longest rule the X plan allows")
	lang := fs.String("lang", "en", "language of the messages about monitors X cannot express: en or nl")
	logLevel := fs.String("log-level", "warn", "debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk listen --kind bluesky|mastodon|rss|x --url URL [--token-file F] [--max N] [--duration D] > posts.jsonl")
		fmt.Fprintln(stderr, "\nA Mastodon access token, if the instance needs one, is read from CRISISDESK_MASTODON_TOKEN or the file named by CRISISDESK_MASTODON_TOKEN_FILE.")
		fmt.Fprintln(stderr, "The X bearer token is read from CRISISDESK_X_BEARER_TOKEN or the file named by CRISISDESK_X_BEARER_TOKEN_FILE; x listens with the rules the stream already has.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usageError := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "crisisdesk listen: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected argument %q", fs.Arg(0))
	case *kind == "":
		fs.Usage()
		return exitUsage
	case *target == "" && *kind == "x":
		*target = x.DefaultBaseURL
	case *target == "":
		return usageError("--url is required")
	case *maxPosts < 0:
		return usageError("--max must not be negative")
	case *duration < 0:
		return usageError("--duration must not be negative")
	case (*monitorsFile != "" || *dryRun) && *kind != "x":
		return usageError("--monitors and --dry-run apply to --kind x only")
	case *dryRun && *monitorsFile == "":
		return usageError("--dry-run needs --monitors")
	case *lang != "en" && *lang != "nl":
		return usageError("--lang %q: want en or nl", *lang)
	}
	logger, err := newLogger(config{LogLevel: *logLevel, LogFormat: "text"}, stderr)
	if err != nil {
		return usageError("%v", err)
	}
	env := newEnviron(os.Getenv)
	token := env.get("MASTODON_TOKEN")
	xToken := env.get("X_BEARER_TOKEN")
	if env.err != nil {
		return usageError("%v", env.err)
	}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return usageError("--token-file: %v", err)
		}
		token = strings.TrimSpace(string(b))
		xToken = token
	}
	// listen serves no metrics endpoint; a private registry keeps the sources' wiring the same as in serve.
	metrics, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		return usageError("%v", err)
	}

	var src source.Source
	var xClient *x.Client
	switch *kind {
	case "bluesky":
		var dict []byte
		if *dictFile != "" {
			if dict, err = os.ReadFile(*dictFile); err != nil {
				return usageError("--zstd-dictionary: %v", err)
			}
		}
		src, err = bluesky.New(bluesky.Config{URL: *target, ZstdDictionary: dict, Logger: logger, Metrics: metrics})
	case "mastodon":
		src, err = mastodon.New(mastodon.Config{URL: *target, Token: token, Logger: logger, Metrics: metrics})
	case "rss":
		src, err = feed.New(feed.Config{URL: *target, Interval: *interval, Logger: logger, Metrics: metrics})
	case "x":
		if xToken == "" {
			return usageError("--kind x needs a bearer token: set CRISISDESK_X_BEARER_TOKEN or CRISISDESK_X_BEARER_TOKEN_FILE, or use --token-file")
		}
		// The stream endpoint's own URL is accepted too, since that is what X's documentation shows.
		base := strings.TrimSuffix(strings.TrimSuffix(*target, "/"), x.StreamPath)
		if xClient, err = x.NewClient(x.ClientConfig{BaseURL: base, Token: xToken}); err == nil {
			src, err = x.New(x.Config{Client: xClient, Logger: logger, Metrics: metrics})
		}
	default:
		return usageError("--kind %q: want bluesky, mastodon, rss or x", *kind)
	}
	if err != nil {
		return usageError("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	if *monitorsFile != "" {
		refused, err := syncXRules(ctx, xClient, *monitorsFile, *maxRule, *dryRun, *lang, stderr)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "crisisdesk listen: %v\n", err)
			return exitUsage
		case *dryRun && refused > 0:
			return exitFindings
		case *dryRun:
			return exitOK
		}
	}

	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	n := 0
	err = src.Run(ctx, func(ctx context.Context, p post.Post) error {
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		// One line at a time, so a pipe sees each post as it arrives.
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		n++
		if *maxPosts > 0 && n >= *maxPosts {
			cancel()
		}
		return nil
	})
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "crisisdesk listen: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// syncXRules makes the filtered stream's rules those of the monitors in path, reporting on stderr each
// monitor X cannot express (in lang) and what changed. It returns how many monitors were left out.
func syncXRules(ctx context.Context, c *x.Client, path string, maxLen int, dryRun bool, lang string, stderr io.Writer) (int, error) {
	ms, err := readMonitors(path)
	if err != nil {
		return 0, err
	}
	rules, refused := x.RulesFromMonitors(ms, maxLen)
	for _, m := range ms {
		if te, ok := refused[m.ID]; ok {
			fmt.Fprintf(stderr, "%s: monitor %q: %s\n", path, m.ID, te.Message(lang))
		}
	}
	res, err := c.SyncRules(ctx, rules, dryRun)
	if err != nil {
		return len(refused), fmt.Errorf("sync X rules: %w", err)
	}
	note := ""
	if dryRun {
		note = " (dry run: nothing changed)"
	}
	fmt.Fprintf(stderr, "X rules: %d added, %d deleted, %d kept%s\n", len(res.Added), len(res.Deleted), len(res.Kept), note)
	return len(refused), nil
}
