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

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitChanged  = 1 // check found differences
	ExitBadInput = 2 // bad site file, bad usage, a refusal to write, or an interrupted run
)

// exitError carries an exit code and a message already formatted for
// stderr, and the problems behind it when it reports problems of files.
type exitError struct {
	code  int
	msg   string
	probs diag.List
}

func (e *exitError) Error() string { return e.msg }

func fail(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// failProblems is an exit-2 error listing problems, one a line.
func failProblems(probs diag.List) error {
	return &exitError{code: ExitBadInput, msg: probs.String(), probs: probs}
}

// Main runs pchat-hadr with args (args[0] is the program name) and returns
// the exit code. It never calls os.Exit. With --format json, stdout holds
// exactly one JSON document whatever happens, failures included.
func Main(args []string, stdout, stderr io.Writer) int {
	out := &countingWriter{w: stdout}
	code, msg, probs := outcome(newApp(out, stderr).Run(args))
	if jsonRequested(args) && out.n == 0 && code != ExitOK {
		writeFailureJSON(out, code, msg, probs)
	}
	if msg != "" {
		fmt.Fprintln(stderr, strings.TrimRight(msg, "\n"))
	}
	return code
}

// outcome maps an error to the exit code, the message for stderr and the
// problems behind it.
func outcome(err error) (int, string, diag.List) {
	if err == nil {
		return ExitOK, "", nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, ee.msg, ee.probs
	}
	// Anything else comes from urfave/cli itself: usage errors.
	return ExitBadInput, "pchat-hadr: " + err.Error(), nil
}

// countingWriter counts what a command wrote to stdout, so that Main knows
// whether a JSON document still has to be written.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

func newApp(stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:        "pchat-hadr",
		Usage:       "render T-SQL, PowerShell and runbooks for Persistent Chat HA/DR from a TOML site file",
		UsageText:   "pchat-hadr COMMAND [flags] [arguments]; pchat-hadr help [COMMAND] describes a command",
		Description: jsonOutput + "\n\n" + cacheDoc,
		Writer:      stdout,
		ErrWriter:   stderr,
		// Errors are printed and mapped to exit codes by Main alone.
		ExitErrHandler: func(*ucli.Context, error) {},
		HideVersion:    true, // --version is our own flag, printing what the version command prints
		Flags:          []ucli.Flag{&ucli.BoolFlag{Name: "version", Usage: "print the version of pchat-hadr"}},
		Action: func(c *ucli.Context) error {
			if c.Bool("version") {
				return printVersion(c)
			}
			if c.NArg() > 0 {
				name := c.Args().First()
				return fail(ExitBadInput, "pchat-hadr: unknown command %q%s; see pchat-hadr help", name, suggestCommand(c.App.Commands, name))
			}
			return ucli.ShowAppHelp(c)
		},
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
			completeCommand(),
			templatesCommand(),
			exampleCommand(),
			schemaCommand(),
			versionCommand(),
		},
		OnUsageError: usageError,
	}
	setUp(app.Commands)
	return app
}

// setUp gives every command the same usage-error handling, and hides the
// help subcommand urfave/cli would add to each ("pchat-hadr help COMMAND"
// and --help remain).
func setUp(cmds []*ucli.Command) {
	for _, c := range cmds {
		c.OnUsageError = usageError
		c.HideHelpCommand = true
		setUp(c.Subcommands)
	}
}

// usageError reports a usage error on one line, with a suggestion for a
// mistyped flag, instead of urfave/cli's help text on stdout.
func usageError(c *ucli.Context, err error, _ bool) error {
	name := "pchat-hadr"
	var flags []ucli.Flag
	if c.Command != nil && c.Command.Name != "" {
		name += " " + c.Command.Name
		flags = c.Command.Flags
	} else {
		flags = c.App.Flags
	}
	msg := err.Error()
	if bad, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		if s, ok := site.Nearest(strings.TrimLeft(bad, "-"), names); ok {
			msg += fmt.Sprintf(" (did you mean --%s?)", s)
		}
	}
	return fail(ExitBadInput, "%s: %s; see pchat-hadr help %s", name, msg, strings.TrimPrefix(name, "pchat-hadr "))
}

// suggestCommand proposes the command closest to a mistyped one.
func suggestCommand(cmds []*ucli.Command, name string) string {
	names := []string{"help"}
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Name)
		}
	}
	if s, ok := site.Nearest(name, names); ok {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
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

// noArgs refuses arguments to a command that takes none, rather than
// ignoring them.
func noArgs(c *ucli.Context) error {
	if c.NArg() > 0 {
		return fail(ExitBadInput, "pchat-hadr %s: takes no arguments, got %q", c.Command.FullName(), c.Args().First())
	}
	return nil
}
