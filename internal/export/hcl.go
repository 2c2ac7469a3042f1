package export

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Attributes every engine resource has that a configuration never sets from KAZOO's data.
var skipTop = map[string]bool{"id": true, "accept_charges": true, "extra_json": true}

// secret is a sensitive value moved out of the configuration into a variable.
type secret struct {
	name, desc string
	value      hclwrite.Tokens
	isString   bool
}

// blockWriter writes one object's resource block.
type blockWriter struct {
	g *generator
	o *Object
	// refs maps dotted Terraform paths (list items without an index) to the types whose ids
	// the attribute holds.
	refs map[string][]string
	// comments are written above the top-level attribute being written.
	comments []string
}

// refsOf collects the engine's RefersTo facts of a spec by Terraform path, plus the owner
// attribute, which names an account.
func refsOf(spec engine.Spec) (map[string][]string, error) {
	paths, err := engine.AttrPaths(&spec)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{spec.OwnerAttr(): {"account"}}
	for p, ov := range spec.Overrides {
		if len(ov.RefersTo) > 0 && paths[p] != "" {
			out[paths[p]] = ov.RefersTo
		}
	}
	for _, a := range spec.Additional {
		if len(a.Override.RefersTo) > 0 && paths[a.Key] != "" {
			out[paths[a.Key]] = a.Override.RefersTo
		}
	}
	return out, nil
}

// block fills body with the object's attributes from its state value.
func (w *blockWriter) block(body *hclwrite.Body, sch rschema.Schema, v tftypes.Value) error {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return err
	}
	owner := w.o.Spec.OwnerAttr()
	names := []string{owner}
	for _, name := range sortedKeys(sch.Attributes) {
		if name != owner {
			names = append(names, name)
		}
	}
	// Secrets KAZOO keeps only a hash of (a user's password) cannot be exported.
	for _, name := range w.o.Spec.WriteOnlySecrets {
		body.AppendUnstructuredTokens(commentTokens(name + ": KAZOO never returns it, so it is not exported."))
		body.AppendUnstructuredTokens(commentTokens(fmt.Sprintf(
			"To manage it, set %s_wo = var.… (write-only, never stored) and %s_wo_version = 1.", name, name)))
	}
	for _, l := range w.o.Spec.Locals {
		if l.Derive == nil {
			body.AppendUnstructuredTokens(commentTokens(l.Name + ": not exported, as KAZOO's document does not hold it; set it to manage it from here."))
		}
	}
	for _, name := range names {
		a := sch.Attributes[name]
		if skipTop[name] || a.IsWriteOnly() || strings.HasSuffix(name, "_wo_version") || computedOnly(a) {
			continue
		}
		w.comments = nil
		toks, err := w.attr(a, attrs[name], name, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if toks == nil {
			continue
		}
		for _, c := range w.comments {
			body.AppendUnstructuredTokens(commentTokens(c))
		}
		body.SetAttributeRaw(name, toks)
	}
	return nil
}

func computedOnly(a rschema.Attribute) bool {
	return a.IsComputed() && !a.IsOptional() && !a.IsRequired()
}

func commentTokens(text string) hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + text + "\n")}}
}

// attr writes one attribute's value, or nil to leave it out. p is the Terraform path without
// list indexes (for RefersTo), disp the path with them (for comments and variable names).
func (w *blockWriter) attr(a rschema.Attribute, v tftypes.Value, p, disp string) (hclwrite.Tokens, error) {
	if !v.IsKnown() || v.IsNull() {
		return nil, nil
	}
	if a.IsSensitive() {
		return w.secret(a, v, p, disp)
	}
	switch at := a.(type) {
	case rschema.SingleNestedAttribute:
		return w.object(at.Attributes, v, p, disp)
	case rschema.ListNestedAttribute:
		return w.nestedList(at.NestedObject.Attributes, v, p, disp)
	case rschema.SetNestedAttribute:
		return w.nestedList(at.NestedObject.Attributes, v, p, disp)
	case rschema.MapNestedAttribute:
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		var items []hclwrite.ObjectAttrTokens
		for _, k := range sortedKeys(elems) {
			val, err := w.object(at.NestedObject.Attributes, elems[k], p, disp+"."+k)
			if err != nil {
				return nil, err
			}
			if val == nil {
				val = hclwrite.TokensForObject(nil)
			}
			items = append(items, hclwrite.ObjectAttrTokens{Name: w.key(k, p, disp), Value: val})
		}
		if len(items) == 0 {
			return nil, nil
		}
		return hclwrite.TokensForObject(items), nil
	}
	if engine.IsJSON(a) {
		var s string
		if err := v.As(&s); err != nil {
			return nil, err
		}
		var doc any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, err
		}
		return hclwrite.TokensForFunctionCall("jsonencode", w.json(doc, p, disp)), nil
	}
	return w.plain(v, p, disp)
}

// object writes the non-null, configurable children of a nested object; nil when none.
func (w *blockWriter) object(attrs map[string]rschema.Attribute, v tftypes.Value, p, disp string) (hclwrite.Tokens, error) {
	if !v.IsKnown() || v.IsNull() {
		return nil, nil
	}
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil {
		return nil, err
	}
	var items []hclwrite.ObjectAttrTokens
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		if computedOnly(a) {
			continue
		}
		toks, err := w.attr(a, vals[name], p+"."+name, disp+"."+name)
		if err != nil {
			return nil, err
		}
		if toks != nil {
			items = append(items, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(name), Value: toks})
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	return hclwrite.TokensForObject(items), nil
}

func (w *blockWriter) nestedList(attrs map[string]rschema.Attribute, v tftypes.Value, p, disp string) (hclwrite.Tokens, error) {
	return tuple(v, disp, func(e tftypes.Value, d string) (hclwrite.Tokens, error) {
		t, err := w.object(attrs, e, p, d)
		if t == nil && err == nil {
			t = hclwrite.TokensForObject(nil)
		}
		return t, err
	})
}

// tuple writes the elements of a list or set value, nil when it has none.
func tuple(v tftypes.Value, disp string, elem func(e tftypes.Value, disp string) (hclwrite.Tokens, error)) (hclwrite.Tokens, error) {
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return nil, nil
	}
	items := make([]hclwrite.Tokens, 0, len(elems))
	for i, e := range elems {
		t, err := elem(e, fmt.Sprintf("%s[%d]", disp, i))
		if err != nil {
			return nil, err
		}
		items = append(items, t)
	}
	return hclwrite.TokensForTuple(items), nil
}

// plain writes a value of a primitive, list, set, map or object type.
func (w *blockWriter) plain(v tftypes.Value, p, disp string) (hclwrite.Tokens, error) {
	if !v.IsKnown() {
		return nil, nil
	}
	if v.IsNull() {
		return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return nil, err
		}
		return w.str(s, p, disp), nil
	case t.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(cty.NumberVal(&f)), nil
	case t.Is(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(cty.BoolVal(b)), nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		return tuple(v, disp, func(e tftypes.Value, d string) (hclwrite.Tokens, error) { return w.plain(e, p, d) })
	case t.Is(tftypes.Map{}), t.Is(tftypes.Object{}):
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		var items []hclwrite.ObjectAttrTokens
		for _, k := range sortedKeys(elems) {
			if elems[k].IsNull() {
				continue
			}
			x, err := w.plain(elems[k], p, disp+"."+k)
			if err != nil {
				return nil, err
			}
			if x == nil {
				continue
			}
			items = append(items, hclwrite.ObjectAttrTokens{Name: w.key(k, p, disp), Value: x})
		}
		if len(items) == 0 {
			return nil, nil
		}
		return hclwrite.TokensForObject(items), nil
	}
	return nil, fmt.Errorf("%s: unsupported type %s", disp, t)
}

// json writes a decoded JSON value as an HCL expression (for jsonencode); ids of exported
// documents in keys or values become references where the attribute refers to other documents.
func (w *blockWriter) json(v any, p, disp string) hclwrite.Tokens {
	switch x := v.(type) {
	case map[string]any:
		var items []hclwrite.ObjectAttrTokens
		for _, k := range sortedKeys(x) {
			if x[k] == nil {
				continue
			}
			items = append(items, hclwrite.ObjectAttrTokens{Name: w.key(k, p, disp), Value: w.json(x[k], p, disp+"."+k)})
		}
		return hclwrite.TokensForObject(items)
	case []any:
		items := make([]hclwrite.Tokens, 0, len(x))
		for i, e := range x {
			items = append(items, w.json(e, p, fmt.Sprintf("%s[%d]", disp, i)))
		}
		return hclwrite.TokensForTuple(items)
	case string:
		return w.str(x, p, disp)
	case json.Number:
		if f, ok := new(big.Float).SetString(x.String()); ok {
			return hclwrite.TokensForValue(cty.NumberVal(f))
		}
		return hclwrite.TokensForValue(cty.StringVal(x.String()))
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(x))
	}
	return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType))
}

// key writes an object key: a reference in parentheses when it is the id of an exported
// document the attribute refers to, a bare name when HCL allows, else a quoted string.
func (w *blockWriter) key(k, p, disp string) hclwrite.Tokens {
	if ref := w.ref(k, p, disp); ref != nil {
		out := hclwrite.Tokens{{Type: hclsyntax.TokenOParen, Bytes: []byte("(")}}
		out = append(out, ref...)
		return append(out, &hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")})
	}
	if hclsyntax.ValidIdentifier(k) && k != "true" && k != "false" && k != "null" {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

// str writes a string: a reference when it is the id of an exported document the attribute
// refers to, else the string (with a comment when it is an id of a document not exported).
func (w *blockWriter) str(s, p, disp string) hclwrite.Tokens {
	if ref := w.ref(s, p, disp); ref != nil {
		return ref
	}
	return hclwrite.TokensForValue(cty.StringVal(s))
}

// ref returns the reference to the exported document with id s when the attribute at p refers
// to its type; an id that names no exported document is counted and commented.
func (w *blockWriter) ref(s, p, disp string) hclwrite.Tokens {
	types := w.refs[p]
	if len(types) == 0 || !hex32.MatchString(s) {
		return nil
	}
	if t := w.g.index[s]; t != nil && t != w.o && refersTo(types, t.Spec.TypeName) {
		if w.g.edges != nil { // the first pass only collects the graph
			w.g.edges[w.o] = append(w.g.edges[w.o], t)
		} else if w.g.broken[edge{w.o, t}] {
			w.g.stats.Cycles++
			w.comments = append(w.comments, fmt.Sprintf("%s: %s stays a literal id: a reference to %s would make a cycle, as it refers back to %s.",
				disp, s, t.Address(), w.o.Address()))
			return nil
		} else {
			w.g.stats.References++
		}
		return hclwrite.TokensForTraversal(hcl.Traversal{
			hcl.TraverseRoot{Name: "kazoo_" + t.Spec.TypeName},
			hcl.TraverseAttr{Name: t.Label},
			hcl.TraverseAttr{Name: "id"},
		})
	}
	if t := w.g.index[s]; t == w.o {
		w.g.stats.Literal++
		w.comments = append(w.comments, fmt.Sprintf("%s: %s is the document's own id; it stays a literal id.", disp, s))
		return nil
	}
	w.g.stats.Literal++
	what := "a document"
	if !(len(types) == 1 && types[0] == "*") {
		what = article(types[0]) + " " + strings.Join(types, " or ")
	}
	w.comments = append(w.comments, fmt.Sprintf("%s: %s is %s outside this export; it stays a literal id.", disp, s, what))
	return nil
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeio", rune(word[0])) { // "a user", "an account"
		return "an"
	}
	return "a"
}

func refersTo(types []string, t string) bool {
	for _, x := range types {
		if x == "*" || x == t {
			return true
		}
	}
	return false
}

// secret moves a sensitive value into a variable and writes the reference to it.
func (w *blockWriter) secret(a rschema.Attribute, v tftypes.Value, p, disp string) (hclwrite.Tokens, error) {
	inner := *w
	inner.comments = nil
	val, err := inner.plain(v, p, disp)
	if err != nil || val == nil {
		return nil, err
	}
	name := slug(w.o.Spec.TypeName + "_" + w.o.Label + "_" + disp)
	w.g.secrets = append(w.g.secrets, secret{
		name:     name,
		desc:     fmt.Sprintf("%s of %s, as KAZOO returned it.", disp, w.o.Address()),
		value:    val,
		isString: v.Type().Is(tftypes.String),
	})
	w.g.stats.Secrets++
	return hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: name}}), nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
