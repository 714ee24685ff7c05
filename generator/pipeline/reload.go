package pipeline

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// HoldSites is how many valid sites a rendering run keeps in memory from
// validation to rendering; the sites after them are dropped once validated
// and loaded again from their files to render. Validating 10,000 sites
// and keeping them left a live heap of about 90 MB; loading one again
// costs about 1 ms. Tests set it to 0 to load every site twice.
var HoldSites = 1000

// sources is the sha256 of every file a site was loaded from (the site file
// and each file it extends, in the order read, each with its name), so a
// site loaded again can be shown to come from the same bytes: same bytes,
// same site, same problems, since loading and validation read nothing else.
type sources [sha256.Size]byte

// hashingReader returns a Reader that reads through read and adds each
// file it returns to h.
func hashingReader(h hash.Hash, read site.Reader) site.Reader {
	if read == nil {
		return nil
	}
	return func(p string) ([]byte, error) {
		data, err := read(p)
		if err == nil {
			addSource(h, p, data)
		}
		return data, err
	}
}

// addSource adds one file to h, its name and bytes each behind its length
// so that no two lists of files hash the same.
func addSource(h hash.Hash, name string, data []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(name)))
	h.Write(n[:])
	h.Write([]byte(name))
	binary.BigEndian.PutUint64(n[:], uint64(len(data)))
	h.Write(n[:])
	h.Write(data)
}

// loadWithSum is site.Load that also sums every file it read (sources).
func loadWithSum(file string, data []byte, read site.Reader) (*site.Loaded, diag.List, sources) {
	h := sha256.New()
	addSource(h, file, data)
	l, probs := site.Load(file, data, hashingReader(h, read))
	var sum sources
	h.Sum(sum[:0])
	return l, probs, sum
}

// droppable tells whether the site of input i may be dropped after
// validation: it must be read again from its file, so a site given as
// bytes (the example, a pipe) is held.
func droppable(in Input, i int) bool {
	return i >= HoldSites && in.Data == nil && in.Read != nil
}

// reload loads a dropped site again, as validation loaded it. A file that
// changed since validation (edited, replaced, or extending another file
// now) is an error, not a site validated in one form and rendered in
// another.
func reload(in Input, want sources) (*site.Loaded, error) {
	changed := func(why string) error {
		return fmt.Errorf("%s: %s after this run validated it; the output was left as it was: run the command again", in.File, why)
	}
	data, err := in.Read(in.File)
	if err != nil {
		return nil, changed("cannot be read (" + diag.Cause(err) + ")")
	}
	l, probs, got := loadWithSum(in.File, data, in.Read)
	if got != want {
		return nil, changed("changed, or a file it extends changed,")
	}
	if l == nil || len(probs.Errors()) > 0 {
		// The same bytes loaded without errors before: not expected, but
		// never rendered from.
		return nil, changed("no longer loads")
	}
	l.ApplyDefaults()
	l.Compact()
	return l, nil
}
