package tsqlcheck

import "strings"

// checkVars applies T-SQL's variable rules to one batch: a variable lives
// from its DECLARE to the end of the batch (GO ends it), and one name can
// be declared only once per batch, whatever BEGIN/END blocks surround the
// DECLAREs. Parameter names in an EXEC argument list (@param = value) name
// the called procedure's parameters, and @@name is a system function, so
// neither is a variable of the batch.
func checkVars(b []Token, probs *ProblemList) {
	_, params := parseCalls(b)
	decls := declarations(b)
	firstDecl := map[string]Token{}
	for i := range b {
		if key := strings.ToLower(b[i].Text); decls[i] {
			if _, ok := firstDecl[key]; !ok {
				firstDecl[key] = b[i]
			}
		}
	}
	declared := map[string]Token{}
	for i, t := range b {
		if t.Kind != Variable || strings.HasPrefix(t.Text, "@@") || params[i] {
			continue
		}
		// Names are compared without case for clashes, which is how a
		// case-insensitive server collation sees them.
		key := strings.ToLower(t.Text)
		prev, seen := declared[key]
		switch {
		case decls[i] && seen:
			probs.at(t, "%s is declared twice in this batch (first on line %d); the batch does not compile", t.Text, prev.Line)
		case decls[i]:
			declared[key] = t
		case !seen && firstDecl[key].Line > 0:
			probs.at(t, "%s is used before its DECLARE on line %d", t.Text, firstDecl[key].Line)
		case !seen:
			probs.at(t, "%s is not declared in this batch; variables end at GO", t.Text)
		case prev.Text != t.Text:
			// A case-sensitive server collation makes these two names.
			probs.at(t, "%s is declared as %s; write it the same way, or a case-sensitive server refuses it", t.Text, prev.Text)
		}
	}
}

// declarations marks the @name tokens that a DECLARE introduces: the one
// right after DECLARE and each one after a top-level comma of its list.
// "DECLARE c CURSOR ..." declares no variable.
func declarations(b []Token) map[int]bool {
	decls := map[int]bool{}
	for i := range b {
		if !b[i].Is("DECLARE") {
			continue
		}
		for j := i + 1; j < len(b) && b[j].Kind == Variable; j++ {
			decls[j] = true
			j = endOfItem(b, j+1)
			if j >= len(b) || b[j].Text != "," || b[j].Kind != Punct {
				break
			}
		}
	}
	return decls
}

// endOfItem returns the index of the comma, semicolon or statement word
// that ends one DECLARE item starting at i (its type and any = value).
// Commas inside parentheses, such as decimal(10, 2), and words inside a
// CASE ... END value do not end it.
func endOfItem(b []Token, i int) int {
	depth, cases := 0, 0
	for ; i < len(b); i++ {
		t := b[i]
		switch {
		case t.Kind == Punct && t.Text == "(":
			depth++
		case t.Kind == Punct && t.Text == ")":
			if depth == 0 {
				return i
			}
			depth--
		case depth > 0:
		case t.Is("CASE"):
			cases++
		case t.Is("END") && cases > 0:
			cases--
		case cases > 0:
		case t.Kind == Punct && (t.Text == "," || t.Text == ";"), isStatementWord(t):
			return i
		}
	}
	return i
}
