// Package cli is pchat-hadr's command line: a thin layer over urfave/cli
// that maps every outcome to an exit code and prints to the writers it is
// given, so that tests can run it in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitChanged  = 1 // check found differences
	ExitBadInput = 2 // bad site file, bad usage, or refused to write
)

// exitError carries an exit code and a message already formatted for stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func fail(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// Main runs pchat-hadr with args (args[0] is the program name) and returns
// the exit code. It never calls os.Exit.
func Main(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	unknown := false
	app.CommandNotFound = func(_ *ucli.Context, name string) {
		fmt.Fprintf(stderr, "pchat-hadr: unknown command %q; see pchat-hadr --help\n", name)
		unknown = true
	}
	err := app.Run(args)
	if err == nil && unknown {
		return ExitBadInput
	}
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, strings.TrimRight(ee.msg, "\n"))
		}
		return ee.code
	}
	// Anything else comes from urfave/cli itself: usage errors.
	fmt.Fprintf(stderr, "pchat-hadr: %v\n", err)
	return ExitBadInput
}

func newApp(stdout, stderr io.Writer) *ucli.App {
	return &ucli.App{
		Name:      "pchat-hadr",
		Usage:     "render T-SQL, PowerShell and runbooks for Persistent Chat HA/DR from a TOML site file",
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed and mapped to exit codes by Main alone.
		ExitErrHandler:       func(*ucli.Context, error) {},
		HideHelpCommand:      true,
		EnableBashCompletion: true,
		Commands: []*ucli.Command{
			generateCommand(),
			validateCommand(),
			checkCommand(),
			showCommand(),
			planCommand(),
			collectorCommand(),
			importCommand(),
			driftCommand(),
			completionCommand(),
			templatesCommand(),
			exampleCommand(),
			schemaCommand(),
			versionCommand(),
		},
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return fail(ExitBadInput, "pchat-hadr: %v", err)
		},
	}
}

// siteArgs returns the positional arguments, refusing any that look like
// flags: urfave/cli stops parsing flags at the first positional argument,
// so "generate site.toml --out x" would otherwise ignore --out silently.
func siteArgs(c *ucli.Context, allowNone bool) ([]string, error) {
	args := c.Args().Slice()
	for _, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" {
			return nil, fail(ExitBadInput, "pchat-hadr %s: flag %s comes after a site file; put flags first: pchat-hadr %s [flags] SITE.toml...", c.Command.Name, a, c.Command.Name)
		}
	}
	if len(args) == 0 && !allowNone {
		return nil, fail(ExitBadInput, "pchat-hadr %s: no site file given; usage: pchat-hadr %s [flags] SITE.toml... (or --example)", c.Command.Name, c.Command.Name)
	}
	return args, nil
}
