package validate

import (
	"pchat-hadr/generator/diag"

	"fmt"
	"net"
	"strings"
	"unicode/utf8"
)

// Limits from SQL Server and Windows (domain reference, section 4.12).
const (
	maxSysname     = 128 // database, login, endpoint, job and schedule names
	maxLSPath      = 500 // log-shipping directory parameters, nvarchar(500)
	maxDevicePath  = 259 // physical_device_name is nvarchar(260), MAX_PATH less the NUL
	maxNetBIOS     = 15
	maxFQDN        = 253
	maxLabel       = 63
	maxSiteName    = 63
	maxInstanceLen = 16
	maxDataCenter  = 64 // a display name; nothing in SQL Server or Windows bounds it
)

// printableASCII refuses what sqlcmd would misread: .sql files are ASCII
// because sqlcmd reads them in the machine's ANSI code page, and sqlcmd
// replaces $(name) with a scripting variable wherever it stands, quoted
// strings and comments included (sqlcmd runs without -x). Every free-text
// value passes here, so none can carry "$(" into a script.
func printableASCII(s string) error {
	for i, r := range s {
		if r < 0x20 || r > 0x7e {
			if r == utf8.RuneError || r > 0x7e {
				return fmt.Errorf("contains the non-ASCII character %q at byte %d; generated .sql files are ASCII because sqlcmd reads them in the ANSI code page", r, i)
			}
			return fmt.Errorf("contains a control character (%U) at byte %d", r, i)
		}
	}
	if i := strings.Index(s, "$("); i >= 0 {
		return fmt.Errorf("contains \"$(\" at byte %d, which sqlcmd expands as a scripting variable $(name) even inside quoted strings; $ and ( are allowed, but not $ directly followed by (", i)
	}
	return nil
}

func checkFQDN(s string) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if net.ParseIP(s) != nil {
		return fmt.Errorf("%s is an IP address; write the host's FQDN: the scripts' guard compares the computer name, which an IP address does not give", diag.Quote(s))
	}
	if len(s) > maxFQDN {
		return fmt.Errorf("%s is longer than %d characters", diag.Quote(s), maxFQDN)
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%s is not a fully qualified domain name (host.domain)", diag.Quote(s))
	}
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return fmt.Errorf("%s is not a valid FQDN: %v", diag.Quote(s), err)
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return fmt.Errorf("%s ends in the numeric label %s, so it is not an FQDN (an IP address?); write the host's FQDN", diag.Quote(s), diag.Quote(labels[len(labels)-1]))
	}
	return nil
}

// checkSQLHost checks the fqdn key of a SQL Server instance, pointing the
// SQL Server spellings HOST\INSTANCE and HOST,PORT at the keys they belong in.
func checkSQLHost(s string) error {
	if host, inst, ok := strings.Cut(s, `\`); ok {
		return fmt.Errorf("%s names an instance; write the host FQDN here (%s) and the instance name in the instance key (instance = %s)", diag.Quote(s), diag.Quote(host), diag.Quote(inst))
	}
	if i := strings.IndexAny(s, ",:"); i >= 0 {
		return fmt.Errorf("%s holds a port after %s; write the host FQDN here (%s); the mirroring endpoint's port goes in the port key, and the instance's client port is not needed", diag.Quote(s), diag.Quote(s[i:i+1]), diag.Quote(s[:i]))
	}
	return checkFQDN(s)
}

func checkLabel(l string) error {
	if l == "" || len(l) > maxLabel {
		return fmt.Errorf("label %s must be 1 to %d characters", diag.Quote(l), maxLabel)
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %s starts or ends with a hyphen", diag.Quote(l))
	}
	for _, c := range l {
		if !(c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Errorf("label %s has %s; only letters, digits and hyphens are allowed", diag.Quote(l), diag.Quote(string(c)))
		}
	}
	return nil
}

// badPathChars are refused in Windows path components.
const badPathChars = `<>:"|?*/`

// checkUNC accepts \\server\share[\folder...] without a trailing backslash.
func checkUNC(s string, limit int) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if !strings.HasPrefix(s, `\\`) {
		return fmt.Errorf("%s is not a UNC path (\\\\server\\share\\folder)", diag.Quote(s))
	}
	parts := strings.Split(s[2:], `\`)
	if len(parts) < 2 {
		return fmt.Errorf("%s names no share; write \\\\server\\share", diag.Quote(s))
	}
	if err := checkLabelsOrFQDN(parts[0]); err != nil {
		return fmt.Errorf("%s: server %v", diag.Quote(s), err)
	}
	if err := checkComponents(s, parts[1:]); err != nil {
		return err
	}
	return checkLength(s, limit)
}

func checkLabelsOrFQDN(host string) error {
	for _, l := range strings.Split(host, ".") {
		if err := checkLabel(l); err != nil {
			return err
		}
	}
	return nil
}

// checkLocalPath accepts an absolute path on a drive: X:\folder[\...].
func checkLocalPath(s string, limit int) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if len(s) < 3 || !isLetter(s[0]) || s[1] != ':' || s[2] != '\\' {
		return fmt.Errorf("%s is not an absolute local path (X:\\folder)", diag.Quote(s))
	}
	if len(s) > 3 {
		if err := checkComponents(s, strings.Split(s[3:], `\`)); err != nil {
			return err
		}
	}
	return checkLength(s, limit)
}

func checkComponents(s string, parts []string) error {
	for _, p := range parts {
		if p == "" {
			return fmt.Errorf("%s has an empty folder name (doubled or trailing backslash)", diag.Quote(s))
		}
		if p == "." || p == ".." {
			return fmt.Errorf("%s uses %s; write the path without relative parts", diag.Quote(s), diag.Quote(p))
		}
		if i := strings.IndexAny(p, badPathChars); i >= 0 {
			return fmt.Errorf("%s has %s, which Windows does not allow in a file name", diag.Quote(s), diag.Quote(string(p[i])))
		}
		if strings.HasSuffix(p, " ") || strings.HasSuffix(p, ".") {
			return fmt.Errorf("%s has a folder name ending in a space or dot, which Windows drops", diag.Quote(s))
		}
	}
	return nil
}

func checkLength(s string, limit int) error {
	if len(s) > limit {
		return fmt.Errorf("%s is %d characters; the limit is %d", diag.Quote(s), len(s), limit)
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// checkNetBIOS checks a computer or domain NetBIOS name.
func checkNetBIOS(s string) error {
	if s == "" || len(s) > maxNetBIOS {
		return fmt.Errorf("%s must be 1 to %d characters", diag.Quote(s), maxNetBIOS)
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Errorf("%s has %s; use letters, digits, hyphens and underscores", diag.Quote(s), diag.Quote(string(c)))
		}
	}
	return nil
}

// checkInstanceName follows SQL Server's rules for instance names.
func checkInstanceName(s string) error {
	if len(s) > maxInstanceLen {
		return fmt.Errorf("%s is longer than %d characters", diag.Quote(s), maxInstanceLen)
	}
	if strings.EqualFold(s, "MSSQLSERVER") || strings.EqualFold(s, "DEFAULT") {
		return fmt.Errorf("%s names the default instance; leave instance out for the default instance", diag.Quote(s))
	}
	if !isLetter(s[0]) && s[0] != '_' {
		return fmt.Errorf("%s must start with a letter or underscore", diag.Quote(s))
	}
	for _, c := range s {
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Errorf("%s has %s; instance names use letters, digits, _ and $", diag.Quote(s), diag.Quote(string(c)))
		}
	}
	return nil
}

// checkDataCenterName checks a display name of a data center. It appears
// in the runbook's prose, headings and tables, so it is kept to what reads
// the same as plain text and Markdown: no |, `, *, _, [, ], <, >, \ or $.
func checkDataCenterName(s string) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if len(s) > maxDataCenter {
		return fmt.Errorf("is %d characters; a data center name is at most %d", len(s), maxDataCenter)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%s starts or ends with a space", diag.Quote(s))
	}
	for _, c := range s {
		if !(isLetter(byte(c)) || c >= '0' && c <= '9' || strings.ContainsRune(dataCenterPunct, c)) {
			return fmt.Errorf("%s has %s; a data center name uses letters, digits, spaces and ' - . , ( ) & /", diag.Quote(s), diag.Quote(string(c)))
		}
	}
	return nil
}

// dataCenterPunct is what a data center name may hold besides letters and
// digits; keep the message in checkDataCenterName in step.
const dataCenterPunct = " '-.,()&/"

// badAccountChars are the characters Windows refuses in a user or service
// account name (sAMAccountName); @ is left to NetworkLogin, which explains
// user principal names.
const badAccountChars = `"/[]:;|=,+*?<>`

// checkAccount checks the form of a service account before NetworkLogin
// checks its meaning: printable ASCII, no character Windows refuses in an
// account name, and short enough for the SQL Server login made from it.
func checkAccount(s string) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if len(s) > maxSysname {
		return fmt.Errorf("is %d characters; the SQL Server login made from a service account is a sysname, at most %d", len(s), maxSysname)
	}
	_, name, ok := strings.Cut(s, `\`)
	if !ok {
		name = s
	}
	if i := strings.IndexAny(name, badAccountChars); i >= 0 {
		return fmt.Errorf("%s has %s, which Windows does not allow in an account name (none of %s)", diag.Quote(s), diag.Quote(string(name[i])), badAccountChars)
	}
	return nil
}

// checkSysname checks a value that becomes a SQL Server name.
func checkSysname(s string) error {
	if err := printableASCII(s); err != nil {
		return err
	}
	if s == "" || len(s) > maxSysname {
		return fmt.Errorf("%s must be 1 to %d characters (sysname)", diag.Quote(s), maxSysname)
	}
	return nil
}
