package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Update implements resource.Resource: one PATCH of what changed, or GET + overlay + POST
// where KAZOO has no PATCH.
func (r *Resource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
		return
	}
	e := r.e
	prior, plan := req.State.Raw, req.Plan.Raw
	id := stringValue(getAttr(prior, attrID))
	owner := r.owner(prior)
	patch, err := patchObject(e.root, prior, plan)
	if err == nil {
		err = mergeExtra(patch, getAttr(plan, e.extraAttr()), getAttr(prior, e.extraAttr()))
	}
	if err != nil {
		resp.Diagnostics.AddError("Error updating "+r.typeName(), err.Error())
		return
	}
	e.secretsToSend(patch, req.Config.Raw, prior, plan)
	for name, with := range e.spec.SendSecretWith {
		key := e.root.child(name).key
		if _, ok := patch[key]; ok || !setsAnyKey(patch, with) {
			continue
		}
		if secret, ok := configuredSecret(req.Config.Raw, plan, name); ok {
			patch[key] = secret
		}
	}
	managed := encodeManaged(managedPaths(e.root, req.Config.Raw))
	if len(patch) == 0 {
		// Only the engine's own attributes changed (accept_charges, a version without a
		// write-only value, locals): no document to send.
		state := r.withSpecials(prior, plan)
		if e.localsChanged(prior, plan) {
			raw, err := r.afterWrite(ctx, r.at(prior).itemPath(owner, id), false, prior, plan, nil)
			if err != nil {
				e.addAPIError(&resp.Diagnostics, opUpdate, r.typeName(), err)
				return
			}
			if raw != nil {
				if state, err = r.stateFromDoc(raw, plan, id, owner, true); err != nil {
					resp.Diagnostics.AddError("Error updating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
					return
				}
			}
		}
		resp.State.Raw = state
		e.setIdentity(state, resp.Identity)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManagedKey, managed)...)
		return
	}
	for _, k := range e.spec.AlwaysSend {
		if _, ok := patch[k]; ok {
			continue
		}
		if f := e.root.childByKey(k); f != nil {
			if x, known, err := valueToJSON(f, getAttr(plan, f.name)); err == nil && known && x != nil {
				patch[k] = x
			}
		}
	}
	if e.spec.Hooks.BeforeWrite != nil {
		if err := e.spec.Hooks.BeforeWrite(ctx, patch, true); err != nil {
			resp.Diagnostics.AddError("Error updating "+r.typeName(), err.Error())
			return
		}
	}
	item := r.at(prior).itemPath(owner, id)
	tflog.Debug(ctx, "updating KAZOO document", map[string]any{"path": item, "keys": sortedKeys(patch), "patch": e.spec.Patch})
	var raw json.RawMessage
	err = retry(ctx, func() (bool, error) {
		var err error
		raw, err = r.writeFrom(ctx, item, patch, writeOptions(plan), lineage{req.Config.Raw, prior})
		// Another writer may have won the race for the document's revision (409). A merge
		// patch, or an overlay on a fresh copy, applies the same change again safely.
		return transient(err) || apiStatus(err) == 409, err
	})
	if isNotFound(err) {
		resp.Diagnostics.AddError("Error updating "+r.typeName(),
			fmt.Sprintf("The document %s no longer exists in KAZOO. Run terraform apply again to create it anew.", id))
		return
	}
	if err != nil {
		e.addAPIError(&resp.Diagnostics, opUpdate, r.typeName(), err)
		return
	}
	var hookErr error
	if e.localsChanged(prior, plan) {
		raw, hookErr = r.afterWrite(ctx, item, false, prior, plan, raw)
	}
	state, err := r.stateFromDoc(raw, plan, id, owner, true)
	if err != nil {
		resp.Diagnostics.AddError("Error updating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	if hookErr != nil {
		e.addAPIError(&resp.Diagnostics, opUpdate, r.typeName(), hookErr)
		state = e.withPriorLocals(state, prior)
	}
	resp.State.Raw = state
	e.setIdentity(state, resp.Identity)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManagedKey, managed)...)
}

// setsAnyKey reports whether the patch gives one of keys a new value. A key it removes
// (null) does not count: KAZOO makes up a username for a password sent without one.
func setsAnyKey(patch map[string]any, keys []string) bool {
	for _, k := range keys {
		if v, ok := patch[k]; ok && v != nil {
			return true
		}
	}
	return false
}

// configuredSecret returns the value of a WriteOnlySecrets attribute the configuration gives:
// its write-only twin (known only during the apply) or the attribute itself.
func configuredSecret(cfg, plan tftypes.Value, name string) (string, bool) {
	for _, v := range []tftypes.Value{getAttr(cfg, name+woSuffix), getAttr(plan, name)} {
		if v.IsKnown() && !v.IsNull() {
			return stringValue(v), true
		}
	}
	return "", false
}

// write sends an update: PATCH, or GET + overlay + POST where KAZOO has no PATCH.
func (r *Resource) write(ctx context.Context, item string, patch map[string]any, opts WriteOptions) (json.RawMessage, error) {
	return r.writeFrom(ctx, item, patch, opts, lineage{})
}

// writeFrom is write for an update whose lists of objects continue the prior items the plan
// paired them with (from).
func (r *Resource) writeFrom(ctx context.Context, item string, patch map[string]any, opts WriteOptions, from lineage) (json.RawMessage, error) {
	if r.e.spec.Patch {
		if err := r.keepUnmodelledItemKeys(ctx, item, patch, from); err != nil {
			return nil, err
		}
		raw, err := r.backend.Patch(ctx, item, patch, opts)
		if apiStatus(err) != 405 {
			return raw, err
		}
		// The endpoint has no PATCH after all (a free-form document's collection may not).
	}
	return r.overlayAndPostFrom(ctx, item, patch, opts, from)
}

// overlayAndPost updates where KAZOO has no PATCH. POST replaces the whole public document, so
// the current document is fetched and the patch laid over it: keys Terraform does not manage
// survive.
func (r *Resource) overlayAndPost(ctx context.Context, item string, patch map[string]any, opts WriteOptions) (json.RawMessage, error) {
	return r.overlayAndPostFrom(ctx, item, patch, opts, lineage{})
}

func (r *Resource) overlayAndPostFrom(ctx context.Context, item string, patch map[string]any, opts WriteOptions, from lineage) (json.RawMessage, error) {
	raw, err := r.backend.Get(ctx, item)
	if err != nil {
		return nil, err
	}
	doc, err := docFromJSON(raw)
	if err != nil {
		return nil, err
	}
	delete(doc, "_read_only")
	carryUnmodelled(r.e.root, patch, doc, from)
	return r.backend.Post(ctx, item, mergePatch(doc, patch), opts)
}

func (f *field) childByKey(key string) *field {
	for _, c := range f.children {
		if c.key == key {
			return c
		}
	}
	return nil
}
