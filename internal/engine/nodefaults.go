package engine

import "github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"

// withoutDefaults returns a copy of the schema tree s with no default anywhere in it, for a
// collection that borrows another's schema but to whose documents KAZOO applies none of its
// defaults (Spec.NoDefaults: resource templates use the carriers' schema). Shared and
// recursive nodes are copied once.
func withoutDefaults(s *kazooschema.Schema, seen map[*kazooschema.Schema]*kazooschema.Schema) *kazooschema.Schema {
	if s == nil {
		return nil
	}
	if c, ok := seen[s]; ok {
		return c
	}
	c := *s
	seen[s] = &c
	c.Default = nil
	copyMap := func(m map[string]*kazooschema.Schema) map[string]*kazooschema.Schema {
		if m == nil {
			return nil
		}
		out := make(map[string]*kazooschema.Schema, len(m))
		for k, v := range m {
			out[k] = withoutDefaults(v, seen)
		}
		return out
	}
	copyList := func(l []*kazooschema.Schema) []*kazooschema.Schema {
		if l == nil {
			return nil
		}
		out := make([]*kazooschema.Schema, len(l))
		for i, v := range l {
			out[i] = withoutDefaults(v, seen)
		}
		return out
	}
	c.Properties = copyMap(s.Properties)
	c.PatternProperties = copyMap(s.PatternProperties)
	c.Items = withoutDefaults(s.Items, seen)
	c.AdditionalProperties = withoutDefaults(s.AdditionalProperties, seen)
	c.OneOf, c.AnyOf, c.AllOf = copyList(s.OneOf), copyList(s.AnyOf), copyList(s.AllOf)
	return &c
}
