package tsqlcheck

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Signature is one procedure's documented parameters.
type Signature struct {
	Name   string  // as written in the catalogue: msdb.dbo.sp_add_schedule
	DB     string  // database part of Name, "" if unqualified
	Params []Param // in catalogue order
}

// Param is one parameter, or a group of alternatives of which at most one
// may be passed (sp_attach_schedule's @job_id|@job_name).
type Param struct {
	Names    []string // lower case, with @
	Required bool     // one of Names must be passed
}

// Catalogue maps a procedure's own name (last name part, lower case) to its
// signature. Refused lists parameter names that exist but must never be
// passed, with the reason, so the report can say why.
type Catalogue struct {
	Procs   map[string]*Signature
	Refused map[string]string
}

// ParseCatalogue reads the catalogue format: one procedure per line, its
// qualified name then its parameters; "@p!" is required, "@a|@b" is one of
// two, "#" starts a comment, and "refuse @p... : reason" names parameters
// that no call may pass.
func ParseCatalogue(data []byte) (Catalogue, error) {
	cat := Catalogue{Procs: map[string]*Signature{}, Refused: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "refuse" {
			names, reason, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "refuse"), ":")
			if !ok {
				return cat, fmt.Errorf("line %d: refuse needs \": reason\"", n)
			}
			for _, p := range strings.Fields(names) {
				cat.Refused[strings.ToLower(p)] = strings.TrimSpace(reason)
			}
			continue
		}
		sig := &Signature{Name: fields[0]}
		parts := strings.Split(fields[0], ".")
		if len(parts) == 3 {
			sig.DB = parts[0]
		}
		for _, f := range fields[1:] {
			p := Param{Required: strings.HasSuffix(f, "!")}
			for _, name := range strings.Split(strings.TrimSuffix(f, "!"), "|") {
				if !strings.HasPrefix(name, "@") || len(name) < 2 {
					return cat, fmt.Errorf("line %d: %q is not a parameter name", n, name)
				}
				p.Names = append(p.Names, strings.ToLower(name))
			}
			sig.Params = append(sig.Params, p)
		}
		key := strings.ToLower(parts[len(parts)-1])
		if cat.Procs[key] != nil {
			return cat, fmt.Errorf("line %d: %s is catalogued twice", n, key)
		}
		cat.Procs[key] = sig
	}
	return cat, sc.Err()
}

// CheckSignatures checks every EXEC of a catalogued procedure in src: each
// argument is passed by name, names a documented parameter, and appears
// once; required parameters are all there; the database matches the
// catalogue's (msdb procedures fail when called unqualified from master).
// Calls of procedures not in the catalogue are not checked.
func CheckSignatures(name string, src []byte, cat Catalogue) []Problem {
	var probs ProblemList
	toks, _ := lex(src) // lexical problems are Check's to report
	for _, b := range batches(toks) {
		calls, _ := parseCalls(b)
		for _, c := range calls {
			if sig := cat.Procs[strings.ToLower(c.parts[len(c.parts)-1])]; sig != nil {
				checkCall(c, sig, cat.Refused, &probs)
			}
		}
	}
	return probs.sorted(name)
}

func checkCall(c call, sig *Signature, refused map[string]string, probs *ProblemList) {
	proc := c.parts[len(c.parts)-1]
	if sig.DB != "" && (len(c.parts) < 3 || !strings.EqualFold(c.parts[len(c.parts)-3], sig.DB)) {
		probs.at(c.name, "call %s as %s: it lives in %s", proc, sig.Name, sig.DB)
	}
	index := map[string]int{} // parameter name -> its Param
	for i, p := range sig.Params {
		for _, n := range p.Names {
			index[n] = i
		}
	}
	passed := map[string]Token{}
	groups := map[int]Token{}
	for n, a := range c.args {
		if a.param.Kind == 0 {
			probs.at(a.value, "argument %d of %s is passed by position; pass it by name (@param = value)", n+1, proc)
			continue
		}
		key := strings.ToLower(a.param.Text)
		i, known := index[key]
		switch {
		case refused[key] != "":
			probs.at(a.param, "%s must not be passed to %s: %s", a.param.Text, proc, refused[key])
			continue
		case !known:
			probs.at(a.param, "%s has no parameter %s", proc, a.param.Text)
			continue
		case passed[key].Line > 0:
			probs.at(a.param, "%s is passed twice to %s", a.param.Text, proc)
		case groups[i].Line > 0:
			probs.at(a.param, "%s and %s exclude each other in %s; pass one", groups[i].Text, a.param.Text, proc)
		case a.param.Text != key:
			// Catalogue names are lower case, as documented; a case-sensitive
			// server collation would not find @Database.
			probs.at(a.param, "write %s as %s", a.param.Text, key)
		}
		passed[key], groups[i] = a.param, a.param
	}
	for i, p := range sig.Params {
		if p.Required && groups[i].Line == 0 {
			probs.at(c.name, "%s needs %s", proc, strings.Join(p.Names, " or "))
		}
	}
}
