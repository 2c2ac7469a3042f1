package engine

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// errGone is a document KAZOO still answers for, although the resource no longer exists there
// (Hooks.Gone: a notification reverted to the system template).
var errGone = errors.New("the document is no longer in the account")

// Read implements resource.Resource: one GET; a missing document leaves the state.
func (r *Resource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
		return
	}
	prior := req.State.Raw
	id := stringValue(getAttr(prior, attrID))
	owner := r.owner(prior)
	var raw json.RawMessage
	err := retry(ctx, func() (bool, error) {
		var err error
		raw, err = getDoc(ctx, r.backend, r.e.spec, r.at(prior).itemPath(owner, id))
		return transient(err), err
	})
	if err == nil && r.e.spec.Hooks.Gone != nil {
		if doc, derr := docFromJSON(raw); derr == nil && r.e.spec.Hooks.Gone(doc) {
			err = &APIError{Status: 404, Message: "bad_identifier", Err: errGone}
		}
	}
	if isNotFound(err) {
		tflog.Debug(ctx, "document not found in KAZOO; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		// The framework wants an identity even for a document that is gone (and the CLI may
		// not have sent one): the prior state's.
		r.e.setIdentity(prior, resp.Identity)
		return
	}
	if err != nil {
		r.e.addAPIError(&resp.Diagnostics, opRead, r.typeName(), err)
		return
	}
	managed, recorded, _ := readManaged(ctx, req.Private)
	state, err := r.stateFromDoc(raw, r.e.readBase(prior, managed, recorded), id, owner, false)
	if err != nil {
		resp.Diagnostics.AddError("Error reading "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	resp.State.Raw = state
	r.e.setIdentity(state, resp.Identity)
}
