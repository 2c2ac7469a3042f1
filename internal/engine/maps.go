package engine

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// Maps ---------------------------------------------------------------------------------------
//
// KAZOO keeps maps as objects whose keys are free (additionalProperties) or follow one pattern
// (patternProperties): call_restriction keyed by number classification, a group's endpoints
// keyed by user or device id. Such a node is a Terraform map: map(string|number|bool) for
// scalar values, a map nested attribute for values that are objects with properties, and a map
// of JSON strings for values only JSON can hold (oneOf). Override.KeySet models a map whose
// values carry nothing as the set of its keys.
//
// The configured keys are the map: a key removed from the configuration is removed on the server
// (merge-patch null). Inside an object value, what the configuration leaves out keeps KAZOO's
// value, as in any nested object, and keys the schema does not model are never sent, so KAZOO
// keeps them.

// mapValueStep continues a dotted path into a map's values ("call_restriction.*.action").
const mapValueStep = ".*"

// mapValue returns the schema of a map node's values and the pattern its keys follow ("" for
// any key). ok is false when the node is not a map: it has properties, alternatives, several
// patterns, or is a recursive reference.
func mapValue(s *kazooschema.Schema) (value *kazooschema.Schema, keyPattern string, ok bool) {
	if s == nil || len(s.Properties) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Recursive {
		return nil, "", false
	}
	if types := nonNullTypes(s); len(types) > 1 || len(types) == 1 && types[0] != "object" {
		return nil, "", false
	}
	switch {
	case s.AdditionalProperties != nil && len(s.PatternProperties) == 0:
		return s.AdditionalProperties, "", true
	case s.AdditionalProperties == nil && len(s.PatternProperties) == 1:
		for p, v := range s.PatternProperties {
			return v, p, true
		}
	}
	return nil, "", false
}

// classifyMap decides how a map with values of schema value is modelled. A map of recursive
// nodes is a tree (a metaflow's children) and stays one JSON attribute.
func classifyMap(value *kazooschema.Schema) (kind, kind) {
	if value == nil || value.Recursive {
		return kindJSON, 0
	}
	switch k, _ := classify(value); k {
	case kindObject:
		return kindObjectMap, 0
	case kindString, kindInt, kindFloat, kindBool, kindScalar:
		return kindMap, k
	}
	return kindMap, kindJSON
}

// mapValueNode is the schema of a map field's values (an empty schema when it has none).
func (f *field) mapValueNode() *kazooschema.Schema {
	if v, _, ok := mapValue(f.node); ok && v != nil {
		return v
	}
	return &kazooschema.Schema{}
}

// mapKeyPattern is the pattern a map field's keys follow, "" for any key.
func (f *field) mapKeyPattern() string {
	_, p, _ := mapValue(f.node)
	return p
}

// holdsJSON reports whether a field's values are JSON text: a JSON attribute, or a map of them.
func holdsJSON(f *field) bool {
	return f.kind == kindJSON || f.kind == kindMap && f.elem == kindJSON
}

func isMapKind(k kind) bool { return k == kindMap || k == kindObjectMap || k == kindKeySet }

// mapToValue converts a decoded JSON object of map field f into a Terraform map (or set of keys).
func mapToValue(f *field, m map[string]any, typ tftypes.Type) (tftypes.Value, error) {
	if f.kind == kindKeySet {
		st := typ.(tftypes.Set)
		elems := make([]tftypes.Value, 0, len(m))
		for _, k := range sortedKeys(m) {
			elems = append(elems, tftypes.NewValue(st.ElementType, k))
		}
		return tftypes.NewValue(typ, elems), nil
	}
	et := typ.(tftypes.Map).ElementType
	elems := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		var (
			ev  tftypes.Value
			err error
		)
		switch {
		case v == nil:
			ev = tftypes.NewValue(et, nil)
		case f.kind == kindObjectMap:
			obj, _ := v.(map[string]any)
			if obj == nil {
				obj = map[string]any{}
			}
			ev, err = objectToValue(f, obj, et)
		default:
			ev, err = toValue(&field{kind: f.elem, path: f.path + mapValueStep, node: f.mapValueNode()}, v, et)
		}
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s[%q]: %w", f.path, k, err)
		}
		elems[k] = ev
	}
	return tftypes.NewValue(typ, elems), nil
}

// mapToJSON converts a known, non-null map (or set of keys) of field f into a JSON object.
// known is false when an element is unknown.
func mapToJSON(f *field, v tftypes.Value) (out map[string]any, known bool, err error) {
	out = map[string]any{}
	if f.kind == kindKeySet {
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, true, err
		}
		for _, e := range elems {
			if !e.IsKnown() {
				return nil, false, nil
			}
			if !e.IsNull() {
				out[stringValue(e)] = map[string]any{}
			}
		}
		return out, true, nil
	}
	var elems map[string]tftypes.Value
	if err := v.As(&elems); err != nil {
		return nil, true, err
	}
	elem := &field{kind: f.elem, path: f.path + mapValueStep, node: f.mapValueNode()}
	for k, e := range elems {
		if !e.IsKnown() {
			return nil, false, nil
		}
		var x any
		if f.kind == kindObjectMap {
			if !e.IsNull() {
				x, err = objectToJSON(f, e)
			}
		} else {
			x, _, err = valueToJSON(elem, e)
		}
		if err != nil {
			return nil, true, fmt.Errorf("%s[%q]: %w", f.path, k, err)
		}
		out[k] = x
	}
	return out, true, nil
}

// objectMap plans a configured map of objects key by key: the configured keys are the map; a
// value keeps, for what its configuration leaves out, KAZOO's value under the same key (or what
// KAZOO fills in under a new key), except what the prior configuration of that value set and
// this one no longer does, which goes back to KAZOO's default.
func (p *planner) objectMap(c *field, cv, pv tftypes.Value, priorExists bool, typ tftypes.Type, at string) tftypes.Value {
	et := typ.(tftypes.Map).ElementType
	var cfgElems, priorElems map[string]tftypes.Value
	_ = cv.As(&cfgElems)
	if priorExists && pv.IsKnown() && !pv.IsNull() {
		_ = pv.As(&priorElems)
	}
	out := make(map[string]tftypes.Value, len(cfgElems))
	for k, ce := range cfgElems {
		if !ce.IsKnown() || ce.IsNull() {
			out[k] = ce
			continue
		}
		pe, exists := priorElems[k]
		exists = exists && pe.IsKnown() && !pe.IsNull()
		out[k] = p.object(c, ce, pe, exists, et, keyPath(at, k))
	}
	return tftypes.NewValue(typ, out)
}

// mapPatch returns the merge patch that turns the prior map into the planned one: the values of
// new and changed keys (for objects, only their changed keys), null for removed keys. ok is
// false when nothing changes.
func mapPatch(f *field, prior, plan tftypes.Value) (patch any, ok bool, err error) {
	old, _, err := mapToJSON(f, prior)
	if err != nil {
		return nil, false, err
	}
	now, known, err := mapToJSON(f, plan)
	if err != nil || !known {
		return nil, false, err
	}
	d, _ := mergeDiff(old, now).(map[string]any)
	if len(d) == 0 {
		return nil, false, nil
	}
	return d, true, nil
}
