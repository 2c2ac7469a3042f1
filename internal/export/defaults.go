package export

import (
	"bytes"
	"encoding/json"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// withoutDefaults returns the document without what a configuration need not say: keys whose
// value is KAZOO's default for them, nulls, and (outside JSON attributes) empty objects and
// lists. An attribute the configuration leaves out is mirrored from KAZOO, so leaving these out
// changes nothing in the plan. Inside JSON attributes only defaults go: the engine compares
// those with KAZOO's defaults filled in on both sides.
func withoutDefaults(spec engine.Spec, doc map[string]any) map[string]any {
	s, err := kazooschema.Get(spec.Schema)
	if err != nil {
		s = &kazooschema.Schema{}
	}
	return prune(spec, s, doc, "", false)
}

func prune(spec engine.Spec, s *kazooschema.Schema, m map[string]any, prefix string, inJSON bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if v == nil {
			continue
		}
		var node *kazooschema.Schema
		if s != nil {
			node = s.Properties[k]
		}
		required := s != nil && s.IsRequired(k) // KAZOO's validation wants it even at its default
		if node != nil && !required {
			if def := node.DefaultValue(); def != nil && sameJSON(def, v) {
				continue
			}
		}
		json := inJSON || spec.Overrides[p].JSON || (node != nil && !typedObject(node))
		switch x := v.(type) {
		case map[string]any:
			if node != nil && len(node.Properties) > 0 {
				x = prune(spec, node, x, p, json)
			}
			if len(x) == 0 && !json && !required {
				continue
			}
			v = x
		case []any:
			if len(x) == 0 && !json && !required {
				continue
			}
		}
		out[k] = v
	}
	return out
}

// typedObject mirrors the engine's choice of nested attributes: an object with plain
// properties only.
func typedObject(s *kazooschema.Schema) bool {
	return len(s.Properties) > 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 &&
		s.AdditionalProperties == nil && len(s.PatternProperties) == 0 && !s.Recursive
}

// sameJSON compares two JSON values by their canonical encoding (numbers by value).
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(canonical(a))
	jb, err2 := json.Marshal(canonical(b))
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func canonical(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canonical(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonical(e)
		}
		return out
	}
	return v
}

// decodeDoc decodes a JSON object keeping numbers exact.
func decodeDoc(raw json.RawMessage) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// encodeDoc encodes a document back to JSON.
func encodeDoc(m map[string]any) (json.RawMessage, error) {
	return json.Marshal(m)
}
