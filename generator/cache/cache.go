// Package cache remembers, outside the output tree, what each site's
// inputs render to: a map from a site's key (pipeline.Key: the binary, its
// templates, the site file's name and the site as loaded) to the sha256 of
// the MANIFEST that rendering gave. With it, generate and check of a site
// whose inputs did not change verify the files on disk against that
// MANIFEST (output.Verify) instead of rendering the site again. An entry is
// a fact about the renderer, true whatever is on disk, so it is recorded
// as soon as a site renders and is never invalidated: a new binary or new
// templates make new keys. A cache that cannot be read or written only
// costs time: every site is then rendered.
//
// One file per binary, in the user's cache folder (like GOCACHE):
// sums-<binary id>, a header line and then "key sum" lines sorted by key.
// Files of other binaries are removed once more than keepBinaries exist.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Env names the environment variable that sets the cache folder; "off"
// turns the cache off.
const Env = "PCHAT_HADR_CACHE"

const (
	header       = "# pchat-hadr cache 1: site key, sha256 of the MANIFEST it renders\n"
	prefix       = "sums-"
	keepBinaries = 4
	// maxEntries bounds a file: past it, only the entries of the last run
	// are kept (10,000 sites make 1.3 MB).
	maxEntries = 200000
)

// Dir returns the cache folder: $PCHAT_HADR_CACHE, or pchat-hadr in the
// user's cache folder; ok is false when the cache is off or there is no
// such folder.
func Dir() (dir string, ok bool) {
	switch v := os.Getenv(Env); v {
	case "off":
		return "", false
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", false
		}
		return filepath.Join(base, "pchat-hadr"), true
	default:
		return v, true
	}
}

// BinaryID identifies the running executable: any change to the code or
// the built-in templates changes it. It is the sha256 of the executable's
// Go build ID, whose last part the go command sets to a hash of the linked
// file (`go tool buildid` prints it): read from the ELF note or, on other
// systems, from the marker in the first 64 KB. A file without one (built
// with -ldflags=-buildid=, or not by the go command) is hashed whole,
// which costs 8 ms for this 13 MB binary against 0.1 ms for the build ID,
// a twelfth of a one-site run. On Linux it reads /proc/self/exe, the file
// the process runs even after a new version was installed at its path;
// os.Executable names the path, whose file would then be the new
// version's, and this run's output would be recorded as that version's.
func BinaryID() (string, error) {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, xerr := os.Executable()
		if xerr != nil {
			return "", xerr
		}
		if f, err = os.Open(exe); err != nil {
			return "", err
		}
	}
	defer f.Close()
	return idOf(f)
}

// idOf is BinaryID of the executable read from f.
func idOf(f io.ReadSeeker) (string, error) {
	id, ok := buildID(f)
	if ok {
		sum := sha256.Sum256([]byte(buildIDTag + id))
		return hex.EncodeToString(sum[:]), nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

const (
	// buildIDWindow is how much of a file that is not ELF is searched for
	// the marker: the linker writes it at the start of the text.
	buildIDWindow = 64 << 10
	// buildIDTag keeps a build ID's hash apart from any file's hash.
	buildIDTag = "go build ID\n"
	// goNote is the ELF note the go linker writes the build ID in.
	goNote = ".note.go.buildid"
)

// buildID reads the Go build ID of the executable f: the ELF note
// .note.go.buildid (name "Go", type 4), or else the marker
// \xff Go build ID: "<id>"\n \xff near the start of the file.
func buildID(f io.ReadSeeker) (string, bool) {
	if ra, ok := f.(io.ReaderAt); ok {
		if ef, err := elf.NewFile(ra); err == nil {
			sec := ef.Section(goNote)
			if sec == nil || sec.Size > 4096 {
				return "", false
			}
			note, err := sec.Data()
			if err != nil {
				return "", false
			}
			return elfNoteID(note, ef.ByteOrder)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", false
	}
	head := make([]byte, buildIDWindow)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return "", false
	}
	const start, end = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head[:n], []byte(start))
	if i < 0 {
		return "", false
	}
	rest := head[i+len(start) : n]
	j := bytes.Index(rest, []byte(end))
	if j < 0 {
		return "", false
	}
	return wellFormed(string(rest[:j]))
}

// elfNoteID reads the build ID from the note's bytes: name size 4, its
// size, type 4, "Go\x00\x00", then the id.
func elfNoteID(note []byte, order binary.ByteOrder) (string, bool) {
	if len(note) < 16 || order.Uint32(note) != 4 || order.Uint32(note[8:]) != 4 || string(note[12:16]) != "Go\x00\x00" {
		return "", false
	}
	size := order.Uint32(note[4:])
	if uint64(size) > uint64(len(note)-16) {
		return "", false
	}
	return wellFormed(string(note[16 : 16+size]))
}

// wellFormed accepts an id of the form the go command writes into an
// executable it links: four parts of 20 base64url letters, the last a hash
// of the linked file. An id given with -ldflags=-buildid=... is kept as
// given, whatever the code, so any other form is refused (and the file
// hashed whole), and so is every id when the build settings show such a
// flag (see forcedBuildID).
func wellFormed(id string) (string, bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 4 || forcedBuildID() {
		return "", false
	}
	for _, p := range parts {
		if len(p) != 20 {
			return "", false
		}
		for _, c := range p {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return id, true
}

// forcedBuildID reports whether this binary's recorded build settings
// give -buildid in -ldflags (not recorded with -trimpath: the id's form is
// the check that always applies).
var forcedBuildID = func() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, st := range info.Settings {
		if st.Key == "-ldflags" && strings.Contains(st.Value, "-buildid") {
			return true
		}
	}
	return false
}

// Store is the cache of one binary for one run. It is safe for concurrent
// use.
type Store struct {
	file string
	mu   sync.Mutex
	have map[string]string // read from the file
	used map[string]string // found or recorded in this run
	put  bool              // something new to save
}

// Open reads the cache of binary (an id from BinaryID) in dir. It never
// fails: a missing or unreadable cache is empty.
func Open(dir, binary string) *Store {
	s := &Store{file: filepath.Join(dir, prefix+binary), used: map[string]string{}}
	s.have, _ = read(s.file)
	return s
}

// Get returns the MANIFEST sum recorded for key.
func (s *Store) Get(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum, ok := s.have[key]
	if ok {
		s.used[key] = sum
	}
	return sum, ok
}

// Put records that key renders to a MANIFEST with the sha256 sum. Both
// are 64 lower-case hex digits; anything else is not recorded (the file
// could not be read back).
func (s *Store) Put(key, sum string) {
	if !isSum(key) || !isSum(sum) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.have[key] != sum {
		s.put = true
	}
	s.used[key] = sum
}

// Save writes what this run recorded, merged with what other runs saved
// meanwhile, atomically (a temporary file renamed over the cache), and
// removes the caches of all but the newest binaries. Runs saving at once
// may lose each other's entries: those sites are rendered once more.
func (s *Store) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.put {
		return nil
	}
	dir := filepath.Dir(s.file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	all, _ := read(s.file)
	if all == nil {
		all = map[string]string{}
	}
	for k, v := range s.used {
		all[k] = v
	}
	if len(all) > maxEntries {
		all = maps.Clone(s.used)
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.Grow(len(header) + len(keys)*130)
	b.WriteString(header)
	for _, k := range keys {
		b.WriteString(k + " " + all[k] + "\n")
	}
	tmp, err := os.CreateTemp(dir, ".tmp-"+prefix+"*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b.Bytes())
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.file)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return werr
	}
	s.have, s.put = all, false
	prune(dir, filepath.Base(s.file))
	return nil
}

// read parses a cache file; a line that is not "key sum" (64 hex digits
// each) ends it, so a damaged file only loses entries.
func read(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(header)) {
		return nil, errors.New("not a pchat-hadr cache")
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data[len(header):]))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if !ok || !isSum(k) || !isSum(v) {
			break
		}
		out[k] = v
	}
	return out, nil
}

func isSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// prune removes the cache files of binaries other than keep's and the
// newest keepBinaries-1 others, and temporary files of Saves a day old;
// only regular files named like ours are touched.
func prune(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type old struct {
		name string
		mod  int64
	}
	var others []old
	for _, e := range entries {
		n := e.Name()
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		// A Save killed before its rename leaves its temporary file.
		if strings.HasPrefix(n, ".tmp-"+prefix) && time.Since(info.ModTime()) > 24*time.Hour {
			os.Remove(filepath.Join(dir, n))
		}
		if n == keep || !strings.HasPrefix(n, prefix) || !isSum(strings.TrimPrefix(n, prefix)) {
			continue
		}
		others = append(others, old{n, info.ModTime().UnixNano()})
	}
	sort.Slice(others, func(i, j int) bool { return others[i].mod > others[j].mod })
	for i := keepBinaries - 1; i < len(others); i++ {
		os.Remove(filepath.Join(dir, others[i].name))
	}
}
