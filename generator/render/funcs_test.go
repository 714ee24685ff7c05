package render

import (
	"slices"
	"sort"
	"testing"
)

// TestFuncsPinned pins the template function map: adding a function (in
// particular one of sprig's time, random or map-order functions) must be a
// deliberate change to this list.
func TestFuncsPinned(t *testing.T) {
	want := []string{"add", "base", "comment", "default", "dict", "fail", "join", "list", "lower", "mermaid", "mul", "psHelp", "psString", "replace",
		"sqlCheckRC", "sqlFail", "sqlIdent", "sqlInfo", "sqlOK", "sqlString", "sub", "trimSuffix", "upper", "upperFirst", "winPath"}
	var got []string
	for name, fn := range Funcs() {
		if fn == nil {
			t.Errorf("%s: no such sprig function", name)
		}
		got = append(got, name)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("function map = %v\nwant %v", got, want)
	}
}

// TestSQLMessages shows the exact RAISERROR forms: the message is always an
// argument of a fixed '%s' format, so a % in a value cannot act as a format.
func TestSQLMessages(t *testing.T) {
	got, err := sqlInfo("100% done; it's fine")
	want := `RAISERROR(N'%s', 0, 1, N'100% done; it''s fine') WITH NOWAIT;`
	if err != nil || got != want {
		t.Errorf("sqlInfo = %q, %v; want %q", got, err, want)
	}
	got, err = sqlFail("stop")
	want = `RAISERROR(N'%s', 16, 1, N'stop') WITH NOWAIT; SET NOEXEC ON; RETURN;`
	if err != nil || got != want {
		t.Errorf("sqlFail = %q, %v; want %q", got, err, want)
	}
	if _, err := sqlInfo("line\nbreak"); err == nil {
		t.Error("sqlInfo accepted a line break")
	}
}
