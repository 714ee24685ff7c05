// Command pchat-hadr renders the T-SQL, PowerShell and runbooks for
// Persistent Chat high availability and disaster recovery from a TOML site
// description. See README.md.
package main

import (
	"os"
	"runtime/debug"

	"pchat-hadr/generator/cli"
)

// memoryLimit is a soft limit for the Go heap: a run of a thousand sites
// makes a lot of short-lived garbage, and without a limit the collector
// lets the heap grow to twice what is live. GOMEMLIMIT overrides it.
const memoryLimit = 160 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
