package schema

import (
	"fmt"
	"strings"
)

// Syntax is the form of a string key, as package validate checks it,
// written as regular expressions that ECMA-262 (JSON Schema, editors) and
// RE2 read alike: no look-around, no flags.
type Syntax struct {
	Pattern string // the value must match
	Not     string // the value must not match, if set
	// NonEmpty is true when the validator refuses an empty string even
	// though the key itself may be left out.
	NonEmpty bool
	Text     string // one line for the reference
}

// noExpansion refuses what sqlcmd would expand as a scripting variable;
// every free-text key allows $ and ( but not "$(" (validate.printableASCII).
const noExpansion = `\$\(`

// reservedALL is the schedule name SQL Server Agent reserves, in any case.
const reservedALL = `^[Aa][Ll][Ll]$`

// Windows path components: printable ASCII except \ < > : " | ? * /, not
// ending in a space or a dot, so never . or .. (validate.checkComponents).
var (
	pathChar  = class(func(c byte) bool { return !strings.ContainsRune(`\<>:"|?*/`, rune(c)) })
	pathEnd   = class(func(c byte) bool { return !strings.ContainsRune(`\<>:"|?*/ .`, rune(c)) })
	component = pathChar + "*" + pathEnd
	label     = `[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?`
	dcChar    = `A-Za-z0-9'.,()&/-` // validate.dataCenterPunct, without the space
	syntaxes  = map[string]Syntax{
		"site-name": {Pattern: `^[a-z0-9][a-z0-9-]*$`,
			Text: "lower-case letters, digits and hyphens, starting with a letter or digit"},
		"fqdn": {Pattern: `^` + label + `(\.` + label + `)+$`, Not: `\.[0-9]+$`,
			Text: "host.domain: two or more labels of letters, digits and hyphens, each 1-63 characters and not starting or ending with a hyphen; the last label not all digits (not an IP address)"},
		"netbios": {Pattern: `^[A-Za-z0-9_-]*$`,
			Text: "letters, digits, hyphens and underscores"},
		"instance": {Pattern: `^[A-Za-z_][A-Za-z0-9_$]*$`, Not: `^([Mm][Ss][Ss][Qq][Ll][Ss][Ee][Rr][Vv][Ee][Rr]|[Dd][Ee][Ff][Aa][Uu][Ll][Tt])$`,
			Text: "a letter or `_`, then letters, digits, `_` and `$`; not `MSSQLSERVER` or `DEFAULT`"},
		"data-center": {Pattern: `^[` + dcChar + `]([ ` + dcChar + `]*[` + dcChar + `])?$`,
			Text: "letters, digits, spaces and `'-.,()&/`, not starting or ending with a space"},
		"identity": {Pattern: `^[!-~]*$`, Not: noExpansion,
			Text: "printable ASCII without spaces, such as `PersistentChatServer:pool.contoso.com` or `global`"},
		"account": {Pattern: `^[ -?A-~]*$`, Not: noExpansion,
			Text: "`DOMAIN\\name`, `LocalSystem`, `NETWORK SERVICE` or `NT SERVICE\\name`; printable ASCII; no user principal name (`name@domain`)"},
		"sysname": {Pattern: `^[ -~]*$`, Not: noExpansion, NonEmpty: true,
			Text: "a SQL Server name (sysname): printable ASCII"},
		"job-name": {Pattern: `^[ -$&-~]*$`, Not: noExpansion + `|` + reservedALL, NonEmpty: true,
			Text: "a SQL Server Agent job name: printable ASCII without `%`; not `ALL`"},
		"schedule-name": {Pattern: `^[ -~]*$`, Not: noExpansion + `|` + reservedALL, NonEmpty: true,
			Text: "a SQL Server Agent schedule name: printable ASCII; not `ALL`"},
		"unc": {Pattern: `^\\\\` + label + `(\.` + label + `)*(\\` + component + `)+$`, Not: noExpansion,
			Text: "`\\\\server\\share[\\folder...]`, no trailing backslash; folder names without any of `<>:\"|?*/` and not ending in a space or dot"},
		"local-path": {Pattern: `^[A-Za-z]:\\(` + component + `(\\` + component + `)*)?$`, Not: noExpansion,
			Text: "`X:\\folder[\\...]`, no trailing backslash; folder names without any of `<>:\"|?*/` and not ending in a space or dot"},
	}
)

// class writes a character class of the printable ASCII bytes ok accepts.
func class(ok func(byte) bool) string {
	var b strings.Builder
	b.WriteByte('[')
	for c := byte(0x20); c <= 0x7e; c++ {
		if !ok(c) {
			continue
		}
		end := c
		for end < 0x7e && ok(end+1) {
			end++
		}
		b.WriteString(classChar(c))
		if end > c+1 {
			b.WriteByte('-')
		}
		if end > c {
			b.WriteString(classChar(end))
		}
		c = end
	}
	b.WriteByte(']')
	return b.String()
}

// classChar escapes a byte that is special inside a character class.
func classChar(c byte) string {
	if strings.IndexByte(`\]-^[`, c) >= 0 {
		return `\` + string(c)
	}
	return string(c)
}

func syntaxOf(k *Key) (Syntax, bool) {
	name := k.Tag("syntax")
	if name == "" {
		return Syntax{}, false
	}
	s, ok := syntaxes[name]
	if !ok {
		panic(fmt.Sprintf("schema: %s: unknown syntax %q", k.Path, name))
	}
	return s, true
}
