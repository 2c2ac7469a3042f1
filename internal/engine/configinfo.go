package engine

import (
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Facts for tools that write configuration for the provider's resources (kazoo-export): they
// walk the resource schema and the state the engine reads, and need to know what the schema
// alone does not say.

// IsJSON reports whether a resource attribute holds a JSON document as a string, which
// configuration writes with jsonencode.
func IsJSON(a rschema.Attribute) bool {
	s, ok := a.(rschema.StringAttribute)
	if !ok {
		return false
	}
	_, ok = s.CustomType.(jsonType)
	return ok
}

// OwnerAttr is the attribute naming the account a document belongs to: parent_id for the
// account tree, account_id otherwise.
func (s *Spec) OwnerAttr() string { return s.ownerAttr() }

// AttrPaths maps the dotted JSON path of every attribute derived from the spec to its dotted
// Terraform path (they differ where a key is renamed: "sort-string" is sort_string).
func AttrPaths(spec *Spec) (map[string]string, error) {
	root, err := buildFields(spec)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(f *field, prefix string)
	walk = func(f *field, prefix string) {
		for _, c := range f.children {
			p := c.name
			if prefix != "" {
				p = prefix + "." + c.name
			}
			out[c.path] = p
			walk(c, p)
		}
	}
	walk(root, "")
	return out, nil
}
