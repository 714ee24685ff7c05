package schema

import (
	"fmt"
	"reflect"
	"strings"
)

// Refresh is the command that rewrites the generated documents.
const Refresh = "PCHAT_HADR_UPDATE=1 go test ./generator/cli -run TestDocs"

// Markdown is the key reference written to docs/site-schema.md.
func Markdown() []byte {
	root := Root()
	var b strings.Builder
	b.WriteString("# Site file reference\n\n")
	fmt.Fprintf(&b, "<!-- Generated from generator/site/types.go by generator/schema; do not edit. Refresh: %s -->\n\n", Refresh)
	b.WriteString(`Every key of a site file (schema_version 1), table by table. ` + "`pchat-hadr example`" + ` prints a
complete site with every key commented; ` + "`pchat-hadr validate`" + ` checks a site file.

Editors that read JSON Schema, such as VS Code with Even Better TOML (Taplo), check a site file as it
is typed and complete its keys: save the schema beside the site files with
` + "`pchat-hadr schema > site.schema.json`" + ` and start each site file with the line
` + "`#:schema ./site.schema.json`" + `. A defaults file that extends nothing and names no site is not a
complete site; leave the line out of it (see [Required](#columns)).

## Columns

- **Key**: the dotted path. ` + "`sql.<role>.port`" + ` is ` + "`port`" + ` in each of the instance tables of [[sql]](#sql);
  ` + "`servers[].fqdn`" + ` is ` + "`fqdn`" + ` in each ` + "`[[servers]]`" + ` table.
- **Default**: the value a key that is left out takes.
- **Required**: *yes* when a complete site must have the key. A file with ` + "`extends`" + ` may leave
  any key to the file it extends; the keys of the elements of an array of tables
  (` + "`[[servers]]`, `[[sql.<role>.move]]`" + `) are required in every element, since an array replaces the
  defaults' array as a whole.
- **Used by**: the output folders (script families), ` + "`RUNBOOK.md`" + ` (runbook) and ` + "`ROLLOUT.md`" + `
  (rollout) whose content depends on the key; *validation only* for keys that only decide what is
  accepted.

`)
	sections(&b, root, map[reflect.Type]bool{})
	b.WriteString("## Rules across keys\n\n")
	b.WriteString("Besides each key's own type, values and form, the schema checks:\n\n")
	for _, r := range Expressed {
		fmt.Fprintf(&b, "- %s\n", r)
	}
	b.WriteString("\nOnly `pchat-hadr validate` checks:\n\n")
	for _, r := range NotExpressed {
		fmt.Fprintf(&b, "- %s\n", r)
	}
	return []byte(b.String())
}

// sections writes the table of k's keys, then a section per table below.
func sections(b *strings.Builder, k *Key, done map[reflect.Type]bool) {
	heading := "Top level"
	switch {
	case k.Kind == Array:
		heading = "[[" + sectionPath(k) + "]]"
	case k.Path != "":
		heading = "[" + sectionPath(k) + "]"
	}
	fmt.Fprintf(b, "## %s\n\n", text(heading))
	if _, shared := placeholders[k.Type]; shared {
		fmt.Fprintf(b, "The keys of every table of type *table* in [[%s]](#%s): one table per role.\n\n", parentPath(k), anchor("["+parentPath(k)+"]"))
	} else if d := k.Doc(); d != "" {
		fmt.Fprintf(b, "%s\n\n", text(d))
	}
	b.WriteString("| Key | Type | Default | Allowed values | Required | Used by | Description |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, c := range k.Keys {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			keyCell(c), c.Kind, defaultCell(c), allowedCell(c), requiredCell(c), usedCell(c), text(c.Doc()))
	}
	b.WriteString("\n")
	for _, c := range k.Keys {
		if c.Kind != Table && c.Kind != Array {
			continue
		}
		if _, shared := placeholders[c.Type]; shared {
			if done[c.Type] {
				continue
			}
			done[c.Type] = true
		}
		sections(b, c, done)
	}
}

// sectionPath is the path of a table's keys: sql.<role> for every role.
func sectionPath(k *Key) string {
	if len(k.Keys) > 0 {
		p := k.Keys[0].Path
		p = p[:strings.LastIndex(p, ".")]
		return strings.TrimSuffix(p, "[]")
	}
	return k.Path
}

func parentPath(k *Key) string {
	i := strings.LastIndex(k.Path, ".")
	if i < 0 {
		return ""
	}
	return k.Path[:i]
}

// anchor is the GitHub anchor of a heading.
func anchor(heading string) string {
	var out strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			out.WriteRune(r)
		case r == ' ':
			out.WriteByte('-')
		}
	}
	return out.String()
}

func keyCell(k *Key) string {
	cell := code(k.Path)
	switch k.Kind {
	case Table:
		cell = fmt.Sprintf("[%s](#%s)", cell, anchor("["+sectionPath(k)+"]"))
	case Array:
		cell = fmt.Sprintf("[%s](#%s)", cell, anchor("[["+sectionPath(k)+"]]"))
	}
	return cell
}

func defaultCell(k *Key) string {
	if d := k.Tag("defaultdoc"); d != "" {
		return code(d)
	}
	d, ok := k.Default()
	if !ok {
		return ""
	}
	if s, isString := d.(string); isString {
		return code(fmt.Sprintf("%q", s))
	}
	return code(fmt.Sprint(d))
}

// allowed describes a key's values in words, for both documents.
func allowed(k *Key) []string {
	var out []string
	if r, ok := roleOf(k); ok {
		out = append(out, fmt.Sprintf("data_center = `%s`", r.DataCenter))
	}
	if e := k.Enum(); len(e) > 0 {
		vals := make([]string, len(e))
		for i, v := range e {
			if k.Kind == String {
				v = fmt.Sprintf("%q", v)
			}
			vals[i] = "`" + v + "`"
		}
		out = append(out, strings.Join(vals, ", "))
	}
	minV, hasMin := k.intTag("min")
	maxV, hasMax := k.intTag("max")
	switch {
	case hasMin && hasMax:
		out = append(out, fmt.Sprintf("%d-%d", minV, maxV))
	case hasMin:
		out = append(out, fmt.Sprintf("at least %d", minV))
	case hasMax:
		out = append(out, fmt.Sprintf("at most %d", maxV))
	}
	if syn, ok := syntaxOf(k); ok {
		t := syn.Text
		if strings.Contains(syn.Not, noExpansion) {
			t += "; never `$(`"
		}
		out = append(out, t)
	}
	if n, ok := k.intTag("maxlen"); ok {
		out = append(out, fmt.Sprintf("at most %d characters", n))
	}
	if n, ok := k.intTag("maxitems"); ok {
		out = append(out, fmt.Sprintf("at most %d", n))
	}
	return out
}

func allowedCell(k *Key) string { return text(strings.Join(allowed(k), "; ")) }

func requiredCell(k *Key) string {
	if k.Required() {
		return "yes"
	}
	return ""
}

func usedCell(k *Key) string {
	u := k.Used()
	if len(u) == 0 {
		return "validation only"
	}
	return strings.Join(u, ", ")
}

// code is a code span, with | escaped for a table cell.
func code(s string) string {
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// text escapes prose for a table cell: outside code spans, backslashes,
// angle brackets, asterisks and pipes are literal; inside, only pipes
// need escaping.
func text(s string) string {
	parts := strings.Split(s, "`")
	for i, p := range parts {
		if i%2 == 1 {
			parts[i] = strings.ReplaceAll(p, "|", `\|`)
			continue
		}
		parts[i] = strings.NewReplacer(`\`, `\\`, "<", `\<`, "*", `\*`, "|", `\|`).Replace(p)
	}
	return strings.Join(parts, "`")
}
