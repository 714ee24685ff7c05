package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Difference is one file whose bytes on disk are not what would be rendered.
type Difference struct {
	Path string // full path on disk
	Kind string // "changed", "missing" or "orphaned"
	Diff string // unified diff for a changed text file
}

// Check compares rendered sites with the disk and returns the differences
// in path order. Orphaned files are files in a site's folder that rendering
// does not produce, whoever wrote them.
func Check(sites []Site, withDiff bool) ([]Difference, error) {
	var out []Difference
	for _, s := range sites {
		want := map[string][]byte{}
		for _, f := range s.Files {
			want[filepath.Join(s.Dir, filepath.FromSlash(f.Path))] = f.Data
		}
		for p, data := range want {
			cur, err := os.ReadFile(p)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				out = append(out, Difference{Path: p, Kind: "missing"})
			case err != nil:
				return nil, err
			case string(cur) != string(data):
				d := Difference{Path: p, Kind: "changed"}
				if withDiff {
					d.Diff = unified(p, cur, data)
				}
				out = append(out, d)
			}
		}
		if s.Shallow {
			continue
		}
		err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == s.Dir {
				return filepath.SkipDir
			}
			if err != nil || d.IsDir() {
				return err
			}
			if _, ok := want[p]; !ok {
				out = append(out, Difference{Path: p, Kind: "orphaned"})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func unified(path string, disk, want []byte) string {
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        splitLines(string(disk)),
		B:        splitLines(string(want)),
		FromFile: path + " (on disk)",
		ToFile:   path + " (generated)",
		Context:  3,
	})
	if err != nil {
		return err.Error()
	}
	return d
}

// splitLines keeps line ends for the diff and marks a missing final one the
// way diff(1) does; difflib.SplitLines would add an empty line instead.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		return lines[:len(lines)-1]
	}
	lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	return lines
}
