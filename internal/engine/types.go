package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// JSON attributes -----------------------------------------------------------------------------

// jsonType is a string attribute holding a JSON document. Two values are semantically equal
// when they decode to the same value once the schema defaults KAZOO fills in on every write
// are applied to both: whitespace, key order and defaults never show as changes, while a key
// someone else added or changed does.
type jsonType struct {
	basetypes.StringType
	// id identifies the attribute ("devices:outbound_flags"); types are equal when ids are.
	id   string
	node *kazooschema.Schema
	// object requires the document to be a JSON object.
	object bool
}

var (
	_ basetypes.StringTypable                    = jsonType{}
	_ basetypes.StringValuableWithSemanticEquals = jsonValue{}
	_ xattr.ValidateableAttribute                = jsonValue{}
)

func (t jsonType) Equal(o attr.Type) bool {
	other, ok := o.(jsonType)
	return ok && other.id == t.id
}

func (t jsonType) String() string { return "engine.jsonType[" + t.id + "]" }

func (t jsonType) ValueType(context.Context) attr.Value { return jsonValue{typ: t} }

func (t jsonType) ValueFromString(_ context.Context, v basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return jsonValue{StringValue: v, typ: t}, nil
}

func (t jsonType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	return jsonValue{StringValue: v.(basetypes.StringValue), typ: t}, nil
}

// jsonValue is a value of jsonType.
type jsonValue struct {
	basetypes.StringValue
	typ jsonType
}

func (v jsonValue) Type(context.Context) attr.Type { return v.typ }

func (v jsonValue) Equal(o attr.Value) bool {
	other, ok := o.(jsonValue)
	return ok && v.typ.Equal(other.typ) && v.StringValue.Equal(other.StringValue)
}

func (v jsonValue) StringSemanticEquals(_ context.Context, nv basetypes.StringValuable) (bool, diag.Diagnostics) {
	n, diags := nv.ToStringValue(context.Background())
	if diags.HasError() {
		return false, diags
	}
	return jsonEquivalent(v.typ.node, v.ValueString(), n.ValueString()), nil
}

func (v jsonValue) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	var doc any
	if err := decodeJSON([]byte(v.ValueString()), &doc); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON",
			"The value must be a JSON document, for example written with jsonencode(): "+err.Error())
		return
	}
	if _, isObject := doc.(map[string]any); v.typ.object && !isObject {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON",
			"The value must be a JSON object, for example jsonencode({ key = \"value\" }).")
	}
}

// jsonEquivalent reports whether two JSON texts hold the same document once KAZOO's schema
// defaults are filled into both.
func jsonEquivalent(node *kazooschema.Schema, a, b string) bool {
	var x, y any
	if decodeJSON([]byte(a), &x) != nil || decodeJSON([]byte(b), &y) != nil {
		return a == b
	}
	x = fillDefaults(node, x, 0)
	y = fillDefaults(node, y, 0)
	return reflect.DeepEqual(canonicalJSON(x), canonicalJSON(y))
}

// canonicalJSON turns json.Number values into float64 so 1 and 1.0 compare equal.
func canonicalJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = canonicalJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = canonicalJSON(e)
		}
		return out
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return t.String()
		}
		return f
	}
	return v
}

// fillDefaults applies a node's defaults to a decoded value the way KAZOO's validator does on
// write: missing properties with a default get it, missing objects whose properties have
// defaults are created when that leaves them non-empty, and objects, map values and array items
// are filled recursively. Recursive references (callflow children) are followed by name.
func fillDefaults(s *kazooschema.Schema, v any, depth int) any {
	if s == nil || depth > 64 {
		return v
	}
	if s.Recursive && s.Ref != "" {
		r, err := kazooschema.Get(s.Ref)
		if err != nil {
			return v
		}
		s = r
	}
	switch val := v.(type) {
	case map[string]any:
		for name, ps := range s.Properties {
			if cur, ok := val[name]; ok {
				val[name] = fillDefaults(ps, cur, depth+1)
				continue
			}
			if def := defaultValue(ps); def != nil {
				val[name] = fillDefaults(ps, def, depth+1)
				continue
			}
			if expandable(ps) {
				obj := fillDefaults(ps, map[string]any{}, depth+1).(map[string]any)
				if len(obj) > 0 {
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
				if re := compilePattern(pat); re != nil && re.MatchString(key) {
					val[key] = fillDefaults(ps, cur, depth+1)
					matched = true
				}
			}
			if !matched && s.AdditionalProperties != nil {
				val[key] = fillDefaults(s.AdditionalProperties, cur, depth+1)
			}
		}
	case []any:
		for i, item := range val {
			val[i] = fillDefaults(s.Items, item, depth+1)
		}
	}
	return v
}

// defaultValue decodes a fresh copy of a node's default, or nil.
func defaultValue(s *kazooschema.Schema) any {
	if len(s.Default) == 0 {
		return nil
	}
	var v any
	if decodeJSON(s.Default, &v) != nil {
		return nil
	}
	return v
}

// Normalised strings ---------------------------------------------------------------------------

var (
	normMu      sync.RWMutex
	normalizers = map[string]func(string) string{
		"lower": strings.ToLower,
	}
)

// RegisterNormalizer registers a string normaliser under a name for Override.Normalize and
// Lookup.Normalize. KAZOO stores the normalised form; the configured spelling stays in state.
func RegisterNormalizer(name string, fn func(string) string) {
	normMu.Lock()
	defer normMu.Unlock()
	normalizers[name] = fn
}

func normalizer(name string) (func(string) string, error) {
	normMu.RLock()
	defer normMu.RUnlock()
	fn, ok := normalizers[name]
	if !ok {
		return nil, fmt.Errorf("unknown normalizer %q", name)
	}
	return fn, nil
}

func normalize(name, s string) string {
	if name == "" {
		return s
	}
	fn, err := normalizer(name)
	if err != nil {
		return s
	}
	return fn(s)
}

// normType is a string attribute whose values are equal when they normalise alike.
type normType struct {
	basetypes.StringType
	norm string
}

var (
	_ basetypes.StringTypable                    = normType{}
	_ basetypes.StringValuableWithSemanticEquals = normValue{}
)

func (t normType) Equal(o attr.Type) bool {
	other, ok := o.(normType)
	return ok && other.norm == t.norm
}

func (t normType) String() string { return "engine.normType[" + t.norm + "]" }

func (t normType) ValueType(context.Context) attr.Value { return normValue{typ: t} }

func (t normType) ValueFromString(_ context.Context, v basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return normValue{StringValue: v, typ: t}, nil
}

func (t normType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	return normValue{StringValue: v.(basetypes.StringValue), typ: t}, nil
}

// normValue is a value of normType.
type normValue struct {
	basetypes.StringValue
	typ normType
}

func (v normValue) Type(context.Context) attr.Type { return v.typ }

func (v normValue) Equal(o attr.Value) bool {
	other, ok := o.(normValue)
	return ok && v.typ.Equal(other.typ) && v.StringValue.Equal(other.StringValue)
}

func (v normValue) StringSemanticEquals(ctx context.Context, nv basetypes.StringValuable) (bool, diag.Diagnostics) {
	n, diags := nv.ToStringValue(ctx)
	if diags.HasError() {
		return false, diags
	}
	return normalize(v.typ.norm, v.ValueString()) == normalize(v.typ.norm, n.ValueString()), nil
}
