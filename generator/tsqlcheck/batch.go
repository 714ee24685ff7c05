package tsqlcheck

import "strings"

// checkBatch checks the structure of one batch: SQL Server compiles a batch
// as a unit, so parentheses and BEGIN/CASE ... END must balance inside it.
// It also refuses text whose meaning depends on the client (double quotes,
// GO inside a line) and user transactions.
func checkBatch(b []Token, probs *ProblemList) {
	var parens, blocks []Token
	for i, t := range b {
		switch {
		case t.Kind == Quoted:
			probs.at(t, "double-quoted text %s: its meaning depends on QUOTED_IDENTIFIER, which sqlcmd and SSMS set differently; use N'...' or [...]", clip(t.Text))
		case t.Kind == Punct && t.Text == "(":
			parens = append(parens, t)
		case t.Kind == Punct && t.Text == ")":
			if len(parens) == 0 {
				probs.at(t, ") without a matching ( in this batch")
				continue
			}
			parens = parens[:len(parens)-1]
		case t.Kind == Punct && t.Text == "]":
			// Usually the end of an identifier whose own ] was not doubled:
			// [a]b] is [a] followed by b].
			probs.at(t, "] outside a bracketed identifier; a ] inside [...] must be written ]]")
		case t.Is("GO"):
			probs.at(t, "GO shares its line with other text; only a line holding GO alone ends a batch, elsewhere GO is read as a name")
		case t.Is("BEGIN"):
			switch strings.ToUpper(wordAt(b, i+1)) {
			case "TRAN", "TRANSACTION", "DISTRIBUTED":
				probs.at(t, "user transaction (BEGIN %s): BACKUP, RESTORE and ALTER DATABASE ... SET PARTNER cannot run inside one, so the scripts use none", strings.ToUpper(wordAt(b, i+1)))
			case "DIALOG", "CONVERSATION":
				// Service Broker statements, not blocks: no END follows.
			default:
				blocks = append(blocks, t)
			}
		case t.Is("CASE"):
			blocks = append(blocks, t)
		case t.Is("END"):
			if strings.EqualFold(wordAt(b, i+1), "CONVERSATION") {
				continue
			}
			if len(blocks) == 0 {
				probs.at(t, "END without a matching BEGIN or CASE in this batch")
				continue
			}
			blocks = blocks[:len(blocks)-1]
		case t.Is("COMMIT") || t.Is("ROLLBACK") && !rollbackOption(b, i) ||
			t.Is("SAVE") && strings.HasPrefix(strings.ToUpper(wordAt(b, i+1)), "TRAN"):
			probs.at(t, "%s belongs to a user transaction; the scripts use none", strings.ToUpper(t.Text))
		}
	}
	for _, t := range parens {
		probs.at(t, "( is not closed in this batch")
	}
	for _, t := range blocks {
		probs.at(t, "%s has no matching END in this batch", strings.ToUpper(t.Text))
	}
}

// rollbackOption reports whether the ROLLBACK at i is the termination
// option of ALTER DATABASE (WITH ROLLBACK IMMEDIATE | AFTER n), which
// disconnects other sessions and has nothing to do with transactions.
func rollbackOption(b []Token, i int) bool {
	next := strings.ToUpper(wordAt(b, i+1))
	return i > 0 && b[i-1].Is("WITH") && (next == "IMMEDIATE" || next == "AFTER")
}

// wordAt returns the text of b[i] if it is an unquoted word, else "".
func wordAt(b []Token, i int) string {
	if i < len(b) && b[i].Kind == Word {
		return b[i].Text
	}
	return ""
}

// clip shortens a token's text for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
