package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// config is every setting of crisisdesk. Flags override CRISISDESK_* environment variables, which
// override the defaults; secrets may also come from a file named by the *_FILE variant.
type config struct {
	Data          string // directory for the embedded database and other state
	DB            string // database DSN: a postgres:// URL, or a SQLite file path (default DATA/crisisdesk.db)
	Addr          string
	BaseURL       string
	AdminEmail    string
	AdminPassword string
	SecureCookies bool
	TrustProxy    bool
	Lang          string // default UI language
	TimeZone      string
	LogLevel      string
	LogFormat     string
	// LegalApproval is the least severe incident severity whose statements need a legal approval
	// (2: severities 1 and 2); 0 needs none.
	LegalApproval int
	// SourcesAllowPrivate lets sources reach private, loopback and link-local addresses
	// (CRISISDESK_SOURCES_ALLOW_PRIVATE); off, they may reach public addresses only.
	SourcesAllowPrivate bool
	// BlueskyAppView is where Bluesky authors' handles and follower counts are looked up
	// (CRISISDESK_BLUESKY_APPVIEW); empty means the public AppView, "off" looks nothing up.
	BlueskyAppView string
	// NATS, when set, scales serve out over NATS JetStream (wire_bus.go); Bus tunes it.
	NATS string
	Bus  busConfig
}

// environ reads CRISISDESK_<name>, or the file named by CRISISDESK_<name>_FILE. A secret file that
// cannot be read must not silently fall back to the default, so the first such error is kept and
// reported by the command before it does anything.
type environ struct {
	lookup func(string) string
	err    error
}

func newEnviron(lookup func(string) string) *environ { return &environ{lookup: lookup} }

func (e *environ) get(name string) string {
	if v := e.lookup("CRISISDESK_" + name); v != "" {
		return v
	}
	f := e.lookup("CRISISDESK_" + name + "_FILE")
	if f == "" {
		return ""
	}
	b, err := os.ReadFile(f)
	if err != nil {
		if e.err == nil {
			e.err = fmt.Errorf("CRISISDESK_%s_FILE: %w", name, err)
		}
		return ""
	}
	return strings.TrimRight(string(b), "\r\n")
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// cli holds what every subcommand shares: the configuration, its flag set, and stderr.
type cli struct {
	cfg    config
	env    *environ
	fs     *flag.FlagSet
	stderr io.Writer
	logger *slog.Logger
}

// newCLI returns a subcommand's flag set with the flags every subcommand shares. The command adds its
// own flags to c.fs before calling parse.
func newCLI(name string, stderr io.Writer) *cli {
	c := &cli{env: newEnviron(os.Getenv), stderr: stderr}
	fs := flag.NewFlagSet("crisisdesk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.cfg.Data, "data", or(c.env.get("DATA"), "crisisdesk-data"), "data directory (CRISISDESK_DATA)")
	fs.StringVar(&c.cfg.DB, "db", c.env.get("DB"), "database: postgres://… or a SQLite file path; default DATA/crisisdesk.db (CRISISDESK_DB, CRISISDESK_DB_FILE)")
	fs.StringVar(&c.cfg.LogLevel, "log-level", or(c.env.get("LOG_LEVEL"), "info"), "debug, info, warn or error (CRISISDESK_LOG_LEVEL)")
	fs.StringVar(&c.cfg.LogFormat, "log-format", or(c.env.get("LOG_FORMAT"), "text"), "text or json (CRISISDESK_LOG_FORMAT)")
	c.fs = fs
	return c
}

// parse parses args, checks the environment and makes the logger. When ok is false the command
// returns code at once.
func (c *cli) parse(args []string) (ok bool, code int) {
	if err := c.fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return false, exitOK
		}
		return false, exitUsage
	}
	if c.env.err != nil {
		return false, c.fail(c.env.err)
	}
	logger, err := newLogger(c.cfg, c.stderr)
	if err != nil {
		return false, c.fail(err)
	}
	c.logger = logger
	return true, exitOK
}

// fail reports a fatal error and returns the exit code for it.
func (c *cli) fail(err error) int {
	fmt.Fprintln(c.stderr, "crisisdesk:", err)
	return exitUsage
}

func newLogger(cfg config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", cfg.LogFormat)
}

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, fmt.Errorf("CRISISDESK_%s=%q: want true or false", name, v)
}
