package cli

import (
	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/schema"
)

// schemaCommand prints the JSON Schema of the site file, for editors that
// check TOML against one (Taplo, Even Better TOML): save it beside the
// site files and start each with "#:schema ./site.schema.json".
func schemaCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema of the site file, for editors: pchat-hadr schema > site.schema.json",
		Action: func(c *ucli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			_, err := c.App.Writer.Write(schema.JSON())
			return err
		},
	}
}
