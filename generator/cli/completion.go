package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

// Completion scripts ask the binary itself for candidates through
// urfave/cli's --generate-bash-completion flag, and fall back to file names.
// bashFunction completes with the candidates the binary prints; zsh runs
// it through bashcompinit.
const bashFunction = `_pchat_hadr() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local words
    words=$("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD-1}" --generate-bash-completion 2>/dev/null)
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    if [ ${#COMPREPLY[@]} -eq 0 ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
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
    if ($wordToComplete) { $words = @($words | Select-Object -SkipLast 1) }
    $candidates = @(& pchat-hadr @words --generate-bash-completion 2>$null)
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`,
}

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or powershell",
		ArgsUsage: "SHELL",
		Action: func(c *ucli.Context) error {
			script, ok := completions[c.Args().First()]
			if !ok || c.NArg() != 1 {
				return fail(ExitBadInput, "pchat-hadr completion: give one of bash, zsh, powershell")
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}
