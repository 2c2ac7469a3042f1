package kazooschema

import (
	"bytes"
	"encoding/json"
	"regexp"
)

// ApplyDefaults fills the named schema's defaults into a decoded document the way KAZOO's
// validator (jesse with use_defaults and apply_defaults_to_empty_objects) does on every write:
//
//   - a missing property whose schema has a default gets that default (then its own nested
//     defaults);
//   - a missing object property without a default is created empty and filled with its nested
//     defaults, and kept only when that leaves it non-empty and with its required properties;
//   - present objects, map values and array items are filled recursively.
//
// Numbers are inserted as json.Number, matching documents decoded with UseNumber.
func ApplyDefaults(name string, doc map[string]any) error {
	s, err := Get(name)
	if err != nil {
		return err
	}
	fill(s, doc, 0)
	return nil
}

// maxDepth bounds the walk through recursive schemas (callflow trees).
const maxDepth = 64

func fill(s *Schema, v any, depth int) {
	if s == nil || depth > maxDepth {
		return
	}
	if s.Recursive && s.Ref != "" {
		r, err := Get(s.Ref)
		if err != nil {
			return
		}
		s = r
	}
	switch val := v.(type) {
	case map[string]any:
		for name, ps := range s.Properties {
			cur, ok := val[name]
			if ok {
				fill(ps, cur, depth+1)
				continue
			}
			if def, has := defaultOf(ps); has {
				val[name] = def
				fill(ps, def, depth+1)
				continue
			}
			if isObjectSchema(ps) {
				obj := map[string]any{}
				fill(ps, obj, depth+1)
				if len(obj) > 0 && hasRequired(ps, obj) {
					val[name] = obj
				}
			}
		}
		for key, cur := range val {
			if _, ok := s.Properties[key]; ok {
				continue
			}
			matched := false
			for pat, ps := range s.PatternProperties {
				if re, err := compilePattern(pat); err == nil && re.MatchString(key) {
					fill(ps, cur, depth+1)
					matched = true
				}
			}
			if !matched && s.AdditionalProperties != nil {
				fill(s.AdditionalProperties, cur, depth+1)
			}
		}
	case []any:
		for _, item := range val {
			fill(s.Items, item, depth+1)
		}
	}
}

// hasRequired reports whether obj has every property the schema requires: an object made up
// from defaults alone must not turn a valid document into an invalid one.
func hasRequired(s *Schema, obj map[string]any) bool {
	for _, r := range s.Required {
		if _, ok := obj[r]; !ok {
			return false
		}
	}
	return true
}

func isObjectSchema(s *Schema) bool {
	if s.Recursive {
		return false
	}
	return len(s.Properties) > 0 && (len(s.Type) == 0 || (len(s.Type) == 1 && s.Type[0] == "object"))
}

// defaultOf returns a fresh copy of the schema's default, decoded with json.Number.
func defaultOf(s *Schema) (any, bool) {
	if len(s.Default) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(s.Default))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

var patternCache = map[string]*regexp.Regexp{}

func compilePattern(p string) (*regexp.Regexp, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if re, ok := patternCache[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	patternCache[p] = re
	return re, nil
}
