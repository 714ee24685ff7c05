package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Completion scripts ask the binary for candidates with the hidden command
// "__complete :CUR WORD...": CUR is the word being completed (after a ":",
// so that it is never an empty argument, which Windows PowerShell 5.1 would
// drop), WORD the words before it. The answer is one candidate a line, or
// ":files" or ":dirs" to let the shell complete paths.
const bashFunction = `_pchat_hadr() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local out
    out=$("${COMP_WORDS[0]}" __complete ":$cur" "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)
    case "$out" in
    :files) COMPREPLY=($(compgen -f -- "$cur")) ;;
    :dirs) COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$out" -- "$cur")) ;;
    esac
}
complete -o filenames -F _pchat_hadr pchat-hadr
`

var completions = map[string]string{
	"bash": "# pchat-hadr completion for bash: source it, e.g. from ~/.bashrc:\n#   source <(pchat-hadr completion bash)\n" + bashFunction,
	"zsh": "# pchat-hadr completion for zsh: add to ~/.zshrc:\n#   source <(pchat-hadr completion zsh)\n" +
		"autoload -U +X bashcompinit && bashcompinit\n" + bashFunction,
	"powershell": `# pchat-hadr completion for PowerShell: add to $PROFILE:
#   pchat-hadr completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName pchat-hadr -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($wordToComplete) { $words = @($words | Select-Object -First ($words.Count - 1)) }
    $candidates = @(& pchat-hadr __complete (':' + $wordToComplete) @words 2>$null)
    # Returning nothing lets PowerShell complete file and folder names.
    if ($candidates.Count -eq 1 -and $candidates[0] -like ':*') { return }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        New-Object System.Management.Automation.CompletionResult $_, $_, 'ParameterValue', $_
    }
}
`,
}

// Shells are the shells completion scripts exist for.
var Shells = []string{"bash", "zsh", "powershell"}

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or powershell",
		ArgsUsage: "SHELL",
		Description: "The script completes commands, flags, the values of --operation and --format, " +
			"folders after --out and --templates, and site files after a command.",
		Action: func(c *ucli.Context) error {
			script, ok := completions[c.Args().First()]
			if !ok || c.NArg() != 1 {
				return fail(ExitBadInput, "pchat-hadr completion: give one of %s", strings.Join(Shells, ", "))
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// completeCommand answers the completion scripts; it is not for people.
func completeCommand() *ucli.Command {
	return &ucli.Command{
		Name:            "__complete",
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *ucli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 || !strings.HasPrefix(args[0], ":") {
				return fail(ExitBadInput, "usage: pchat-hadr __complete :CURRENT [WORDS...]")
			}
			for _, w := range complete(c.App, args[1:], args[0][1:]) {
				fmt.Fprintln(c.App.Writer, w)
			}
			return nil
		},
	}
}

// complete returns the candidates for cur after the words before it.
func complete(app *ucli.App, words []string, cur string) []string {
	var cmd *ucli.Command
	cmds := app.Commands
	rest := words
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		next := find(cmds, rest[0])
		if next == nil {
			break
		}
		cmd, cmds, rest = next, next.Subcommands, rest[1:]
	}
	if cmd == nil {
		if strings.HasPrefix(cur, "-") {
			return prefixed(cur, []string{"--help", "--version"})
		}
		return prefixed(cur, append(commandNames(app.Commands), "help"))
	}
	if len(rest) > 0 {
		if vals, ok := flagValues(rest[len(rest)-1]); ok {
			return prefixed(cur, vals)
		}
	}
	switch {
	case strings.HasPrefix(cur, "-"):
		var names []string
		for _, f := range cmd.Flags {
			names = append(names, "--"+f.Names()[0])
		}
		return prefixed(cur, append(names, "--help"))
	case len(cmd.Subcommands) > 0:
		return prefixed(cur, commandNames(cmd.Subcommands))
	}
	switch cmd.Name {
	case "completion":
		return prefixed(cur, Shells)
	case "export":
		return []string{":dirs"}
	case "generate", "validate", "check", "plan", "show":
		return []string{":files"}
	}
	return nil
}

// flagValues returns the values of a flag that takes one: the allowed
// words, or a directive for the shell.
func flagValues(flag string) ([]string, bool) {
	switch strings.TrimLeft(flag, "-") {
	case "operation":
		return operationList(), true
	case "format":
		return Formats, true
	case "out", "templates":
		return []string{":dirs"}, true
	}
	return nil, false
}

func find(cmds []*ucli.Command, name string) *ucli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	if name == "help" {
		return &ucli.Command{Name: "help"}
	}
	return nil
}

func commandNames(cmds []*ucli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

// prefixed keeps the candidates that start with cur.
func prefixed(cur string, list []string) []string {
	var out []string
	for _, w := range list {
		if strings.HasPrefix(w, cur) {
			out = append(out, w)
		}
	}
	return out
}
