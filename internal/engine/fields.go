package engine

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// kind is how a schema node is modelled in Terraform.
type kind int

const (
	kindString kind = iota
	kindInt
	kindFloat
	kindBool
	// kindScalar is a node that allows several scalar JSON types (boolean|string,
	// string|integer). It is a string attribute: "true"/"false" and numbers are written back
	// as JSON booleans and numbers when the schema allows them.
	kindScalar
	kindList       // array of scalars
	kindObject     // object with properties: nested attributes
	kindObjectList // array of objects with properties: list of nested attributes
	kindJSON       // anything else: a JSON string attribute
	// kindMap is a map (additionalProperties or one patternProperties) of scalars, or of
	// values only JSON can hold (elem kindJSON): a map attribute.
	kindMap
	// kindObjectMap is a map whose values are objects with properties: a map nested attribute.
	kindObjectMap
	// kindKeySet is a map whose values carry nothing (number -> {}), modelled as the set of its
	// keys (Override.KeySet).
	kindKeySet
)

// field is one attribute of a resource, derived from a schema node.
type field struct {
	name     string // Terraform attribute name
	key      string // JSON key in the document
	path     string // dotted JSON path (list items continue the path without an index)
	kind     kind
	elem     kind // element kind of kindList and kindMap
	node     *kazooschema.Schema
	children []*field
	ov       Override
	required bool   // required by the schema and without a default: Required in the resource
	secret   bool   // a password or PIN: Sensitive (see secrets.go)
	desc     string // set for Additional attributes
}

func (f *field) child(name string) *field {
	for _, c := range f.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// terraformName turns a JSON key into a valid Terraform attribute name: lower case, letters,
// digits and underscores, not a name Terraform reserves.
func terraformName(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r - 'A' + 'a')
		default:
			b.WriteRune('_')
		}
	}
	name := b.String()
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		name = "_" + name
	}
	if reservedNames[name] {
		name += "_value"
	}
	return name
}

// reservedNames are the names Terraform keeps for meta-arguments, plus names the engine adds to
// every resource.
var reservedNames = map[string]bool{
	"connection": true, "count": true, "depends_on": true, "for_each": true, "lifecycle": true,
	"provider": true, "provisioner": true, "alias": true, "version": true,
	"account_id": true, "parent_id": true, "extra_json": true, "accept_charges": true,
}

// buildFields derives the attribute tree of a document from its schema and the spec.
func buildFields(spec *Spec) (*field, error) {
	s := &kazooschema.Schema{Type: []string{"object"}}
	if spec.FreeForm == nil || spec.Schema != "" {
		var err error
		if s, err = kazooschema.Get(spec.Schema); err != nil {
			return nil, err
		}
	}
	if spec.NoDefaults {
		s = withoutDefaults(s, map[*kazooschema.Schema]*kazooschema.Schema{})
	}
	root := &field{kind: kindObject, node: s}
	if err := addChildren(spec, root, s, ""); err != nil {
		return nil, err
	}
	for _, a := range spec.Additional {
		if a.Key == "id" || s.Properties[a.Key] != nil {
			return nil, fmt.Errorf("%s: additional key %q is already modelled", spec.TypeName, a.Key)
		}
		f, err := newField(spec, a.Key, a.Key, a.Schema, a.Override)
		if err != nil {
			return nil, err
		}
		f.desc = a.Description
		f.required = a.Required
		root.children = append(root.children, f)
	}
	// "id" is the engine's own attribute; a schema that declares it must not shadow it.
	kept := root.children[:0]
	for _, c := range root.children {
		if c.key != "id" {
			kept = append(kept, c)
		}
	}
	root.children = kept
	if err := checkNames(root); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.TypeName, err)
	}
	return root, nil
}

func addChildren(spec *Spec, parent *field, s *kazooschema.Schema, prefix string) error {
	for _, key := range s.PropertyNames() {
		p := key
		if prefix != "" {
			p = prefix + "." + key
		}
		ov := spec.Overrides[p]
		if ov.Exclude {
			continue
		}
		f, err := newField(spec, key, p, s.Properties[key], ov)
		if err != nil {
			return err
		}
		f.required = prefix == "" && s.IsRequired(key) && len(f.node.Default) == 0 && !ov.ComputedOnly && !ov.Optional
		parent.children = append(parent.children, f)
	}
	return nil
}

func newField(spec *Spec, key, p string, node *kazooschema.Schema, ov Override) (*field, error) {
	if node == nil {
		node = &kazooschema.Schema{}
	}
	f := &field{name: terraformName(key), key: key, path: p, node: node, ov: ov}
	if ov.Name != "" {
		f.name = ov.Name
	}
	if ov.Shape != nil {
		f.node, node = ov.Shape, ov.Shape
	}
	f.kind, f.elem = classify(node)
	switch {
	case ov.JSON:
		f.kind = kindJSON
	case ov.KeySet:
		f.kind, f.elem = kindKeySet, kindString
	}
	switch f.kind {
	case kindObject:
		if err := addChildren(spec, f, node, p); err != nil {
			return nil, err
		}
	case kindObjectList:
		if err := addChildren(spec, f, node.Items, p); err != nil {
			return nil, err
		}
	case kindObjectMap:
		if err := addChildren(spec, f, f.mapValueNode(), p+mapValueStep); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// classify decides how a node is modelled; see the package documentation of descriptions.Paths
// for the same walk.
func classify(s *kazooschema.Schema) (kind, kind) {
	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Recursive {
		return kindJSON, 0
	}
	types := nonNullTypes(s)
	if len(types) > 1 {
		for _, t := range types {
			if t == "object" || t == "array" {
				return kindJSON, 0
			}
		}
		return kindScalar, 0
	}
	t := ""
	if len(types) == 1 {
		t = types[0]
	}
	switch t {
	case "string":
		return kindString, 0
	case "integer":
		return kindInt, 0
	case "number":
		return kindFloat, 0
	case "boolean":
		return kindBool, 0
	case "array":
		if s.Items == nil {
			return kindJSON, 0
		}
		if expandable(s.Items) {
			return kindObjectList, 0
		}
		ek, _ := classify(s.Items)
		switch ek {
		case kindString, kindInt, kindFloat, kindBool:
			return kindList, ek
		}
		return kindJSON, 0
	case "object", "":
		if expandable(s) {
			return kindObject, 0
		}
		if value, _, ok := mapValue(s); ok {
			return classifyMap(value)
		}
		if t == "" && len(s.Enum) > 0 && allStrings(s.Enum) {
			return kindString, 0
		}
		return kindJSON, 0
	}
	return kindJSON, 0
}

// expandable mirrors descriptions.Expandable: an object with plain properties only.
func expandable(s *kazooschema.Schema) bool {
	return s != nil && len(s.Properties) > 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 &&
		s.AdditionalProperties == nil && len(s.PatternProperties) == 0 && !s.Recursive
}

func nonNullTypes(s *kazooschema.Schema) []string {
	var out []string
	for _, t := range s.Type {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

func allStrings(vs []any) bool {
	for _, v := range vs {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// checkNames fails when two attributes of one object end up with the same Terraform name.
func checkNames(f *field) error {
	seen := map[string]string{}
	for _, c := range f.children {
		if other, dup := seen[c.name]; dup {
			return fmt.Errorf("keys %q and %q both map to attribute %q", other, c.key, c.name)
		}
		seen[c.name] = c.key
		if err := checkNames(c); err != nil {
			return err
		}
	}
	return nil
}

// Paths lists the dotted JSON path of every attribute derived from the spec's schema, in the
// order descriptions.Paths walks them (excluded attributes left out, additional ones appended).
func Paths(spec *Spec) ([]string, error) {
	root, err := buildFields(spec)
	if err != nil {
		return nil, err
	}
	var out []string
	root.eachDescendant(func(f *field) { out = append(out, f.path) })
	return out, nil
}

// Renames lists the attributes whose Terraform name differs from their JSON key, as
// "json.path -> terraform_name", sorted.
func Renames(spec *Spec) ([]string, error) {
	root, err := buildFields(spec)
	if err != nil {
		return nil, err
	}
	var out []string
	root.eachDescendant(func(f *field) {
		if f.name != f.key {
			out = append(out, f.path+" -> "+f.name)
		}
	})
	sort.Strings(out)
	return out, nil
}

// eachDescendant calls fn for every field below f, depth first, parents before children.
func (f *field) eachDescendant(fn func(*field)) {
	for _, c := range f.children {
		fn(c)
		c.eachDescendant(fn)
	}
}

var (
	patternMu    sync.Mutex
	patternCache = map[string]*regexp.Regexp{}
)

// compilePattern compiles a JSON schema pattern with Go's regexp, or returns nil when Go's
// syntax cannot express it (KAZOO's patterns are simple; a nil pattern skips the validator).
func compilePattern(p string) *regexp.Regexp {
	patternMu.Lock()
	defer patternMu.Unlock()
	if re, ok := patternCache[p]; ok {
		return re
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	patternCache[p] = re
	return re
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
