// Command pchat-hadr renders the T-SQL, PowerShell and runbooks for
// Persistent Chat high availability and disaster recovery from a TOML site
// description. See README.md.
package main

import (
	"os"

	"pchat-hadr/generator/cli"
)

// No soft memory limit is set (GOMEMLIMIT and GOGC still apply): measured
// in docs/performance.md, the former 160 MiB limit made no difference to
// the peak memory of a 1,000-site run, whose live heap stays far below it,
// and past it, at 10,000 sites, kept the collector running back to back.
// A run of a few sites raises the collector's goal to a floor instead
// (cli, heapfloor).
func main() {
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
