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
	"syscall"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/bluesky"
	"github.com/crisisdesk/crisisdesk/internal/source/feed"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/prometheus/client_golang/prometheus"
)

// cmdListen runs one source and writes what it hears as JSONL posts, so a connector can be tried, or a
// sample of a platform captured for replay, without running the whole system.
func cmdListen(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("crisisdesk listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kind := fs.String("kind", "", "`KIND` of source: bluesky (Jetstream), mastodon (streaming API) or rss (RSS, Atom or JSON Feed)")
	target := fs.String("url", "", "`URL` of the Jetstream subscribe endpoint, the Mastodon streaming endpoint, or the feed")
	maxPosts := fs.Int("max", 0, "stop after `N` posts (0: no limit)")
	duration := fs.Duration("duration", 0, "stop after `D`, such as 30s or 5m (0: until interrupted)")
	interval := fs.Duration("interval", feed.DefaultInterval, "time between polls of a feed")
	dictFile := fs.String("zstd-dictionary", "", "Jetstream's zstd dictionary `FILE`; with it, bluesky asks for compressed messages")
	logLevel := fs.String("log-level", "warn", "debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: crisisdesk listen --kind bluesky|mastodon|rss --url URL [--max N] [--duration D] > posts.jsonl")
		fmt.Fprintln(stderr, "\nA Mastodon access token, if the instance needs one, is read from CRISISDESK_MASTODON_TOKEN or the file named by CRISISDESK_MASTODON_TOKEN_FILE.")
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
	case *kind == "x":
		return usageError("--kind x is not supported yet: the X API needs credentials and a paid plan; use bluesky, mastodon or rss")
	case *target == "":
		return usageError("--url is required")
	case *maxPosts < 0:
		return usageError("--max must not be negative")
	case *duration < 0:
		return usageError("--duration must not be negative")
	}
	logger, err := newLogger(config{LogLevel: *logLevel, LogFormat: "text"}, stderr)
	if err != nil {
		return usageError("%v", err)
	}
	env := newEnviron(os.Getenv)
	token := env.get("MASTODON_TOKEN")
	if env.err != nil {
		return usageError("%v", env.err)
	}
	// listen serves no metrics endpoint; a private registry keeps the sources' wiring the same as in serve.
	metrics, err := source.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		return usageError("%v", err)
	}

	var src source.Source
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
	default:
		return usageError("--kind %q: want bluesky, mastodon or rss", *kind)
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
