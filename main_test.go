package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"pchat-hadr/generator/cli"
)

// TestMain lets the CLI scripts run "pchat-hadr" as a real process built
// from this test binary, so exit codes and output streams are tested as a
// user sees them.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pchat-hadr": func() { os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr)) },
		"exits":      exits,
	})
}

// exits runs "exits CODE COMMAND ARGS...": it runs the command with the
// script's streams and succeeds only if the command exits with CODE.
// testscript's "! exec" accepts any non-zero code; exit codes are part of
// pchat-hadr's contract (1 for check differences, 2 for bad input).
func exits() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: exits CODE COMMAND [ARGS...]")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "exits: bad code:", err)
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "exits:", err)
		os.Exit(2)
	}
	if got != want {
		fmt.Fprintf(os.Stderr, "exits: %s exited with %d, want %d\n", os.Args[2], got, want)
		os.Exit(1)
	}
}

// TestCLI runs the scripts in testdata/script: one file per behaviour of
// the command line.
func TestCLI(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
