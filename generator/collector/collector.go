// Package collector renders the collector: the read-only PowerShell script
// that reads a live deployment into a collected document (package
// collect). It is the same for every site, so it takes no site file; it is
// rendered with the function map and encoding of every other script.
package collector

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// Template is the collector's template in the embedded tree.
const Template = "ps/collector/collect.ps1.tmpl"

// FileName is the name the collector is written under.
const FileName = "collect.ps1"

// Data is what the template sees: the document version it writes.
type Data struct {
	SchemaVersion int
	Generator     string
}

// Script renders the collector: UTF-8 with BOM and CRLF, like every .ps1.
func Script() ([]byte, error) {
	return ScriptFrom(templates.FS)
}

// ScriptFrom renders the collector from a template tree. The other
// PowerShell templates are parsed too, for the partials they define.
func ScriptFrom(fsys fs.FS) ([]byte, error) {
	t := template.New("").Funcs(render.Funcs()).Option("missingkey=error")
	var paths []string
	err := fs.WalkDir(fsys, "ps", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmpl") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	for _, p := range paths {
		text, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		if _, err := t.New(p).Parse(string(text)); err != nil {
			return nil, fmt.Errorf("templates/%s: %w", p, err)
		}
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, Template, Data{SchemaVersion: collect.SchemaVersion, Generator: collect.Generator}); err != nil {
		return nil, err
	}
	return render.Encode(FileName, b.Bytes())
}
