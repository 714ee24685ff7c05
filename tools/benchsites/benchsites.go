// Package benchsites makes the many-site inputs that the benchmarks and
// tools/bench-vs-copy measure: copies of the example site, each with a
// name, a pool and hosts of its own, as a rollout of many sites looks.
package benchsites

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"pchat-hadr/templates"
)

// Site is one site file of a benchmark run.
type Site struct {
	File string // base name, e.g. site-0042.toml
	Data []byte
}

// Make returns n distinct sites made from the example: same topology,
// different names, pools, instances and shares (each site's hosts live in
// a DNS subdomain of its own).
func Make(n int) ([]Site, error) {
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		return nil, err
	}
	out := make([]Site, n)
	for i := range out {
		name := fmt.Sprintf("site-%04d", i)
		text := strings.Replace(string(ex), `name = "contoso-na"`, `name = "`+name+`"`, 1)
		text = strings.ReplaceAll(text, ".contoso.com", "."+name+".contoso.com")
		out[i] = Site{File: name + ".toml", Data: []byte(text)}
	}
	return out, nil
}

// Write writes n sites into dir, which it creates.
func Write(dir string, n int) error {
	sites, err := Make(n)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range sites {
		if err := os.WriteFile(filepath.Join(dir, s.File), s.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
