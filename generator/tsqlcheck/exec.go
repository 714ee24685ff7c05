package tsqlcheck

import "strings"

// call is one EXEC of a named procedure, as far as it matters here.
type call struct {
	name  Token    // first token of the procedure name
	parts []string // name parts without brackets: master, dbo, sp_x
	args  []arg
}

// arg is one argument: by name (@param = value) or by position.
type arg struct {
	param Token // the @param token; Kind is 0 for a positional argument
	value Token // first token of the value
}

// statementWords start a statement. An EXEC argument list or a DECLARE
// list without a semicolon ends where one of them follows at the top level.
var statementWords = map[string]bool{
	"ALTER": true, "BACKUP": true, "BEGIN": true, "BREAK": true, "CHECKPOINT": true,
	"CLOSE": true, "COMMIT": true, "CONTINUE": true, "CREATE": true, "DBCC": true,
	"DEALLOCATE": true, "DECLARE": true, "DELETE": true, "DENY": true, "DROP": true,
	"ELSE": true, "END": true, "EXEC": true, "EXECUTE": true, "FETCH": true,
	"GOTO": true, "GRANT": true, "IF": true, "INSERT": true, "KILL": true, "MERGE": true,
	"OPEN": true, "PRINT": true, "RAISERROR": true, "RESTORE": true, "RETURN": true,
	"REVOKE": true, "ROLLBACK": true, "SAVE": true, "SELECT": true, "SET": true,
	"THROW": true, "TRUNCATE": true, "UPDATE": true, "USE": true, "WAITFOR": true,
	"WHILE": true, "WITH": true,
}

func isStatementWord(t Token) bool {
	return t.Kind == Word && statementWords[strings.ToUpper(t.Text)]
}

// parseCalls finds every EXEC of a named procedure in a batch. It also
// returns the indexes of @param tokens in their argument lists: those are
// the procedure's parameter names, not variables of the batch.
//
// EXEC [@status =] name [arg [, arg]...] where arg is [@param =] value
// [OUTPUT] and value is a constant, a variable, DEFAULT or NULL; T-SQL
// allows no expressions there, so each value is one token (with a sign).
// EXEC (@sql) runs dynamic text and is not a call.
func parseCalls(b []Token) ([]call, map[int]bool) {
	var calls []call
	params := map[int]bool{}
	isPunct := func(i int, s string) bool { return i < len(b) && b[i].Kind == Punct && b[i].Text == s }
	for i := 0; i < len(b); i++ {
		if !b[i].Is("EXEC") && !b[i].Is("EXECUTE") {
			continue
		}
		c := call{}
		j := i + 1
		if j < len(b) && b[j].Kind == Variable && isPunct(j+1, "=") {
			j += 2 // the return status variable: a real variable of the batch
		}
		if j >= len(b) || (b[j].Kind != Word && b[j].Kind != Bracket) || isStatementWord(b[j]) {
			continue // EXEC (@sql), EXEC @procvar, or broken text
		}
		c.name = b[j]
		for {
			c.parts = append(c.parts, unbracket(b[j]))
			j++
			dots := 0
			for ; isPunct(j, "."); j++ {
				dots++
			}
			if dots == 0 || j >= len(b) || b[j].Kind != Word && b[j].Kind != Bracket {
				break
			}
			for ; dots > 1; dots-- {
				c.parts = append(c.parts, "") // master..sp_x: default schema
			}
		}
		for j < len(b) && !isPunct(j, ";") && !isStatementWord(b[j]) {
			a := arg{}
			if b[j].Kind == Variable && isPunct(j+1, "=") {
				a.param = b[j]
				params[j] = true
				j += 2
			}
			if isPunct(j, "-") || isPunct(j, "+") {
				j++
			}
			if j >= len(b) {
				break
			}
			a.value = b[j]
			c.args = append(c.args, a)
			j++
			if j < len(b) && (b[j].Is("OUTPUT") || b[j].Is("OUT")) {
				j++
			}
			if !isPunct(j, ",") {
				break
			}
			j++
		}
		calls = append(calls, c)
		i = j - 1
	}
	return calls, params
}

// unbracket returns an identifier's name: [a]]b] is a]b.
func unbracket(t Token) string {
	if t.Kind != Bracket || len(t.Text) < 2 {
		return t.Text
	}
	return strings.ReplaceAll(t.Text[1:len(t.Text)-1], "]]", "]")
}
