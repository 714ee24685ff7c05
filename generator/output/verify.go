package output

import (
	"os"
	"path"
	"path/filepath"
	"sort"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/render"
)

// Verify reports whether the site folder dir holds, untouched, the output
// whose MANIFEST has the sha256 manifestSum: its MANIFEST has that sum and
// every file it lists is there with the sum listed, and no run left a
// temporary file in it. It then returns the files (paths and sums, in
// MANIFEST's order, MANIFEST last) without their bytes. A site that
// verifies needs nothing written: generate and check would find every
// rendered file equal to the disk. Anything else (a missing or changed
// file, a file that cannot be read, an interrupted run's leftovers) is
// false, and the caller renders the site and compares it as usual.
// The user's own files in the folder do not matter here; a site folder
// that is a symbolic link is never vouched for.
func Verify(dir, manifestSum string) ([]render.File, bool) {
	// A folder reached through a link is not walked (list does not follow
	// links), so its temporary files could not be seen.
	if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
		return nil, false
	}
	disk, err := list(dir, true)
	if err != nil || disk.missing {
		return nil, false
	}
	for _, f := range disk.files {
		if isTemp(path.Base(f)) {
			return nil, false
		}
	}
	var buf []byte
	own, buf, err := readInto(filepath.Join(dir, manifest.Name), buf, 64<<10)
	if err != nil || manifest.Sum(own) != manifestSum {
		return nil, false
	}
	sums, err := manifest.Parse(own)
	if err != nil {
		return nil, false
	}
	files := make([]render.File, 0, len(sums)+1)
	for p, sum := range sums {
		files = append(files, render.File{Path: p, Sum: sum})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		if disk.absent(f.Path) {
			return nil, false
		}
		var cur []byte
		if cur, buf, err = readInto(filepath.Join(dir, filepath.FromSlash(f.Path)), buf, 32<<10); err != nil || manifest.Sum(cur) != f.Sum {
			return nil, false
		}
	}
	return append(files, render.File{Path: manifest.Name, Sum: manifestSum}), true
}
