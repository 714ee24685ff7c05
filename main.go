// Command pchat-hadr renders the T-SQL, PowerShell and runbooks for
// Persistent Chat high availability and disaster recovery from a TOML site
// description. See README.md.
package main

import (
	"os"

	"pchat-hadr/generator/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdout, os.Stderr))
}
