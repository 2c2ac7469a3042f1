package engine

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ImportState implements resource.ResourceWithImportState: "<id>" or "<owner>/<id>", or the
// resource identity of an import block (see identity.go).
func (r *Resource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	raw := req.ID
	if s, ok := r.e.importIDFromIdentity(req.Identity); ok && raw == "" {
		raw = s
	}
	if r.e.spec.Parent != nil {
		r.importNested(ctx, raw, resp)
		return
	}
	if r.e.spec.FreeForm != nil {
		owner, collection, id, err := parseFreeFormImport(raw)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import id for "+r.typeName(), err.Error())
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), id)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrAccountID), owner)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.e.spec.FreeForm.CollectionAttr), collection)...)
		r.e.setIdentity(resp.State.Raw, resp.Identity)
		return
	}
	owner, id, err := r.e.spec.parseImport(raw)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id for "+r.typeName(), err.Error())
		return
	}
	if owner == "" && r.backend != nil {
		owner = r.backend.AccountID()
		if r.e.spec.Scope == ScopeAccounts {
			// A parent_id that differs from the account's real parent would plan a replacement:
			// find the real one among the provider account's descendants.
			if p, err := r.findParent(ctx, owner, id); err == nil && p != "" {
				owner = p
			}
		}
	}
	if r.e.spec.Scope == ScopeSingleton {
		id = owner
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.e.spec.ownerAttr()), owner)...)
	if r.e.spec.KeyAttr != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.e.spec.KeyAttr), id)...)
	}
	r.e.setIdentity(resp.State.Raw, resp.Identity)
}

// findParent returns the parent of account id from the descendants listing of root, whose rows
// carry each account's tree of ancestors.
func (r *Resource) findParent(ctx context.Context, root, id string) (string, error) {
	rows, err := r.backend.List(ctx, "/v2/accounts/"+esc(root)+"/descendants", nil)
	if err != nil {
		return "", err
	}
	for _, raw := range rows {
		var row struct {
			ID   string   `json:"id"`
			Tree []string `json:"tree"`
		}
		if json.Unmarshal(raw, &row) == nil && row.ID == id && len(row.Tree) > 0 {
			return row.Tree[len(row.Tree)-1], nil
		}
	}
	return "", nil
}
