package collect

import (
	"fmt"
	"reflect"
)

// checkPresence refuses a document that leaves out a required field or
// writes null where the schema allows none, as docs/collected.schema.json
// does: the JSON decoder alone would take either as an empty value, and a
// collection that lost its pools or its instances must not import as an
// empty deployment.
func checkPresence(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // a type error, which the decoder reports
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := jsonName(f)
			val, present := obj[name]
			switch {
			case !present && f.Tag.Get("required") == "true":
				return fmt.Errorf("%s is missing", join(path, name))
			case present && val == nil && f.Tag.Get("null") != "true":
				return fmt.Errorf("%s is null, which it may not be", join(path, name))
			}
			if err := checkPresence(val, f.Type, join(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		arr, _ := v.([]any)
		for i, e := range arr {
			if err := checkPresence(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
