package engine

import (
	"context"
	"fmt"
	"strings"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Parent makes a ScopeAccount collection one nested below a document of another collection:
// KAZOO's list entries live at /v2/accounts/{account_id}/lists/{list_id}/entries[/{id}].
// Spec.Collection is then the nested segment ("entries").
type Parent struct {
	// Attr is the top-level attribute holding the parent document's id ("list_id"). Changing it
	// creates the document anew below the other parent.
	Attr string
	// Collection is the parent's collection ("lists").
	Collection string
}

// checkParent checks a spec's Parent against its attributes, and makes the parent attribute
// force a new document when it changes.
func (s *Spec) checkParent(root *field) error {
	if s.Parent == nil {
		return nil
	}
	f := root.child(s.Parent.Attr)
	switch {
	case s.Scope != ScopeAccount:
		return fmt.Errorf("%s: a nested collection must have ScopeAccount", s.TypeName)
	case s.Parent.Collection == "":
		return fmt.Errorf("%s: Parent.Collection is empty", s.TypeName)
	case f == nil || (f.kind != kindString && f.kind != kindScalar) || f.ov.ComputedOnly:
		return fmt.Errorf("%s: Parent.Attr %q is not a configurable top-level string attribute", s.TypeName, s.Parent.Attr)
	}
	f.ov.RequiresReplace = true
	return nil
}

// at returns the spec whose paths address documents below the parent that v (a plan, state
// or data source configuration) names. Specs without a Parent are returned as they are.
func (s *Spec) at(v tftypes.Value) *Spec {
	if s.Parent == nil {
		return s
	}
	return s.below(stringValue(getAttr(v, s.Parent.Attr)))
}

// below returns the spec whose paths address documents below the parent document parent.
func (s *Spec) below(parent string) *Spec {
	nested := *s
	nested.Collection = s.Parent.Collection + "/" + esc(parent) + "/" + s.Collection
	return &nested
}

// parentMissing reports whether v lacks the parent id the paths need.
func (s *Spec) parentMissing(v tftypes.Value) bool {
	return s.Parent != nil && stringValue(getAttr(v, s.Parent.Attr)) == ""
}

// parseNestedImport reads a nested document's import id: "<parent_id>/<id>" in the provider's
// account, or "<account_id>/<parent_id>/<id>".
func (s *Spec) parseNestedImport(raw string) (owner, parent, id string, err error) {
	parts := strings.Split(strings.TrimSpace(raw), "/")
	switch len(parts) {
	case 2:
		parent, id = parts[0], parts[1]
	case 3:
		owner, parent, id = parts[0], parts[1], parts[2]
	}
	if parent == "" || !hex32.MatchString(id) || (len(parts) == 3 && !hex32.MatchString(owner)) {
		return "", "", "", fmt.Errorf("the import id %q is not valid: use \"<%s>/<id>\" to import from the provider's account "+
			"or \"<account_id>/<%s>/<id>\", where account_id and id are 32 lowercase hexadecimal characters",
			raw, s.Parent.Attr, s.Parent.Attr)
	}
	return owner, parent, id, nil
}

// importNested imports a nested document from raw (see parseNestedImport).
func (r *Resource) importNested(ctx context.Context, raw string, resp *resource.ImportStateResponse) {
	s := r.e.spec
	owner, parent, id, err := s.parseNestedImport(raw)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id for "+r.typeName(), err.Error())
		return
	}
	if owner == "" && r.backend != nil {
		owner = r.backend.AccountID()
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(s.ownerAttr()), owner)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(s.Parent.Attr), parent)...)
	r.e.setIdentity(resp.State.Raw, resp.Identity)
}

// requireParent makes the data source's parent attribute a required argument: a nested
// document can only be read through its parent.
func (e *Engine) requireParent(attrs map[string]dschema.Attribute) {
	if e.spec.Parent == nil {
		return
	}
	f := e.root.child(e.spec.Parent.Attr)
	attrs[f.name] = dschema.StringAttribute{Required: true, MarkdownDescription: e.description(f), CustomType: e.stringType(f)}
}
