//go:build unix

package e2e

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/output"
	"pchat-hadr/templates"
)

// interruptSites is how many sites the interrupt tests write: enough for
// hundreds of files in flight, few enough to run in a second or two.
const interruptSites = 6

// writeSites writes the sites of a rollout into dir; each version puts the
// hosts in other DNS names, so that nearly every file changes.
func writeSites(t *testing.T, dir, version string) {
	t.Helper()
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range interruptSites {
		name := "site-" + string(rune('a'+i))
		text := strings.Replace(string(ex), `name = "contoso-na"`, `name = "`+name+`"`, 1)
		text = strings.ReplaceAll(text, ".contoso.com", "."+name+"-"+version+".contoso.com")
		if err := os.WriteFile(filepath.Join(dir, name+".toml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// startPaused starts pchat-hadr generate as a process that stops at the
// given event (see pausedEnv) and returns once it has stopped there.
func startPaused(t *testing.T, work, event string, args ...string) (*exec.Cmd, *bytes.Buffer, string) {
	t.Helper()
	sync := filepath.Join(work, "sync-"+strings.ReplaceAll(event, ":", "-"))
	if err := os.MkdirAll(sync, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], append([]string{"generate"}, args...)...)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), pausedEnv+"="+event+":"+sync)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(sync, "paused")); err == nil {
			return cmd, &stderr, sync
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run never reached %s; stderr:\n%s", event, stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// resume lets a paused run go on and returns its exit code.
func resume(t *testing.T, cmd *exec.Cmd, sync string) int {
	t.Helper()
	if err := os.WriteFile(filepath.Join(sync, "resume"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}

// leftovers lists the temporary and lock files below root.
func leftovers(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".pchat-hadr") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// prepared is a work folder where version v1 of the sites was generated
// into out/ and the site files now hold v2.
func prepared(t *testing.T) string {
	t.Helper()
	work := t.TempDir()
	writeSites(t, filepath.Join(work, "sites"), "v1")
	if code, _, stderr := runCLI(t, "generate", "--quiet", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites")); code != cli.ExitOK {
		t.Fatalf("generate v1: %d\n%s", code, stderr)
	}
	writeSites(t, filepath.Join(work, "sites"), "v2")
	return work
}

// finishes proves that the next run, on yet another version of the sites,
// finishes what an interrupted run left, removing its temporary files and
// taking none of its files for hand edits, and that check then passes.
func finishes(t *testing.T, work string) {
	t.Helper()
	out, sites := filepath.Join(work, "out"), filepath.Join(work, "sites")
	writeSites(t, sites, "v3")
	if code, stdout, stderr := runCLI(t, "generate", "--out", out, sites); code != cli.ExitOK {
		t.Fatalf("the next generate: exit %d\n%s%s", code, stdout, stderr)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("the next generate left %v", left)
	}
	if code, stdout, _ := runCLI(t, "check", "--out", out, sites); code != cli.ExitOK {
		t.Errorf("check after the next generate: exit %d\n%s", code, stdout)
	}
}

// TestInterruptCleansUp proves that Ctrl-C or SIGTERM while files are
// being staged stops the run with exit code 2 and leaves the output
// exactly as it was: no temporary file, no lock.
func TestInterruptCleansUp(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			work := prepared(t)
			out := filepath.Join(work, "out")
			before := readTree(t, out)
			cmd, stderr, sync := startPaused(t, work, "staged:120", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites"))
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := resume(t, cmd, sync); code != cli.ExitBadInput || !strings.Contains(stderr.String(), "interrupted; nothing was written") {
				t.Fatalf("exit %d, stderr:\n%s\nwant 2 and interrupted", code, stderr.String())
			}
			if left := leftovers(t, out); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			after := readTree(t, out)
			if len(after) != len(before) {
				t.Errorf("the tree had %d files, has %d", len(before), len(after))
			}
			for p, data := range before {
				if !bytes.Equal(after[p], data) {
					t.Errorf("%s changed", p)
				}
			}
		})
	}
}

// TestKillWhileStaging proves that a run killed outright while staging
// (kill -9, a power cut) leaves only files the next run removes.
func TestKillWhileStaging(t *testing.T) {
	work := prepared(t)
	cmd, _, sync := startPaused(t, work, "staged:120", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites"))
	cmd.Process.Kill()
	resume(t, cmd, sync)
	if len(leftovers(t, filepath.Join(work, "out"))) < 2 {
		t.Fatal("the killed run left no temporary files and no lock; the test proves nothing")
	}
	finishes(t, work)
}

// TestKillWhileRenaming proves that a run killed during its final renames,
// when some files hold the new content and the MANIFESTs the old, does not
// make the next run call pchat-hadr's own files "edited by hand".
func TestKillWhileRenaming(t *testing.T) {
	work := prepared(t)
	cmd, _, sync := startPaused(t, work, "committed:150", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites"))
	cmd.Process.Kill()
	resume(t, cmd, sync)
	finishes(t, work)
}

// TestSignalWhileRenaming proves that SIGTERM during the final renames
// lets them finish: the run succeeds and the tree is complete.
func TestSignalWhileRenaming(t *testing.T) {
	work := prepared(t)
	cmd, stderr, sync := startPaused(t, work, "committed:150", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites"))
	cmd.Process.Signal(syscall.SIGTERM)
	if code := resume(t, cmd, sync); code != cli.ExitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if code, stdout, _ := runCLI(t, "check", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites")); code != cli.ExitOK {
		t.Errorf("check: exit %d\n%s", code, stdout)
	}
}

// TestConcurrentRuns proves that a second run on an output root that a
// live run is writing is refused with a clear message (and check waits
// for it too), and that the lock of a run killed outright is taken over.
func TestConcurrentRuns(t *testing.T) {
	work := prepared(t)
	out, sites := filepath.Join(work, "out"), filepath.Join(work, "sites")
	cmd, _, sync := startPaused(t, work, "staged:120", "--out", filepath.Join(work, "out"), filepath.Join(work, "sites"))
	code, _, stderr := runCLI(t, "generate", "--out", out, sites)
	want := "is being written by another pchat-hadr run (process " + strconv.Itoa(cmd.Process.Pid) + ")"
	if code != cli.ExitBadInput || !strings.Contains(stderr, want) {
		t.Errorf("second generate: exit %d, stderr:\n%s\nwant 2 and %q", code, stderr, want)
	}
	if code, _, stderr := runCLI(t, "check", "--out", out, sites); code != cli.ExitBadInput || !strings.Contains(stderr, "is being written by a pchat-hadr generate run") {
		t.Errorf("check during generate: exit %d, stderr:\n%s", code, stderr)
	}
	cmd.Process.Kill()
	resume(t, cmd, sync)
	if _, err := os.Stat(filepath.Join(out, output.LockName)); err != nil {
		t.Fatal("the killed run left no lock; the test proves nothing")
	}
	finishes(t, work)
}
