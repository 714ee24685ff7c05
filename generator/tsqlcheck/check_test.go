package tsqlcheck

import (
	"strings"
	"testing"
)

// crlf turns a readable snippet into a well-formed file: CRLF line ends
// and a final CRLF, so that only the rule under test can fire.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\r\n") + "\r\n")
}

// TestCheckRules proves each rule fires on a broken snippet (want is a
// part of the message, pos its line:col) and stays quiet on a correct one
// (want empty).
func TestCheckRules(t *testing.T) {
	cases := []struct{ name, src, want, pos string }{
		{"N string closed, quote doubled", "SELECT N'it''s';", "", ""},
		{"N string unterminated", "SELECT N'abc;\nGO\nSELECT 1;", "unterminated N'...' string literal: still open at the GO on line 2", "1:8"},
		{"string unterminated at end", "PRINT 'abc", "unterminated string literal: still open at the end", "1:7"},
		{"bracket with ]] escape", "SELECT 1 AS [a]]b];", "", ""},
		{"bracket ] not doubled", "SELECT 1 AS [a]b];", "] outside a bracketed identifier", "1:17"},
		{"bracket unterminated", "SELECT 1 AS [a]];", "unterminated bracketed identifier", "1:13"},
		{"nested block comment closed", "/* a /* b */ c */ SELECT 1;", "", ""},
		{"nested block comment open", "/* a /* b */ SELECT 1;", "unterminated /* */ comment", "1:1"},
		{"GO inside a comment ends it", "/* a\nGO\n*/", "still open at the GO on line 2", "1:1"},
		{"parentheses balanced", "SELECT (1 + (2));", "", ""},
		{"stray )", "SELECT (1));", ") without a matching (", "1:11"},
		{"unclosed (", "SELECT (1;\nGO\nSELECT 1);", "( is not closed in this batch", "1:8"},
		{"BEGIN END and CASE END", "IF 1 = 1\nBEGIN\n    SELECT CASE WHEN 1 = 1 THEN 1 END;\nEND", "", ""},
		{"BEGIN without END", "IF 1 = 1\nBEGIN\n    PRINT 1;\nGO\nEND", "BEGIN has no matching END", "2:1"},
		{"END without BEGIN", "PRINT 1;\nEND", "END without a matching BEGIN or CASE", "2:1"},
		{"BEGIN TRY is a block", "BEGIN TRY\n    PRINT 1;\nEND TRY\nBEGIN CATCH\n    PRINT 2;\nEND CATCH", "", ""},
		{"GO alone, any case, blanks", "SELECT 1;\n  go  \nSELECT 2;", "", ""},
		{"GO after code", "SELECT 1; GO", "GO shares its line", "1:11"},
		{"GO with a comment", "SELECT 1;\nGO -- next", "GO shares its line", "2:1"},
		{":setvar", ":setvar X 1\nSELECT 1;", "SQLCMD-mode command", "1:1"},
		{":on error", "  :on error exit", "SQLCMD-mode command", "1:3"},
		{"EXIT without colon", "exit", "sqlcmd command", "1:1"},
		{"sqlcmd variable", "SELECT $(X);", "$( starts an sqlcmd scripting variable", "1:8"},
		{"sqlcmd variable in a string", "SELECT N'$(X)';", "$( starts an sqlcmd scripting variable", "1:10"},
		{"dollar in names and strings", "CREATE LOGIN [DOM\\HOST$] FROM WINDOWS;\nSELECT N'\\\\fs\\sql$\\x';", "", ""},
		{"BEGIN TRAN", "BEGIN TRAN;\nBACKUP LOG [mgc] TO DISK = N'x';", "user transaction (BEGIN TRAN)", "1:1"},
		{"BEGIN TRANSACTION", "BEGIN TRANSACTION\nPRINT 1;", "user transaction (BEGIN TRANSACTION)", "1:1"},
		{"COMMIT", "COMMIT;", "COMMIT belongs to a user transaction", "1:1"},
		{"ROLLBACK", "ROLLBACK TRAN;", "ROLLBACK belongs to a user transaction", "1:1"},
		{"ROLLBACK IMMEDIATE is not a transaction", "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;", "", ""},
		{"transaction words in comments and strings", "-- BEGIN TRAN\nPRINT N'COMMIT';", "", ""},
		{"DECLARE twice in one batch", "DECLARE @a int;\nIF 1 = 1\nBEGIN\n    DECLARE @a int;\nEND", "@a is declared twice in this batch (first on line 1)", "4:13"},
		{"same DECLARE in two batches", "DECLARE @a int;\nSET @a = 1;\nGO\nDECLARE @a int;\nSELECT @a;", "", ""},
		{"DECLARE list twice", "DECLARE @a int, @b int, @A int;", "@A is declared twice", "1:25"},
		{"undeclared variable", "SELECT @x;", "@x is not declared in this batch", "1:8"},
		{"variable of an earlier batch", "DECLARE @x int;\nGO\nSET @x = 1;", "@x is not declared in this batch", "3:5"},
		{"used before DECLARE", "SET @x = 1;\nDECLARE @x int;", "@x is used before its DECLARE on line 2", "1:5"},
		{"case differs", "DECLARE @Job int;\nSELECT @job;", "@job is declared as @Job", "2:8"},
		{"DECLARE list with CASE and decimal(10, 2)", "DECLARE @a int = CASE WHEN 1 = 1 THEN 1 ELSE 2 END, @b decimal(10, 2)\nSELECT @a, @b;", "", ""},
		{"system functions", "SELECT @@ROWCOUNT, @@SPID;", "", ""},
		{"EXEC parameter names are not variables", "DECLARE @rc int, @job uniqueidentifier;\nEXEC @rc = master.dbo.sp_add_log_shipping_primary_database\n    @database = N'mgc',\n    @backup_job_id = @job OUTPUT;", "", ""},
		{"EXEC output variable undeclared", "DECLARE @rc int;\nEXEC @rc = master.dbo.sp_x @backup_job_id = @job OUTPUT;", "@job is not declared", "2:45"},
		{"EXEC return variable undeclared", "EXEC @rc = dbo.sp_x;", "@rc is not declared", "1:6"},
		{"EXEC missing comma", "EXEC dbo.sp_x @a = 1 @b = 2;", "@b is not declared", "1:22"},
		{"dynamic EXEC", "DECLARE @sql nvarchar(max);\nSET @sql = N'SELECT 1';\nEXEC (@sql);", "", ""},
		{"double quotes", "SELECT \"a\";", "double-quoted text \"a\"", "1:8"},
		{"double quotes in strings and comments", "-- \"x\"\nSELECT N'say \"hi\"';", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			probs := Check("t.sql", crlf(c.src))
			if c.want == "" {
				if len(probs) > 0 {
					t.Fatalf("want no problem, got:\n%s", ProblemList(probs).Error())
				}
				return
			}
			want := "t.sql:" + c.pos + ": "
			for _, p := range probs {
				if strings.HasPrefix(p.String(), want) && strings.Contains(p.Message, c.want) {
					return
				}
			}
			t.Fatalf("want %s...%s, got:\n%s", want, c.want, ProblemList(probs).Error())
		})
	}
}

// TestCheckBytes covers the rules that crlf would hide.
func TestCheckBytes(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"CRLF only", "SELECT 1;\r\nSELECT 2;\r\n", ""},
		{"bare LF", "SELECT 1;\r\nSELECT 2;\nSELECT 3;\n", "t.sql:2:10: bare LF line end (CRLF only); 2 in the file"},
		{"bare CR", "SELECT 1;\rSELECT 2;\r\n", "t.sql:1:10: bare CR (CRLF only); 1 in the file"},
		{"no final CRLF", "SELECT 1;\r\nSELECT 2;", "t.sql:2:10: the file does not end with CRLF"},
		{"non-ASCII", "SELECT N'caf\xc3\xa9';\r\n", "t.sql:1:13: non-ASCII byte (.sql files are ASCII); 2 in the file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ProblemList(Check("t.sql", []byte(c.src))).Error()
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Fatalf("want %q, got:\n%s", c.want, got)
			}
		})
	}
}
