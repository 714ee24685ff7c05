package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/manifest"
)

// Temporary files: every file a run stages is named tempPrefix*tempSuffix
// beside its target, so that a run interrupted before it renamed them (a
// kill, a power cut) leaves only files the next run recognises as its own.
const (
	tempPrefix = ".pchat-hadr-"
	tempSuffix = ".tmp"
	// pendingPrefix starts the name of a staged MANIFEST. The next run
	// reads such files: after a run was killed while renaming, the files it
	// had renamed match its staged MANIFEST rather than the old one.
	pendingPrefix = tempPrefix + manifest.Name + "-"
)

// isTemp reports whether a file name is one of pchat-hadr's temporary files.
func isTemp(name string) bool {
	return strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix) && len(name) > len(tempPrefix)+len(tempSuffix)
}

// isPending reports whether a file name is a staged MANIFEST.
func isPending(name string) bool { return isTemp(name) && strings.HasPrefix(name, pendingPrefix) }

// owned is what a folder's MANIFESTs say pchat-hadr generated there: the
// sums of its MANIFEST and of the MANIFEST a run staged but did not
// commit. A file matching either is pchat-hadr's.
type owned map[string][]string

// readOwned reads dir's MANIFEST and the MANIFESTs staged there by runs
// that did not finish. A staged MANIFEST that does not parse is ignored:
// it only ever widens what is recognised, and it was never renamed into
// place, so no file depends on it.
func readOwned(dir string) (owned, error) {
	own := owned{}
	cur, err := readManifest(dir)
	for p, sum := range cur {
		own[p] = append(own[p], sum)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !isPending(e.Name()) {
			continue
		}
		data, perr := os.ReadFile(filepath.Join(dir, e.Name()))
		if m, merr := manifest.Parse(data); perr == nil && merr == nil {
			for p, sum := range m {
				own[p] = append(own[p], sum)
			}
		}
	}
	return own, err
}

// listed reports whether MANIFEST lists p at all.
func (o owned) listed(p string) bool { return len(o[p]) > 0 }

// generated reports whether data is what pchat-hadr wrote at p, allowing
// for line ends that git converted (core.autocrlf) since: such a file is
// pchat-hadr's, not edited by hand.
func (o owned) generated(p string, data []byte) bool {
	if len(o[p]) == 0 {
		return false
	}
	variants := [][]byte{data}
	if lf := toLF(data); !bytes.Equal(lf, data) {
		variants = append(variants, lf)
	} else {
		variants = append(variants, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
	}
	for _, v := range variants {
		sum := manifest.Sum(v)
		for _, s := range o[p] {
			if s == sum {
				return true
			}
		}
	}
	return false
}

func toLF(data []byte) []byte { return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")) }

// sameButLineEnds reports whether two texts differ only in CRLF and LF.
func sameButLineEnds(a, b []byte) bool {
	return !bytes.Equal(a, b) && bytes.Equal(toLF(a), toLF(b))
}

// folderFiles lists every file below dir (relative, slash-separated),
// without following links to folders.
func folderFiles(dir string) ([]string, error) {
	l, err := list(dir, true)
	return l.files, err
}

func readManifest(dir string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifest.Name))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return map[string]string{}, fmt.Errorf("cannot read: %s", diag.Cause(err))
	}
	m, err := manifest.Parse(data)
	if err != nil {
		return map[string]string{}, fmt.Errorf("unreadable MANIFEST (%v); without it pchat-hadr cannot tell its files from yours", err)
	}
	return m, nil
}

// renderedFolders returns the site folders the root's rendered MANIFEST
// lists, from the first part of each path, without parsing it into a map
// of every file of the run: pchat-hadr just wrote it, so it is well formed.
func renderedFolders(s Site) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Files {
		if f.Path != manifest.Name {
			continue
		}
		for data := f.Data; len(data) > 0; {
			line, rest, _ := bytes.Cut(data, []byte("\n"))
			data = rest
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			_, p, _ := bytes.Cut(line, []byte("  "))
			if dir, _, ok := bytes.Cut(p, []byte("/")); ok {
				out[string(dir)] = true
			}
		}
	}
	return out
}

// dropped returns the site folders the root's MANIFEST on disk lists and
// the new one does not, that are still there: sites renamed or removed
// from the run.
func dropped(root Site, own owned) []string {
	before := map[string]bool{}
	for p := range own {
		if dir, _, ok := strings.Cut(p, "/"); ok {
			before[dir] = true
		}
	}
	now := renderedFolders(root)
	var out []string
	for _, d := range slices.Sorted(maps.Keys(before)) {
		if now[d] || !safeRel(d) {
			continue
		}
		if info, err := os.Lstat(filepath.Join(root.Dir, d)); err == nil && info.IsDir() {
			out = append(out, d)
		}
	}
	return out
}
