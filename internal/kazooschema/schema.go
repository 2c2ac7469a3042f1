package kazooschema

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// Schema is one node of a KAZOO JSON schema (draft-04) with its facts only. Nodes reached
// through "$ref" are resolved: Ref keeps the referenced schema's name and the node carries the
// referenced facts, overlaid with any facts written beside the "$ref".
type Schema struct {
	Type                 []string           `json:"-"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	PatternProperties    map[string]*Schema `json:"patternProperties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Default              json.RawMessage    `json:"default,omitempty"`
	MinLength            *int               `json:"minLength,omitempty"`
	MaxLength            *int               `json:"maxLength,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	ExclusiveMinimum     bool               `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum     bool               `json:"exclusiveMaximum,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	MaxItems             *int               `json:"maxItems,omitempty"`
	UniqueItems          bool               `json:"uniqueItems,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	Format               string             `json:"format,omitempty"`
	Items                *Schema            `json:"-"`
	AdditionalProperties *Schema            `json:"-"`
	// NoAdditionalProperties is true when the schema says "additionalProperties": false.
	NoAdditionalProperties bool      `json:"-"`
	OneOf                  []*Schema `json:"oneOf,omitempty"`
	AnyOf                  []*Schema `json:"anyOf,omitempty"`
	AllOf                  []*Schema `json:"allOf,omitempty"`
	Ref                    string    `json:"$ref,omitempty"`

	// Recursive is true when this node is a reference back to one of its own ancestors
	// (a callflow node's children are callflow nodes). Such a node is not expanded again.
	Recursive bool `json:"-"`
}

// UnmarshalJSON reads a node, accepting the draft-04 forms that have more than one shape
// ("type" as a string or a list, "items" as a schema or a list, "additionalProperties" as a
// boolean or a schema).
func (s *Schema) UnmarshalJSON(b []byte) error {
	type plain Schema
	var aux struct {
		plain
		Type  json.RawMessage `json:"type"`
		Items json.RawMessage `json:"items"`
		Addl  json.RawMessage `json:"additionalProperties"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*s = Schema(aux.plain)
	if len(aux.Type) > 0 {
		var one string
		if json.Unmarshal(aux.Type, &one) == nil {
			s.Type = []string{one}
		} else if err := json.Unmarshal(aux.Type, &s.Type); err != nil {
			return fmt.Errorf("type: %w", err)
		}
	}
	if len(aux.Items) > 0 {
		if aux.Items[0] == '[' {
			// Tuple validation: KAZOO uses none of it in REST documents; keep the first item.
			var list []*Schema
			if err := json.Unmarshal(aux.Items, &list); err != nil {
				return fmt.Errorf("items: %w", err)
			}
			if len(list) > 0 {
				s.Items = list[0]
			}
		} else {
			s.Items = &Schema{}
			if err := json.Unmarshal(aux.Items, s.Items); err != nil {
				return fmt.Errorf("items: %w", err)
			}
		}
	}
	if len(aux.Addl) > 0 {
		var allowed bool
		if json.Unmarshal(aux.Addl, &allowed) == nil {
			s.NoAdditionalProperties = !allowed
		} else {
			s.AdditionalProperties = &Schema{}
			if err := json.Unmarshal(aux.Addl, s.AdditionalProperties); err != nil {
				return fmt.Errorf("additionalProperties: %w", err)
			}
		}
	}
	return nil
}

// HasType reports whether the node allows the JSON type t ("string", "object", ...).
func (s *Schema) HasType(t string) bool {
	for _, x := range s.Type {
		if x == t || (t == "number" && x == "integer") {
			return true
		}
	}
	return false
}

// IsRequired reports whether the property name is required by this object node.
func (s *Schema) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// PropertyNames returns the node's property names in sorted order.
func (s *Schema) PropertyNames() []string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultValue decodes the node's default, or returns nil when there is none.
func (s *Schema) DefaultValue() any {
	if len(s.Default) == 0 {
		return nil
	}
	var v any
	_ = json.Unmarshal(s.Default, &v)
	return v
}

// Names lists every schema name known to the package.
func Names() []string {
	names := make([]string, 0, len(rawSchemas))
	for n := range rawSchemas {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Raw returns the generated facts of a schema as JSON, with "$ref"s left unresolved (for
// validators that resolve references themselves).
func Raw(name string) (json.RawMessage, bool) {
	r, ok := rawSchemas[name]
	return json.RawMessage(r), ok
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Schema{}
)

// Get returns the schema with every "$ref" resolved. The result is shared: do not modify it.
func Get(name string) (*Schema, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if s, ok := cache[name]; ok {
		return s, nil
	}
	s, err := resolve(name, nil)
	if err != nil {
		return nil, err
	}
	cache[name] = s
	return s, nil
}

// MustGet is Get for schema names fixed in the source; it panics on an unknown name.
func MustGet(name string) *Schema {
	s, err := Get(name)
	if err != nil {
		panic(err)
	}
	return s
}

func parse(name string) (*Schema, error) {
	raw, ok := rawSchemas[name]
	if !ok {
		return nil, fmt.Errorf("kazooschema: unknown schema %q", name)
	}
	var s Schema
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return nil, fmt.Errorf("kazooschema: %s: %w", name, err)
	}
	return &s, nil
}

// resolve parses the named schema and expands its references. stack holds the names being
// expanded, so that a reference to an ancestor becomes a Recursive leaf instead of a loop.
func resolve(name string, stack []string) (*Schema, error) {
	s, err := parse(name)
	if err != nil {
		return nil, err
	}
	if err := expand(s, append(stack, name)); err != nil {
		return nil, err
	}
	return s, nil
}

func expand(s *Schema, stack []string) error {
	if s == nil {
		return nil
	}
	if s.Ref != "" {
		for _, n := range stack {
			if n == s.Ref {
				s.Recursive = true
				return nil
			}
		}
		target, err := resolve(s.Ref, stack)
		if err != nil {
			return err
		}
		overlay(target, s)
		*s = *target
		return nil // the target was expanded by resolve
	}
	for _, p := range s.Properties {
		if err := expand(p, stack); err != nil {
			return err
		}
	}
	for _, p := range s.PatternProperties {
		if err := expand(p, stack); err != nil {
			return err
		}
	}
	for _, list := range [][]*Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for _, p := range list {
			if err := expand(p, stack); err != nil {
				return err
			}
		}
	}
	if err := expand(s.Items, stack); err != nil {
		return err
	}
	return expand(s.AdditionalProperties, stack)
}

// overlay copies the facts written beside a "$ref" (for example a default) onto the resolved
// target, and records the reference's name.
func overlay(target, local *Schema) {
	target.Ref = local.Ref
	if len(local.Default) > 0 {
		target.Default = local.Default
	}
	if len(local.Type) > 0 {
		target.Type = local.Type
	}
	if len(local.Enum) > 0 {
		target.Enum = local.Enum
	}
	if local.MaxLength != nil {
		target.MaxLength = local.MaxLength
	}
	if local.MinLength != nil {
		target.MinLength = local.MinLength
	}
}
