package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/clock"
)

// cmdUser manages accounts from the command line, so scripts can set up an instance without a browser.
func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		fmt.Fprintln(stderr, "usage: crisisdesk user add --email E --role admin|responder|viewer   (password on stdin)\n       crisisdesk user list")
		return exitUsage
	}
	sub := args[0]
	c := newCLI("user "+sub, stderr)
	email := c.fs.String("email", "", "e-mail address (user add)")
	role := c.fs.String("role", "viewer", "admin, responder or viewer (user add)")
	if ok, code := c.parse(args[1:]); !ok {
		return code
	}
	ctx := context.Background()
	st, err := openStore(ctx, c.cfg, c.logger)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()
	svc := auth.New(st, clock.Real{}, auth.Config{Logger: c.logger})

	if sub == "list" {
		users, err := svc.Users(ctx)
		if err != nil {
			return c.fail(err)
		}
		enc := json.NewEncoder(stdout)
		for _, u := range users {
			if err := enc.Encode(map[string]any{"id": u.ID, "email": u.Email, "role": u.Role, "disabled": u.Disabled, "created_at": u.CreatedAt}); err != nil {
				return c.fail(err)
			}
		}
		return exitOK
	}

	r, err := auth.ParseRole(*role)
	if err != nil {
		return c.fail(err)
	}
	if *email == "" {
		return c.fail(errors.New("--email is required"))
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return c.fail(fmt.Errorf("read password from stdin: %w", err))
	}
	u, err := svc.CreateUser(ctx, *email, strings.TrimRight(password, "\r\n"), r)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(stderr, "created %s (%s)\n", u.Email, u.Role)
	return exitOK
}

// cmdToken creates API tokens. The token is printed once; only its hash is stored.
func cmdToken(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: crisisdesk token create --email E [--name N]")
		return exitUsage
	}
	c := newCLI("token create", stderr)
	email := c.fs.String("email", "", "the user the token acts as")
	name := c.fs.String("name", "cli", "a name that tells what the token is for")
	if ok, code := c.parse(args[1:]); !ok {
		return code
	}
	if *email == "" {
		return c.fail(errors.New("--email is required"))
	}
	ctx := context.Background()
	st, err := openStore(ctx, c.cfg, c.logger)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()
	svc := auth.New(st, clock.Real{}, auth.Config{Logger: c.logger})
	token, err := svc.CreateAPIToken(ctx, *email, *name)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(stdout, token)
	return exitOK
}
