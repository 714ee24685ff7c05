package validate

import (
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// dependents names, for a key whose value rules on others, the keys whose
// problems a TODO there makes meaningless: without low_latency_link nobody
// can say where active servers may run, nor without
// allow_unsupported_version whether the version is accepted.
var dependents = map[string][]string{
	"data_centers.low_latency_link": {"servers"},
	"sql.allow_unsupported_version": {"sql.version"},
}

// todos reports every TODO placeholder (see site.TODOPrefix) as an error at
// its line, "TODO: fill in ...", and drops the problems that only follow
// from the value being missing: those on the key itself, on the tables that
// hold it, on the other keys of its [[servers]] entry, and on the keys that
// depend on it. What import writes therefore validates with the TODOs as
// the only errors; once they are filled in, every rule applies again.
func (v *checker) todos() {
	todos := v.l.TODOs
	if len(todos) == 0 {
		return
	}
	kept := v.probs[:0]
	for _, p := range v.probs {
		if p.Severity == diag.Warning || !hiddenByTODO(p.Key, todos) {
			kept = append(kept, p)
		}
	}
	v.probs = kept
	for _, t := range todos {
		v.probs = append(v.probs, diag.Problem{File: t.File, Line: t.Line, Col: t.Col, Key: t.Key, Message: todoMessage(t)})
	}
}

func todoMessage(t site.TODO) string {
	what := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t.Text, site.TODOPrefix), ":"))
	if what == "" {
		what = "this value"
	}
	return "TODO: fill in " + what
}

func hiddenByTODO(key string, todos []site.TODO) bool {
	for _, t := range todos {
		switch {
		case key == t.Key, strings.HasPrefix(t.Key, key+"."), strings.HasPrefix(t.Key, key+"["):
			return true
		case sameElement(key, t.Key):
			return true
		}
		for _, d := range dependents[t.Key] {
			if key == d || strings.HasPrefix(key, d+".") || strings.HasPrefix(key, d+"[") {
				return true
			}
		}
	}
	return false
}

// sameElement reports whether two keys belong to one element of an array
// of tables: servers[2].active and servers[2].data_center.
func sameElement(a, b string) bool {
	i := strings.LastIndex(a, "].")
	return i > 0 && strings.HasPrefix(b, a[:i+2])
}
