package render

import (
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"pchat-hadr/generator/quote"
)

// sprigAllowed is the pinned list of sprig functions templates may use.
// Sprig also offers functions whose output varies between runs (dates,
// random values, map keys in map order); none of those may be added here.
var sprigAllowed = []string{"add", "base", "default", "dict", "fail", "join", "list", "lower", "mul", "replace", "sub", "trimSuffix", "upper"}

// Funcs returns the template function map: the allowlisted sprig functions
// and the quoting functions, the only way a site value reaches a script.
func Funcs() template.FuncMap {
	all := sprig.TxtFuncMap()
	fm := template.FuncMap{}
	for _, name := range sprigAllowed {
		fm[name] = all[name]
	}
	fm["sqlIdent"] = quote.SQLIdent
	fm["sqlString"] = quote.SQLString
	fm["psString"] = quote.PSString
	fm["comment"] = quote.Comment
	fm["psHelp"] = quote.PSHelp
	fm["mermaid"] = quote.Mermaid
	fm["sqlInfo"] = sqlInfo
	fm["sqlFail"] = sqlFail
	fm["sqlCheckRC"] = sqlCheckRC
	fm["sqlOK"] = sqlOK
	fm["winPath"] = winPath
	fm["upperFirst"] = upperFirst
	return fm
}

// sqlInfo prints a progress message. The message is an argument of a fixed
// '%s' format because RAISERROR treats its message as a printf format.
func sqlInfo(msg string) (string, error) {
	lit, err := quote.SQLString(msg)
	if err != nil {
		return "", err
	}
	return "RAISERROR(N'%s', 0, 1, " + lit + ") WITH NOWAIT;", nil
}

// sqlFail raises an error that stops the script: sqlcmd -b exits, and
// NOEXEC ON makes SSMS skip the remaining batches (the file ends with
// SET NOEXEC OFF).
func sqlFail(msg string) (string, error) {
	lit, err := quote.SQLString(msg)
	if err != nil {
		return "", err
	}
	return "RAISERROR(N'%s', 16, 1, " + lit + ") WITH NOWAIT; SET NOEXEC ON; RETURN;", nil
}

// sqlCheckRC stops the script when the procedure just called with
// EXEC @rc = ... returned a failure code (log-shipping procedures return 1).
func sqlCheckRC(proc string) (string, error) {
	lit, err := quote.SQLString(proc)
	if err != nil {
		return "", err
	}
	return "IF @rc <> 0 BEGIN RAISERROR(N'%s failed with return code %d.', 16, 1, " + lit + ", @rc) WITH NOWAIT; SET NOEXEC ON; RETURN; END", nil
}

// sqlOK stops the script when the statement just before it failed. A
// failed BACKUP or RESTORE does not end its batch: without this, SSMS would
// print the success message after it and run the batches that follow
// (sqlcmd -b stops by itself).
func sqlOK(what string) (string, error) {
	lit, err := quote.SQLString(what + " failed; read the messages above, fix the cause, then re-run.")
	if err != nil {
		return "", err
	}
	return "IF @@ERROR <> 0 BEGIN RAISERROR(N'%s', 16, 1, " + lit + ") WITH NOWAIT; SET NOEXEC ON; RETURN; END", nil
}

// winPath shows an output path as a Windows relative path.
func winPath(p string) (string, error) {
	return quote.Comment(strings.ReplaceAll(p, "/", `\`))
}

// upperFirst starts a sentence: the plan's titles are written to follow
// other words.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
