package engine

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Delete implements resource.Resource: one DELETE; a document already gone is deleted.
func (r *Resource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
		return
	}
	if r.e.spec.Scope == ScopeSingleton {
		r.resetSingleton(ctx, req, resp)
		return
	}
	if r.e.spec.NoDelete {
		resp.Diagnostics.AddWarning(r.typeName()+" left in KAZOO",
			"KAZOO cannot delete this document; Terraform no longer manages it, and KAZOO keeps its current settings.")
		return
	}
	prior := req.State.Raw
	id := stringValue(getAttr(prior, attrID))
	err := retry(ctx, func() (bool, error) {
		err := r.backend.Delete(ctx, r.at(prior).itemPath(r.owner(prior), id))
		return transient(err), err
	})
	if err != nil && !isNotFound(err) {
		r.e.addAPIError(&resp.Diagnostics, opDelete, r.typeName(), err)
	}
}
