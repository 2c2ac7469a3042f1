package engine

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// One converter pair, driven by the field tree, serves every resource: KAZOO document (decoded
// with json.Number) to Terraform value, and back.

// docToValue converts a document into the value of the root object type typ. Attributes that
// are not document fields take their value from specials (or null).
func docToValue(root *field, doc map[string]any, typ tftypes.Type, specials map[string]tftypes.Value) (tftypes.Value, error) {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("root type is %s, not an object", typ)
	}
	attrs := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		if v, ok := specials[name]; ok {
			attrs[name] = v
			continue
		}
		f := root.child(name)
		if f == nil {
			attrs[name] = tftypes.NewValue(at, nil)
			continue
		}
		v, err := toValue(f, doc[f.key], at)
		if err != nil {
			return tftypes.Value{}, err
		}
		attrs[name] = v
	}
	return tftypes.NewValue(obj, attrs), nil
}

// toValue converts one decoded JSON value of field f into a Terraform value of type typ.
// A JSON null or a missing key is a null value; a value of the wrong JSON type is read as
// well as it can be (KAZOO coerces "5" to 5 and "true" to true).
func toValue(f *field, v any, typ tftypes.Type) (tftypes.Value, error) {
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	switch f.kind {
	case kindString:
		return scalarToValue(kindString, v, typ)
	case kindScalar:
		return tftypes.NewValue(typ, scalarString(jsonScalar(v))), nil
	case kindInt, kindFloat, kindBool:
		return scalarToValue(f.kind, v, typ)
	case kindList:
		items, ok := v.([]any)
		if !ok {
			return tftypes.NewValue(typ, nil), nil
		}
		lt := typ.(tftypes.List)
		elems := make([]tftypes.Value, 0, len(items))
		for _, it := range items {
			ev, err := scalarToValue(f.elem, it, lt.ElementType)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", f.path, err)
			}
			elems = append(elems, ev)
		}
		return tftypes.NewValue(typ, elems), nil
	case kindObject:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.NewValue(typ, nil), nil
		}
		return objectToValue(f, m, typ)
	case kindObjectList:
		items, ok := v.([]any)
		if !ok {
			return tftypes.NewValue(typ, nil), nil
		}
		lt := typ.(tftypes.List)
		elems := make([]tftypes.Value, 0, len(items))
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m == nil {
				m = map[string]any{}
			}
			ev, err := objectToValue(f, m, lt.ElementType)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, ev)
		}
		return tftypes.NewValue(typ, elems), nil
	case kindMap, kindObjectMap, kindKeySet:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.NewValue(typ, nil), nil
		}
		return mapToValue(f, m, typ)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", f.path, err)
		}
		return tftypes.NewValue(typ, string(b)), nil
	}
}

func objectToValue(f *field, m map[string]any, typ tftypes.Type) (tftypes.Value, error) {
	ot := typ.(tftypes.Object)
	attrs := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for _, c := range f.children {
		v, err := toValue(c, m[c.key], ot.AttributeTypes[c.name])
		if err != nil {
			return tftypes.Value{}, err
		}
		attrs[c.name] = v
	}
	for name, at := range ot.AttributeTypes {
		if _, ok := attrs[name]; !ok {
			attrs[name] = tftypes.NewValue(at, nil) // the engine's own (write-only twins in list items)
		}
	}
	return tftypes.NewValue(ot, attrs), nil
}

// jsonScalar returns v unchanged, or its JSON text when it is not a scalar.
func jsonScalar(v any) any {
	switch v.(type) {
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return v
}

func scalarToValue(k kind, v any, typ tftypes.Type) (tftypes.Value, error) {
	switch k {
	case kindString:
		return tftypes.NewValue(typ, scalarString(jsonScalar(v))), nil
	case kindBool:
		switch b := v.(type) {
		case bool:
			return tftypes.NewValue(typ, b), nil
		case string:
			if p, err := strconv.ParseBool(b); err == nil {
				return tftypes.NewValue(typ, p), nil
			}
		}
		return tftypes.NewValue(typ, nil), nil
	case kindInt, kindFloat:
		var text string
		switch n := v.(type) {
		case json.Number:
			text = n.String()
		case float64:
			text = strconv.FormatFloat(n, 'g', -1, 64)
		case string:
			text = strings.TrimSpace(n)
		default:
			return tftypes.NewValue(typ, nil), nil
		}
		bf, ok := new(big.Float).SetString(text)
		if !ok {
			return tftypes.NewValue(typ, nil), nil
		}
		if k == kindInt && !bf.IsInt() {
			// An integer attribute cannot hold a fraction; keep the integral part.
			i, _ := bf.Int(nil)
			bf = new(big.Float).SetInt(i)
		}
		return tftypes.NewValue(typ, bf), nil
	}
	return tftypes.Value{}, fmt.Errorf("unsupported scalar kind %d", k)
}

// valueToJSON converts a Terraform value of field f into a JSON value. known is false for an
// unknown value (or an object or list containing one only where it matters: unknown children
// of objects are left out). A null value is (nil, true).
func valueToJSON(f *field, v tftypes.Value) (out any, known bool, err error) {
	if !v.IsKnown() {
		return nil, false, nil
	}
	if v.IsNull() {
		return nil, true, nil
	}
	switch f.kind {
	case kindString:
		var s string
		err = v.As(&s)
		return s, true, err
	case kindScalar:
		var s string
		if err = v.As(&s); err != nil {
			return nil, true, err
		}
		return scalarFromString(f, s), true, nil
	case kindInt, kindFloat, kindBool:
		out, err = primitiveToJSON(f.kind, v)
		return out, true, err
	case kindList:
		var elems []tftypes.Value
		if err = v.As(&elems); err != nil {
			return nil, true, err
		}
		list := make([]any, 0, len(elems))
		for _, e := range elems {
			if !e.IsKnown() {
				return nil, false, nil
			}
			if e.IsNull() {
				list = append(list, nil)
				continue
			}
			x, err := primitiveToJSON(f.elem, e)
			if err != nil {
				return nil, true, err
			}
			list = append(list, x)
		}
		return list, true, nil
	case kindObject:
		m, err := objectToJSON(f, v)
		return m, true, err
	case kindObjectList:
		var elems []tftypes.Value
		if err = v.As(&elems); err != nil {
			return nil, true, err
		}
		list := make([]any, 0, len(elems))
		for _, e := range elems {
			if !e.IsKnown() {
				return nil, false, nil
			}
			m, err := objectToJSON(f, e)
			if err != nil {
				return nil, true, err
			}
			list = append(list, m)
		}
		return list, true, nil
	case kindMap, kindObjectMap, kindKeySet:
		m, known, err := mapToJSON(f, v)
		if !known || err != nil {
			return nil, known, err
		}
		return m, true, nil
	default:
		var s string
		if err = v.As(&s); err != nil {
			return nil, true, err
		}
		var doc any
		if err = decodeJSON([]byte(s), &doc); err != nil {
			return nil, true, fmt.Errorf("%s: invalid JSON: %w", f.path, err)
		}
		return doc, true, nil
	}
}

// objectToJSON converts an object value to a JSON object holding its known, non-null children.
func objectToJSON(f *field, v tftypes.Value) (map[string]any, error) {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for _, c := range f.children {
		x, known, err := valueToJSON(c, attrs[c.name])
		if err != nil {
			return nil, err
		}
		if known && x != nil {
			m[c.key] = x
		}
	}
	return m, nil
}

func primitiveToJSON(k kind, v tftypes.Value) (any, error) {
	switch k {
	case kindBool:
		var b bool
		err := v.As(&b)
		return b, err
	case kindInt:
		var bf big.Float
		if err := v.As(&bf); err != nil {
			return nil, err
		}
		i, _ := bf.Int(nil)
		return json.Number(i.String()), nil
	case kindFloat:
		var bf big.Float
		if err := v.As(&bf); err != nil {
			return nil, err
		}
		f, _ := bf.Float64()
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		var s string
		err := v.As(&s)
		return s, err
	}
}

// scalarFromString writes a mixed-type scalar back with the JSON type the schema allows:
// "true"/"false" as booleans and numbers as numbers when allowed, else the string.
func scalarFromString(f *field, s string) any {
	allows := func(t string) bool {
		for _, x := range f.node.Type {
			if x == t {
				return true
			}
		}
		return false
	}
	if allows("boolean") {
		if s == "true" || s == "false" {
			return s == "true"
		}
	}
	// Only a number in the spelling KAZOO answers with goes out as one: "042" or "+5" would
	// come back as 42 and 5 (and are no JSON numbers), so they stay strings.
	if allows("integer") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
			return json.Number(s)
		}
	}
	if allows("number") {
		if x, err := strconv.ParseFloat(s, 64); err == nil && strconv.FormatFloat(x, 'f', -1, 64) == s {
			return json.Number(s)
		}
	}
	return s
}

// getAttr returns the attribute of an object value, or a null of the right type when the
// object itself is null.
func getAttr(obj tftypes.Value, name string) tftypes.Value {
	ot, ok := obj.Type().(tftypes.Object)
	if !ok {
		return tftypes.Value{}
	}
	at := ot.AttributeTypes[name]
	if obj.IsNull() {
		return tftypes.NewValue(at, nil)
	}
	if !obj.IsKnown() {
		return tftypes.NewValue(at, tftypes.UnknownValue)
	}
	var attrs map[string]tftypes.Value
	if err := obj.As(&attrs); err != nil {
		return tftypes.NewValue(at, nil)
	}
	v, ok := attrs[name]
	if !ok {
		return tftypes.NewValue(at, nil)
	}
	return v
}

// withAttr returns a copy of obj with one attribute replaced.
func withAttr(obj tftypes.Value, name string, v tftypes.Value) tftypes.Value {
	var attrs map[string]tftypes.Value
	if err := obj.As(&attrs); err != nil || attrs == nil {
		return obj
	}
	out := make(map[string]tftypes.Value, len(attrs))
	for k, x := range attrs {
		out[k] = x
	}
	out[name] = v
	return tftypes.NewValue(obj.Type(), out)
}

// stringValue reads a string attribute, "" when null or unknown.
func stringValue(v tftypes.Value) string {
	if !v.IsKnown() || v.IsNull() {
		return ""
	}
	var s string
	_ = v.As(&s)
	return s
}
