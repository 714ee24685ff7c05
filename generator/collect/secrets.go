package collect

import (
	"fmt"
	"reflect"
	"regexp"
)

// credential matches the password and user parts of a connection string
// (Password=, Pwd=, User ID=, UID=) and a URL with a user and password.
// The collector uses Windows authentication only and never records a
// connection string; a value like this means the file was edited or
// written by something else, and it must not reach a site file or a log.
var credential = regexp.MustCompile(`(?i)(^|[;\s"'])(password|pwd|user id|uid)\s*=|://[^/@\s]+:[^/@\s]+@`)

// CheckSecrets refuses a document any of whose text values looks like a
// password or a connection string with credentials. The message names the
// field, never the value.
func CheckSecrets(doc *Document) error {
	return walk(reflect.ValueOf(doc).Elem(), "")
}

func walk(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return walk(v.Elem(), path)
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if err := walk(v.Field(i), join(path, jsonName(t.Field(i)))); err != nil {
				return err
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if err := walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if credential.MatchString(v.String()) {
			return fmt.Errorf("%s looks like a password or a connection string with credentials; a collection never holds one, so it is refused", path)
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func jsonName(f reflect.StructField) string {
	name := f.Tag.Get("json")
	for i := 0; i < len(name); i++ {
		if name[i] == ',' {
			return name[:i]
		}
	}
	return name
}
