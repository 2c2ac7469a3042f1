package engine

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resource identity (Terraform 1.12+): every engine resource is identified by the account that
// holds the document and the document's own name in it, derived from the spec's scope:
//
//	ScopeAccount   account_id + id
//	ScopeAccounts  parent_id + id (parent_id optional on import: the engine finds it)
//	ScopeKeyed     account_id + the key attribute (the number)
//	ScopeSingleton account_id
//	FreeForm       account_id + the collection attribute + id (all required on import)
//
// The identity is written after every create, read, update and import, and never changes for
// the life of the document (a different account or key is a new document).

var _ resource.ResourceWithIdentity = (*Resource)(nil)

// identityAttr is one attribute of a resource identity.
type identityAttr struct {
	name     string
	required bool // RequiredForImport; otherwise OptionalForImport
	desc     string
}

// identityAttrs lists the identity's attributes in their import-id order.
func (s *Spec) identityAttrs() []identityAttr {
	owner := identityAttr{name: attrAccountID,
		desc: "The id of the account that holds the document. Defaults to the provider's account on import."}
	id := identityAttr{name: attrID, required: true, desc: "The document's id in KAZOO (32 lowercase hexadecimal characters)."}
	if ff := s.FreeForm; ff != nil {
		owner.required = true
		owner.desc = "The id of the account that holds the document."
		return []identityAttr{owner, {name: ff.CollectionAttr, required: true, desc: "The collection the document lives in, its path under the account."}, id}
	}
	if p := s.Parent; p != nil {
		return []identityAttr{owner, {name: p.Attr, required: true, desc: "The id of the " + p.Collection + " document the document lives below."}, id}
	}
	switch s.Scope {
	case ScopeAccounts:
		return []identityAttr{
			{name: attrParentID, desc: "The id of the parent account. On import it may be left out: the provider finds it among the provider account's descendants."},
			{name: attrID, required: true, desc: "The account's id (32 lowercase hexadecimal characters)."},
		}
	case ScopeKeyed:
		return []identityAttr{owner, {name: s.KeyAttr, required: true, desc: "The document's key in KAZOO, which is also its id."}}
	case ScopeSingleton:
		return []identityAttr{owner}
	}
	return []identityAttr{owner, id}
}

// identityType is the Terraform type of the identity object.
func (s *Spec) identityType() tftypes.Object {
	types := map[string]tftypes.Type{}
	for _, a := range s.identityAttrs() {
		types[a.name] = tftypes.String
	}
	return tftypes.Object{AttributeTypes: types}
}

// IdentitySchema implements resource.ResourceWithIdentity.
func (r *Resource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.e.identitySchema()
}

func (e *Engine) identitySchema() identityschema.Schema {
	attrs := map[string]identityschema.Attribute{}
	for _, a := range e.spec.identityAttrs() {
		attrs[a.name] = identityschema.StringAttribute{RequiredForImport: a.required, OptionalForImport: !a.required, Description: a.desc}
	}
	return identityschema.Schema{Attributes: attrs}
}

// identityOf derives the identity from a resource state.
func (e *Engine) identityOf(state tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for _, a := range e.spec.identityAttrs() {
		v := getAttr(state, a.name)
		if !v.IsKnown() {
			v = tftypes.NewValue(tftypes.String, nil)
		}
		vals[a.name] = v
	}
	return tftypes.NewValue(e.spec.identityType(), vals)
}

// setIdentity writes the identity of state into a response's identity, when the CLI supports
// identities (the framework leaves it nil otherwise).
func (e *Engine) setIdentity(state tftypes.Value, to *tfsdk.ResourceIdentity) {
	if to == nil || state.IsNull() {
		return
	}
	to.Raw = e.identityOf(state)
}

// importIDFromIdentity turns an identity given in an import block into the import id the
// scope's string form uses, so both ways of importing share one parser.
func (e *Engine) importIDFromIdentity(ident *tfsdk.ResourceIdentity) (string, bool) {
	if ident == nil || ident.Raw.IsNull() || !ident.Raw.IsKnown() {
		return "", false
	}
	owner := stringValue(getAttr(ident.Raw, e.spec.ownerAttr()))
	if ff := e.spec.FreeForm; ff != nil {
		return owner + "/" + stringValue(getAttr(ident.Raw, ff.CollectionAttr)) + "/" + stringValue(getAttr(ident.Raw, attrID)), true
	}
	if p := e.spec.Parent; p != nil {
		nested := stringValue(getAttr(ident.Raw, p.Attr)) + "/" + stringValue(getAttr(ident.Raw, attrID))
		if owner == "" {
			return nested, true
		}
		return owner + "/" + nested, true
	}
	switch e.spec.Scope {
	case ScopeSingleton:
		return owner, true
	case ScopeKeyed:
		key := stringValue(getAttr(ident.Raw, e.spec.KeyAttr))
		if owner == "" {
			return key, true
		}
		return owner + "/" + key, true
	}
	id := stringValue(getAttr(ident.Raw, attrID))
	if owner == "" {
		return id, true
	}
	return owner + "/" + id, true
}
