package site

import (
	"bytes"
	"strings"

	"github.com/BurntSushi/toml"
)

// merge lays over on top of base: tables merge key by key; any other value
// in over (scalars and arrays, arrays of tables included) replaces base's.
// Origins follow the values, so each key is reported where it was written.
func merge(base, over doc) doc {
	out := doc{raw: mergeTables(base.raw, over.raw), origins: Origins{}}
	for k, o := range base.origins {
		if !replaced(k, base.raw, over.raw) {
			out.origins[k] = o
		}
	}
	for k, o := range over.origins {
		out.origins[k] = o
	}
	return out
}

func mergeTables(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bt, bok := base[k].(map[string]any)
		ot, ook := v.(map[string]any)
		if bok && ook {
			out[k] = mergeTables(bt, ot)
			continue
		}
		out[k] = v
	}
	return out
}

// replaced reports whether the base key path lies under a value that over
// replaces (rather than a table it merges into).
func replaced(path string, base, over map[string]any) bool {
	b, o := base, over
	for _, part := range strings.Split(path, ".") {
		name, _, _ := strings.Cut(part, "[")
		ov, inOver := o[name]
		if !inOver {
			return false
		}
		bt, bok := b[name].(map[string]any)
		ot, ook := ov.(map[string]any)
		if !bok || !ook || strings.Contains(part, "[") {
			return true
		}
		b, o = bt, ot
	}
	return false
}

// encode writes a merged document as TOML, for the typed decoder and for
// show. BurntSushi/toml sorts map keys, so the text is deterministic.
func encode(raw map[string]any) (string, error) {
	var b bytes.Buffer
	enc := toml.NewEncoder(&b)
	enc.Indent = ""
	if err := enc.Encode(raw); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Effective returns the merged site as TOML, without the extends key that
// the merge has used up.
func (l *Loaded) Effective() (string, error) {
	doc := make(map[string]any, len(l.Merged))
	for k, v := range l.Merged {
		if k != "extends" {
			doc[k] = v
		}
	}
	return encode(doc)
}

// IsDefaults reports whether a file names no site: it parses and has no
// site.name. A file that does not parse is treated as a site, so that its
// errors are reported.
func IsDefaults(data []byte) bool {
	named, _, ok := Probe(data)
	return ok && !named
}

// Probe reads just enough of a site file to place it in a run: whether it
// names a site, and the file it extends ("" for none). ok is false when it
// does not decode; loading it then reports why.
func Probe(data []byte) (named bool, extends string, ok bool) {
	var probe struct {
		Extends any `toml:"extends"`
		Site    struct {
			Name *string `toml:"name"`
		} `toml:"site"`
	}
	text, err := Decode(data)
	if err != nil {
		return false, "", false
	}
	if _, err := toml.Decode(text, &probe); err != nil {
		return false, "", false
	}
	extends, _ = probe.Extends.(string)
	return probe.Site.Name != nil, extends, true
}

// Compact drops what only loading, validation and show need (the merged
// document and key positions), once a site is valid: a run of a thousand
// sites holds every site until all are rendered.
func (l *Loaded) Compact() {
	l.Merged, l.origins = nil, nil
}
