// Package descriptions holds the user-facing description of every attribute the provider derives
// from KAZOO's schemas, written in the project's own words. Each schema has one JSON file,
// <schema>.json, mapping an attribute's dotted path (see Paths) to its Markdown description.
package descriptions

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

//go:embed *.json
var files embed.FS

var (
	loadOnce sync.Once
	loaded   map[string]map[string]string
	loadErr  error
)

// load decodes every embedded file once. A malformed file is a programming error caught by the
// package's tests, so For treats it as "no description" rather than panicking at run time.
func load() (map[string]map[string]string, error) {
	loadOnce.Do(func() {
		entries, err := files.ReadDir(".")
		if err != nil {
			loadErr = err
			return
		}
		loaded = make(map[string]map[string]string, len(entries))
		for _, e := range entries {
			b, err := files.ReadFile(e.Name())
			if err != nil {
				loadErr = err
				return
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				loadErr = fmt.Errorf("descriptions: %s: %w", e.Name(), err)
				return
			}
			loaded[strings.TrimSuffix(e.Name(), path.Ext(e.Name()))] = m
		}
	})
	return loaded, loadErr
}

// For returns the description of the attribute at the dotted path of the named KAZOO schema
// ("devices", "sip.username"), and whether one is written.
func For(schema, path string) (string, bool) {
	all, err := load()
	if err != nil {
		return "", false
	}
	d, ok := all[schema][path]
	return d, ok
}

// Schemas lists the schemas that have a description file, sorted.
func Schemas() []string {
	all, _ := load()
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Paths lists, in walk order, the dotted path of every attribute the engine derives from the
// resolved schema s. An object with plain properties is descended into; an array whose items
// are such an object continues the path without an index; the values of a map (see MapValue)
// that are such objects continue it with "*". Maps of anything else, oneOf/anyOf alternatives,
// recursive references, free-form objects, nodes allowing several JSON types and arrays of
// scalars end the walk: they are single attributes.
// "allOf" is not looked at (none of the resource schemas uses it).
func Paths(s *kazooschema.Schema) []string {
	var out []string
	walk(s, "", &out)
	return out
}

// Expandable reports whether the engine models the node as nested attributes, one per property.
func Expandable(s *kazooschema.Schema) bool {
	return s != nil && len(s.Properties) > 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 &&
		s.AdditionalProperties == nil && len(s.PatternProperties) == 0 && !s.Recursive
}

// soleType returns the node's one non-null JSON type, "" when it names none, and "mixed" when it
// allows several (such a node is a single JSON attribute, never walked into).
func soleType(s *kazooschema.Schema) string {
	t := ""
	for _, x := range s.Type {
		if x == "null" {
			continue
		}
		if t != "" {
			return "mixed"
		}
		t = x
	}
	return t
}

func walk(s *kazooschema.Schema, prefix string, out *[]string) {
	if s == nil {
		return
	}
	switch t := soleType(s); {
	case (t == "object" || t == "") && Expandable(s):
		for _, name := range s.PropertyNames() {
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			*out = append(*out, p)
			walk(s.Properties[name], p, out)
		}
	case t == "array" && Expandable(s.Items):
		walk(s.Items, prefix, out)
	case t == "object" || t == "":
		if v := MapValue(s); v != nil && !v.Recursive {
			if vt := soleType(v); (vt == "object" || vt == "") && Expandable(v) {
				walk(v, prefix+".*", out)
			}
		}
	}
}

// MapValue returns the schema of a map node's values, or nil when the node is no map. A map is
// an object without properties or alternatives whose keys are free (additionalProperties) or
// follow one pattern (patternProperties); the engine models it as a Terraform map, and the
// values of a map of objects continue the path with "*" ("call_restriction.*.action").
func MapValue(s *kazooschema.Schema) *kazooschema.Schema {
	if s == nil || len(s.Properties) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Recursive {
		return nil
	}
	switch {
	case s.AdditionalProperties != nil && len(s.PatternProperties) == 0:
		return s.AdditionalProperties
	case s.AdditionalProperties == nil && len(s.PatternProperties) == 1:
		for _, v := range s.PatternProperties {
			return v
		}
	}
	return nil
}
