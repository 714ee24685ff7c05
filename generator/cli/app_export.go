package cli

import (
	"io"

	ucli "github.com/urfave/cli/v2"
)

// App returns the command-line application with its output discarded, for
// tools that read its definition, such as the generator of docs/cli.md.
func App() *ucli.App {
	return newApp(io.Discard, io.Discard)
}
