package kazooschema

import (
	"bytes"
	"encoding/json"
	"regexp"
)

// ApplyDefaults fills the named schema's defaults into a decoded document the way KAZOO's
// validator (jesse with use_defaults and apply_defaults_to_empty_objects) does on every write:
//
//   - a missing property whose schema has a default gets that default, even an empty object
//     (that is what apply_defaults_to_empty_objects allows), and then the defaults nested in
//     it (a device's "sip" defaults to {} and so gains expire_seconds, method, ...);
//   - a missing property without a default stays missing, objects included;
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

// FillDefaults fills a schema node's defaults into a decoded value, as ApplyDefaults does for
// a whole document: what KAZOO will hold under that node once it is written.
func FillDefaults(s *Schema, v any) { fill(s, v, 0) }

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
