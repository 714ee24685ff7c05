package output

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/render"
)

// verifyFiles is the site the Verify tests put on disk: files in the
// folder itself and in subfolders.
var verifyFiles = map[string]string{
	"RUNBOOK.md":       "# Runbook\n\nStep one.\nStep two.\n",
	"sql/a.sql":        "SELECT 1;\nGO\n",
	"sql/deep/c.sql":   "SELECT 3;\nGO\n",
	"ps/b.ps1":         "Write-Host 'b'\n",
	"ps/Check-All.ps1": "param()\nWrite-Host 'check'\n",
}

// verifiedSite writes files (path -> content) and the MANIFEST listing
// them into a new folder, and returns the folder, the MANIFEST's bytes and
// its sum.
func verifiedSite(t *testing.T, files map[string]string) (dir string, man []byte, sum string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "site")
	sums := map[string]string{}
	for p, data := range files {
		write(t, filepath.Join(dir, filepath.FromSlash(p)), data)
		sums[p] = manifest.Sum([]byte(data))
	}
	man = manifest.BuildSums("site.toml", sums)
	write(t, filepath.Join(dir, manifest.Name), string(man))
	return dir, man, manifest.Sum(man)
}

// wantVerified is what Verify returns for a folder holding files as
// listed by a MANIFEST with the sum manSum: the files sorted by path with
// their sums and no bytes, MANIFEST last.
func wantVerified(files map[string]string, manSum string) []render.File {
	var out []render.File
	for p, data := range files {
		out = append(out, render.File{Path: p, Sum: manifest.Sum([]byte(data))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return append(out, render.File{Path: manifest.Name, Sum: manSum})
}

// TestVerifyUpToDate proves that a folder as written verifies: the files
// come back sorted by path with their sums and no bytes, MANIFEST last with
// the sum given; and that Verify changes nothing on disk.
func TestVerifyUpToDate(t *testing.T) {
	dir, _, sum := verifiedSite(t, verifyFiles)
	before := snapshot(t, dir)
	got, ok := Verify(dir, sum)
	if !ok {
		t.Fatal("Verify of an untouched folder = false")
	}
	if want := wantVerified(verifyFiles, sum); !reflect.DeepEqual(got, want) {
		t.Errorf("Verify = %+v\nwant %+v", got, want)
	}
	for _, f := range got {
		if f.Data != nil {
			t.Errorf("%s: Data %q; want nil", f.Path, f.Data)
		}
	}
	if !sort.SliceIsSorted(got[:len(got)-1], func(i, j int) bool { return got[i].Path < got[j].Path }) || got[len(got)-1].Path != manifest.Name {
		t.Errorf("order %v; want sorted by path, MANIFEST last", got)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("Verify changed the folder:\nbefore %v\nafter  %v", before, after)
	}
	if again, ok := Verify(dir, sum); !ok || !reflect.DeepEqual(again, got) {
		t.Errorf("second Verify = %v, %v; want the same as the first", again, ok)
	}
}

// TestVerifyEmptyManifest proves that a MANIFEST listing no file verifies
// to MANIFEST alone.
func TestVerifyEmptyManifest(t *testing.T) {
	dir, _, sum := verifiedSite(t, nil)
	got, ok := Verify(dir, sum)
	if want := []render.File{{Path: manifest.Name, Sum: sum}}; !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Verify = %+v, %v; want %+v, true", got, ok, want)
	}
}

// TestVerifyLargeFiles proves that files larger than Verify's buffers
// (64 KiB for MANIFEST, 32 KiB for files), read one after another into a
// reused buffer, are hashed whole: a large MANIFEST, a large file between
// small ones, and a change in the last byte of the large file.
func TestVerifyLargeFiles(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 350; i++ { // long paths: a MANIFEST of about 70 KB
		files["many/"+strings.Repeat(string(rune('a'+i%26)), 60)+"/"+strings.Repeat("n", 60)+strconv.Itoa(i)+".sql"] = "SELECT " + strconv.Itoa(i) + ";\n"
	}
	big := strings.Repeat("0123456789abcdef", 300<<10/16)
	files["big/huge.sql"] = big
	files["big/small.sql"] = "s\n"
	dir, man, sum := verifiedSite(t, files)
	if len(man) <= 64<<10 {
		t.Fatalf("MANIFEST is %d bytes; want one larger than 64 KiB", len(man))
	}
	got, ok := Verify(dir, sum)
	if !ok || !reflect.DeepEqual(got, wantVerified(files, sum)) {
		t.Fatalf("Verify = %d files, %v; want %d files, true", len(got), ok, len(files)+1)
	}
	write(t, filepath.Join(dir, "big", "huge.sql"), big[:len(big)-1]+"X")
	if _, ok := Verify(dir, sum); ok {
		t.Error("Verify = true with the last byte of a 300 KB file changed")
	}
}

// TestVerifyIgnoresUserFiles proves that files MANIFEST does not list (the
// user's own), anywhere in the folder, do not matter, nor do names that are
// like but are not pchat-hadr's temporary files; none is returned.
func TestVerifyIgnoresUserFiles(t *testing.T) {
	dir, _, sum := verifiedSite(t, verifyFiles)
	for _, p := range []string{
		"NOTES.md",
		"sql/NOTES.md",
		"new/folder/mine.txt",
		".DS_Store",
		".pchat-hadr-.tmp",    // no name between prefix and suffix: not isTemp
		".pchat-hadr-x.tmp~",  // not the suffix
		"pchat-hadr-x.tmp",    // not the prefix
		"sql/.pchat-hadr-x.t", // not the suffix
	} {
		write(t, filepath.Join(dir, filepath.FromSlash(p)), "mine\n")
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, ok := Verify(dir, sum)
	if !ok {
		t.Fatal("Verify = false with the user's files in the folder")
	}
	if want := wantVerified(verifyFiles, sum); !reflect.DeepEqual(got, want) {
		t.Errorf("Verify = %+v\nwant %+v", got, want)
	}
}

// TestVerifyFalse proves that everything that is not the output as written
// makes Verify false, with no files.
func TestVerifyFalse(t *testing.T) {
	cases := []struct {
		name string
		// change alters the folder dir holding verifyFiles and its MANIFEST
		// man with the sum sum, and returns the folder and sum to verify.
		change func(t *testing.T, dir string, man []byte, sum string) (string, string)
	}{
		{"wrong MANIFEST sum", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			return dir, manifest.Sum(append(man, '\n'))
		}},
		{"upper-case MANIFEST sum", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			return dir, strings.ToUpper(sum)
		}},
		{"empty MANIFEST sum", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			return dir, ""
		}},
		{"MANIFEST missing", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, manifest.Name))
			return dir, sum
		}},
		{"MANIFEST edited", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, manifest.Name), string(man)+"# my note\n")
			return dir, sum
		}},
		{"MANIFEST with CRLF line ends", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, manifest.Name), strings.ReplaceAll(string(man), "\n", "\r\n"))
			return dir, sum
		}},
		{"MANIFEST that does not parse, with the sum asked for", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			bad := "# not a manifest\nthis line is not a sum and a path\n"
			write(t, filepath.Join(dir, manifest.Name), bad)
			return dir, manifest.Sum([]byte(bad))
		}},
		{"MANIFEST a folder", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, manifest.Name))
			mkdir(t, filepath.Join(dir, manifest.Name))
			return dir, sum
		}},
		{"a listed file missing", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, "sql", "a.sql"))
			return dir, sum
		}},
		{"a listed folder missing", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			if err := os.RemoveAll(filepath.Join(dir, "ps")); err != nil {
				t.Fatal(err)
			}
			return dir, sum
		}},
		{"a listed file changed by one byte", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "sql", "deep", "c.sql"), "SELECT 4;\nGO\n")
			return dir, sum
		}},
		{"a listed file one byte longer", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "RUNBOOK.md"), verifyFiles["RUNBOOK.md"]+"\n")
			return dir, sum
		}},
		{"a listed file emptied", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "ps", "b.ps1"), "")
			return dir, sum
		}},
		{"a listed file with CRLF line ends", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "RUNBOOK.md"), strings.ReplaceAll(verifyFiles["RUNBOOK.md"], "\n", "\r\n"))
			return dir, sum
		}},
		{"a temporary file in the folder", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, ".pchat-hadr-x.tmp"), "partial")
			return dir, sum
		}},
		{"a temporary file in a subfolder", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "sql", "deep", ".pchat-hadr-x.tmp"), "partial")
			return dir, sum
		}},
		{"a temporary file in a folder of the user's", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, "mine", ".pchat-hadr-123.tmp"), "")
			return dir, sum
		}},
		{"a staged MANIFEST", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			write(t, filepath.Join(dir, pendingPrefix+"42"+tempSuffix), string(man))
			return dir, sum
		}},
		{"the folder missing", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			return filepath.Join(filepath.Dir(dir), "nowhere"), sum
		}},
		{"the folder removed", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			return dir, sum
		}},
		{"the folder a file", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			return filepath.Join(dir, manifest.Name), sum
		}},
		{"the folder empty", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			empty := filepath.Join(filepath.Dir(dir), "empty")
			mkdir(t, empty)
			return empty, sum
		}},
		{"a listed path a folder", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, "sql", "a.sql"))
			mkdir(t, filepath.Join(dir, "sql", "a.sql"))
			return dir, sum
		}},
		{"a listed path a folder holding a file", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, "RUNBOOK.md"))
			write(t, filepath.Join(dir, "RUNBOOK.md", "x"), verifyFiles["RUNBOOK.md"])
			return dir, sum
		}},
		{"a listed file's folder a file", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			if err := os.RemoveAll(filepath.Join(dir, "ps")); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, "ps"), "not a folder\n")
			return dir, sum
		}},
		{"a listed file a dangling link", func(t *testing.T, dir string, man []byte, sum string) (string, string) {
			remove(t, filepath.Join(dir, "ps", "b.ps1"))
			if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "ps", "b.ps1")); err != nil {
				t.Skip("no symbolic links:", err)
			}
			return dir, sum
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, man, sum := verifiedSite(t, verifyFiles)
			if _, ok := Verify(dir, sum); !ok {
				t.Fatal("Verify of the untouched folder = false")
			}
			vdir, vsum := c.change(t, dir, man, sum)
			if got, ok := Verify(vdir, vsum); ok || got != nil {
				t.Errorf("Verify = %v, %v; want nil, false", got, ok)
			}
		})
	}
}

// TestVerifyUnreadable proves that a listed file, or a folder below the
// site's, that cannot be read makes Verify false. Root reads anything, so
// it only runs for other users on unix.
func TestVerifyUnreadable(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no unix permissions")
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root, who can read a file with mode 000")
	}
	for _, p := range []string{"sql/a.sql", "RUNBOOK.md", manifest.Name, "sql/deep", "mine"} {
		t.Run(p, func(t *testing.T) {
			dir, _, sum := verifiedSite(t, verifyFiles)
			full := filepath.Join(dir, filepath.FromSlash(p))
			if p == "mine" { // a folder of the user's: it must be walked for temporary files
				mkdir(t, full)
			}
			if err := os.Chmod(full, 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(full, 0o755) })
			if got, ok := Verify(dir, sum); ok || got != nil {
				t.Errorf("Verify = %v, %v; want nil, false", got, ok)
			}
		})
	}
}

// TestPlanVerifiedSite proves that planSite takes a verified site as is:
// one "unchanged" action per file, in order, no conflict, and nothing read
// or written; and that these are the actions it plans for the same site
// rendered (with the bytes, not verified).
func TestPlanVerifiedSite(t *testing.T) {
	dir, man, files := verifiedWithNotes(t)
	before := snapshot(t, dir)
	verified := Site{Dir: dir, Files: files, Verified: true}
	acts, confl, err := planSite(verified, false)
	if err != nil || confl != nil {
		t.Fatalf("planSite = %v, %v; want no conflict, no error", confl, err)
	}
	if len(acts) != len(files) {
		t.Fatalf("planSite gave %d actions for %d files", len(acts), len(files))
	}
	for i, a := range acts {
		want := Action{Path: filepath.Join(dir, filepath.FromSlash(files[i].Path)), Kind: "unchanged"}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("action %d = %+v; want %+v", i, a, want)
		}
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("planSite changed the folder:\nbefore %v\nafter  %v", before, after)
	}

	rendered := renderedSite(dir, files, man)
	racts, rconflicts, err := planSite(rendered, false)
	if err != nil || rconflicts != nil {
		t.Fatalf("planSite of the rendered site = %v, %v", rconflicts, err)
	}
	if !reflect.DeepEqual(acts, racts) {
		t.Errorf("verified: %+v\nrendered: %+v; want the same", acts, racts)
	}

	// It does not look at the disk at all: the same site with its folder
	// gone is still planned unchanged.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if gone, c, err := planSite(verified, false); err != nil || c != nil || !reflect.DeepEqual(gone, acts) {
		t.Errorf("planSite with the folder gone = %+v, %v, %v; want the same actions", gone, c, err)
	}
	if exists(dir) {
		t.Error("planSite of a verified site made its folder")
	}
}

// renderedSite is the site a render gives for the folder Verify read:
// the same files with their bytes, not verified.
func renderedSite(dir string, files []render.File, man []byte) Site {
	s := Site{Dir: dir}
	for _, f := range files {
		data := []byte(verifyFiles[f.Path])
		if f.Path == manifest.Name {
			data = bytes.Clone(man)
		}
		s.Files = append(s.Files, render.File{Path: f.Path, Data: data, Sum: f.Sum})
	}
	return s
}

// TestCheckVerifiedSite proves that checkSite of a verified site reports
// exactly what it reports for the same site rendered: the user's file as
// untracked, nothing else, with and without diffs; and Check agrees.
func TestCheckVerifiedSite(t *testing.T) {
	dir, man, files := verifiedWithNotes(t)
	verified := Site{Dir: dir, Files: files, Verified: true}
	rendered := renderedSite(dir, files, man)
	want := []Difference{{Path: filepath.Join(dir, "NOTES.md"), Kind: KindUntracked, Reason: "not generated by pchat-hadr"}}
	for _, withDiff := range []bool{false, true} {
		got, err := checkSite(verified, withDiff)
		if err != nil {
			t.Fatal(err)
		}
		unverified, err := checkSite(rendered, withDiff)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, unverified) {
			t.Errorf("withDiff %v: verified %+v\nrendered %+v; want the same", withDiff, got, unverified)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("withDiff %v: checkSite = %+v; want %+v", withDiff, got, want)
		}
		all, err := Check([]Site{verified}, withDiff)
		if err != nil || !reflect.DeepEqual(all, want) {
			t.Errorf("withDiff %v: Check = %+v, %v; want %+v", withDiff, all, err, want)
		}
	}
}

// TestCheckVerifiedSiteNoUserFiles proves that a verified site with no file
// but its own has no difference, as when rendered.
func TestCheckVerifiedSiteNoUserFiles(t *testing.T) {
	dir, man, sum := verifiedSite(t, verifyFiles)
	files, ok := Verify(dir, sum)
	if !ok {
		t.Fatal("Verify = false")
	}
	got, err := checkSite(Site{Dir: dir, Files: files, Verified: true}, true)
	if err != nil || len(got) != 0 {
		t.Errorf("checkSite = %+v, %v; want no difference", got, err)
	}
	if r, err := checkSite(renderedSite(dir, files, man), true); err != nil || len(r) != 0 {
		t.Errorf("checkSite of the rendered site = %+v, %v; want no difference", r, err)
	}
}

func remove(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyLinkedFolderTemporaryFile: a site folder that is a symbolic
// link is not walked by list (it finds only "."), so Verify does not
// vouch for it at all: the site is rendered and compared as before.
func TestVerifyLinkedFolderTemporaryFile(t *testing.T) {
	dir, _, sum := verifiedSite(t, verifyFiles)
	write(t, filepath.Join(dir, "sql", ".pchat-hadr-9.tmp"), "partial")
	link := filepath.Join(t.TempDir(), "linked")
	if err := os.Symlink(dir, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if got, ok := Verify(link, sum); ok {
		t.Errorf("Verify through a link = %d files, true; want false: the folder holds a temporary file", len(got))
	}
}

// verifiedWithNotes is a site folder with a file of the user's beside the
// generated ones, and the files Verify vouches for in it.
func verifiedWithNotes(t *testing.T) (dir string, man []byte, files []render.File) {
	t.Helper()
	dir, man, sum := verifiedSite(t, verifyFiles)
	write(t, filepath.Join(dir, "NOTES.md"), "mine\n")
	files, ok := Verify(dir, sum)
	if !ok {
		t.Fatal("Verify = false")
	}
	return dir, man, files
}
