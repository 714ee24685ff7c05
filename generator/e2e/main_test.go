package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"pchat-hadr/generator/cache"
	"pchat-hadr/generator/cli"
)

// Package e2e holds the end-to-end tests: the golden corpus, the CLI
// scripts and the checks over every generated file. They run from the
// repository root, so that fixture paths in messages read as a user at the
// root would type them; pkgDir is this package's own folder, where its
// testdata lives.
var pkgDir string

// fromRoot runs the tests with the repository root as working directory.
type fromRoot struct{ m *testing.M }

func (r fromRoot) Run() int {
	// The tests that run the CLI in this process share one cache, kept
	// apart from the user's own.
	tmp, err := os.MkdirTemp("", "pchat-hadr-e2e-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 2
	}
	defer os.RemoveAll(tmp)
	os.Setenv(cache.Env, tmp)
	dir, err := os.Getwd()
	if err == nil {
		pkgDir = dir
		err = os.Chdir(filepath.Join("..", ".."))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 2
	}
	return r.m.Run()
}

// TestMain lets the CLI scripts run "pchat-hadr" as a real process built
// from this test binary, so exit codes and output streams are tested as a
// user sees them. Only the test run, not such a process, changes folder.
func TestMain(m *testing.M) {
	if os.Getenv(pausedEnv) != "" {
		pausedMain()
	}
	testscript.Main(fromRoot{m}, map[string]func(){
		"pchat-hadr": func() { os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr)) },
		"exits":      exits,
		"crlf":       crlf,
		"jsondoc":    jsondoc,
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

// crlf runs "crlf FILE...": it rewrites each file with CRLF line ends, as
// git does on checkout with core.autocrlf.
func crlf() {
	for _, f := range os.Args[1:] {
		data, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(f, bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "crlf:", err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

// jsondoc runs "jsondoc FILE": it succeeds only if FILE holds exactly one
// JSON object and nothing else, as --format json promises for stdout.
func jsondoc() {
	data, err := os.ReadFile(os.Args[1])
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		var v map[string]any
		if err = dec.Decode(&v); err == nil {
			if _, more := dec.Token(); more != io.EOF {
				err = fmt.Errorf("more after the first JSON document")
			} else if _, ok := v["ok"].(bool); !ok {
				err = fmt.Errorf("no boolean ok field")
			}
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "jsondoc: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestCLI runs the scripts in testdata/script: one file per behaviour of
// the command line.
func TestCLI(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join(pkgDir, "testdata", "script"),
		// Every script has a cache of its own: a second run in a script
		// takes the cache's path (output.Verify), and must print what a
		// first-time render would.
		Setup: func(e *testscript.Env) error {
			e.Setenv(cache.Env, filepath.Join(e.WorkDir, ".cache"))
			return nil
		},
	})
}
