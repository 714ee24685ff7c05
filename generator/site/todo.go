package site

import (
	"sort"
	"strconv"
	"strings"
)

// TODOPrefix starts the placeholder that pchat-hadr import writes for a
// value no deployment can tell (which data center a server is in, whether
// the link is low-latency, a share not configured yet): any string value
// that starts with it, in a key of any type, is a TODO. Validation reports
// each one as an error at its line, so a site with TODOs is never rendered.
const TODOPrefix = "TODO"

// TODO is a placeholder value left in a site file.
type TODO struct {
	Key  string // dotted key path, e.g. servers[2].data_center
	Text string // the value as written, e.g. "TODO: primary or backup"
	Origin
}

// IsTODO reports whether a value is a TODO placeholder.
func IsTODO(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, TODOPrefix)
}

// takeTODOs removes every TODO value from a decoded document, in place,
// and returns them in source order. The rest of the document then loads
// as if the keys were not written: a TODO in a boolean or integer key is
// not a type error, and the problems that follow from the missing value
// are left to validation, which reports the TODO instead.
func takeTODOs(raw map[string]any, origins Origins) []TODO {
	var out []TODO
	var visit func(path string, m map[string]any)
	visit = func(path string, m map[string]any) {
		for k, v := range m {
			p := join(path, k)
			switch x := v.(type) {
			case map[string]any:
				visit(p, x)
			case []map[string]any:
				for i, e := range x {
					visit(p+"["+strconv.Itoa(i)+"]", e)
				}
			case []any:
				for i, e := range x {
					if t, ok := e.(map[string]any); ok {
						visit(p+"["+strconv.Itoa(i)+"]", t)
					}
				}
			default:
				if IsTODO(v) {
					out = append(out, TODO{Key: p, Text: v.(string), Origin: origins.Lookup(p)})
					delete(m, k)
				}
			}
		}
	}
	visit("", raw)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
	return out
}
