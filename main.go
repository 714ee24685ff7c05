// Command pchat-hadr renders the T-SQL, PowerShell and runbooks for
// Persistent Chat high availability and disaster recovery from a TOML site
// description. See README.md.
package main

import (
	"os"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/heapfloor"
)

// heapFloor is the heap goal below which the collector does not run
// (heapfloor). 32 MB holds a run of one site without a collection: it
// took the example's generate from 77 to 57 ms (medians of 25 on tmpfs)
// and a 100-site run's user CPU down 9% at the same peak memory, where
// 64 MB added 16 MB to that peak for nothing more (docs/performance.md).
const heapFloor = 32 << 20

// No soft memory limit is set (GOMEMLIMIT and GOGC still apply): measured
// in docs/performance.md, the former 160 MiB limit made no difference to
// the peak memory of a 1,000-site run, whose live heap stays far below it,
// and past it, at 10,000 sites, kept the collector running back to back.
func main() {
	heapfloor.Set(heapFloor)
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
