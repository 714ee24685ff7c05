package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/output"
)

// pausedEnv makes the test binary run as pchat-hadr that stops at a known
// point of its run, so that a test can interrupt it there: its value is
// EVENT:N:DIR (EVENT is staged or committed, see output.Pause). At the Nth
// event the process creates DIR/paused and waits until DIR/resume exists.
const pausedEnv = "PCHAT_HADR_E2E_PAUSE"

func pausedMain() {
	spec := strings.SplitN(os.Getenv(pausedEnv), ":", 3)
	n, err := strconv.Atoi(spec[1])
	if len(spec) != 3 || err != nil {
		fmt.Fprintln(os.Stderr, "bad", pausedEnv)
		os.Exit(3)
	}
	event, dir := spec[0], spec[2]
	var once sync.Once
	output.Pause = func(e string, k int) {
		if e != event || k != n {
			return
		}
		once.Do(func() {
			os.WriteFile(filepath.Join(dir, "paused"), nil, 0o644)
			for {
				if _, err := os.Stat(filepath.Join(dir, "resume")); err == nil {
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	os.Exit(cli.Main(append([]string{"pchat-hadr"}, os.Args[1:]...), os.Stdout, os.Stderr))
}
