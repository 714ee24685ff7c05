package collect

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"pchat-hadr/generator/schema"
)

// validate checks a decoded JSON value against the subset of JSON Schema
// that GenerateSchema uses: type, const, properties, required,
// additionalProperties false, items, anyOf, allOf and $ref to $defs.
func validate(root, s *schema.Schema, v any, path string) []string {
	if s.Ref != "" {
		return validate(root, root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")], v, path)
	}
	var errs []string
	for _, sub := range s.AllOf {
		errs = append(errs, validate(root, sub, v, path)...)
	}
	if len(s.AnyOf) > 0 {
		ok := false
		for _, sub := range s.AnyOf {
			if len(validate(root, sub, v, path)) == 0 {
				ok = true
			}
		}
		if !ok {
			errs = append(errs, path+": matches no alternative")
		}
	}
	if s.Const != nil && fmt.Sprint(s.Const) != fmt.Sprint(v) {
		errs = append(errs, fmt.Sprintf("%s: %v, want %v", path, v, s.Const))
	}
	switch s.Type {
	case "":
	case "null":
		if v != nil {
			errs = append(errs, path+": not null")
		}
	case "string":
		if _, ok := v.(string); !ok {
			errs = append(errs, path+": not a string")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, path+": not a boolean")
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			errs = append(errs, path+": not an integer")
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return append(errs, path+": not an array")
		}
		for i, e := range arr {
			errs = append(errs, validate(root, s.Items, e, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return append(errs, path+": not an object")
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				errs = append(errs, path+"."+r+": missing")
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, ok := s.Properties[k]
			if !ok {
				errs = append(errs, path+"."+k+": not allowed")
				continue
			}
			errs = append(errs, validate(root, p, obj[k], path+"."+k)...)
		}
	}
	return errs
}

// TestSchemaAgreesWithDecode: the published schema accepts every fixture,
// and refuses an unknown field and a missing required one, as Decode does.
func TestSchemaAgreesWithDecode(t *testing.T) {
	root := GenerateSchema()
	for _, f := range fixtures(t) {
		data, _ := os.ReadFile(f)
		text, err := utf8Text(data)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(text, &v); err != nil {
			t.Fatal(err)
		}
		if errs := validate(root, root, v, "$"); len(errs) > 0 {
			t.Errorf("%s:\n%s", f, strings.Join(errs, "\n"))
		}
	}
	for name, data := range map[string][]byte{
		"unknown field":    mutate(t, func(v map[string]any) { firstInstance(v)["extra"] = 1 }),
		"missing required": mutate(t, func(v map[string]any) { delete(v, "pools") }),
		"null not allowed": mutate(t, func(v map[string]any) { firstInstance(v)["server"] = nil }),
	} {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		if len(validate(root, root, v, "$")) == 0 {
			t.Errorf("%s: the schema accepts it", name)
		}
		if _, err := Decode("x.json", data); err == nil {
			t.Errorf("%s: Decode accepts it", name)
		}
	}
}
