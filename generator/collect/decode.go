package collect

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxFileSize bounds a collection; a large deployment's is some 100 KB.
const MaxFileSize = 16 << 20

// Decode reads a collection. Windows PowerShell writes UTF-16 LE with a BOM
// through Out-File and >, the collector itself UTF-8 without one; UTF-8
// with a BOM and UTF-16 BE are read too. Unknown fields are refused, so a
// document of another layout is never half read, and so is any value that
// looks like a password or a connection string with credentials. Errors
// name the file and, where known, the line.
func Decode(file string, data []byte) (*Document, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes; a collection may be at most %d", file, len(data), MaxFileSize)
	}
	text, err := utf8Text(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var head struct {
		SchemaVersion *int   `json:"schema_version"`
		Generator     string `json:"generator"`
	}
	if err := json.Unmarshal(text, &head); err != nil {
		return nil, fmt.Errorf("%s: %s", file, jsonProblem(text, err))
	}
	switch {
	case head.Generator != Generator:
		return nil, fmt.Errorf("%s: not a collection: its generator is %q, not %q (run the script of pchat-hadr collector)", file, head.Generator, Generator)
	case head.SchemaVersion == nil:
		return nil, fmt.Errorf("%s: schema_version is missing", file)
	case *head.SchemaVersion != SchemaVersion:
		return nil, fmt.Errorf("%s: schema_version %d is not supported; this pchat-hadr reads collections of schema_version %d (collect again with the script of this version's pchat-hadr collector)", file, *head.SchemaVersion, SchemaVersion)
	}
	var generic any
	if err := json.Unmarshal(text, &generic); err != nil {
		return nil, fmt.Errorf("%s: %s", file, jsonProblem(text, err))
	}
	if err := checkPresence(generic, reflect.TypeOf(Document{}), ""); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	doc := &Document{}
	if err := dec.Decode(doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, jsonProblem(text, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: text after the end of the document", file)
	}
	if err := CheckSecrets(doc); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return doc, nil
}

// utf8Text returns the document as UTF-8 without a byte order mark.
func utf8Text(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data[2:], binary.BigEndian)
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		return nil, errors.New("looks like UTF-16 without a byte order mark; save it as UTF-8 (the collector writes UTF-8 itself)")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 or UTF-16 text with a byte order mark")
	}
	return data, nil
}

func fromUTF16(data []byte, order binary.ByteOrder) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	var b bytes.Buffer
	for _, r := range utf16.Decode(units) {
		if r == utf8.RuneError {
			return nil, errors.New("UTF-16 text with an unpaired surrogate")
		}
		b.WriteRune(r)
	}
	return b.Bytes(), nil
}

// jsonProblem turns a decoding error into "line N: message".
func jsonProblem(text []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("line %d: JSON syntax error: %v", lineOf(text, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: %s holds a JSON %s, not a %s", lineOf(text, typ.Offset), typ.Field, typ.Value, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ") + "; this collection was not written by this version's collector"
	}
	return err.Error()
}

func lineOf(text []byte, offset int64) int {
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	return 1 + bytes.Count(text[:offset], []byte("\n"))
}

// ReadFile reads and decodes one collection.
func ReadFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: cannot read the collection: %v", path, err)
	}
	return Decode(path, data)
}

// Files returns arg itself, or every *.json file below it when it is a
// folder, in a stable order.
func Files(arg string) ([]string, error) {
	info, err := os.Stat(arg)
	if err != nil || !info.IsDir() {
		return []string{arg}, nil
	}
	var files []string
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".json") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", arg, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no collection (*.json) in this folder", arg)
	}
	sort.Strings(files)
	return files, nil
}
