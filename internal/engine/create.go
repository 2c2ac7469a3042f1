package engine

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Create implements resource.Resource: one PUT with a client-chosen id.
func (r *Resource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
		return
	}
	e := r.e
	plan := req.Plan.Raw
	// The configuration, not the plan: what the plan adds (KAZOO's defaults) is KAZOO's to fill in.
	doc, err := objectToJSON(e.root, req.Config.Raw)
	if err == nil {
		err = mergeExtra(doc, getAttr(plan, e.extraAttr()), tftypes.NewValue(tftypes.String, nil))
	}
	if err != nil {
		resp.Diagnostics.AddError("Error creating "+r.typeName(), err.Error())
		return
	}
	e.secretsToSend(doc, req.Config.Raw, tftypes.NewValue(plan.Type(), nil), plan)
	if e.spec.Hooks.BeforeWrite != nil {
		if err := e.spec.Hooks.BeforeWrite(ctx, doc, false); err != nil {
			resp.Diagnostics.AddError("Error creating "+r.typeName(), err.Error())
			return
		}
	}
	owner := r.owner(plan)
	var id, pending string
	claimed := false
	switch e.spec.Scope {
	case ScopeSingleton:
		id = owner
	case ScopeKeyed:
		id = stringValue(getAttr(plan, e.spec.KeyAttr))
		if e.spec.KeyInBody {
			doc["id"] = id
		}
	default:
		// An earlier create of this document may have stored it without saying so: its id,
		// journalled then, is reused, so KAZOO's copy is adopted rather than made twice.
		pending = pendingKeyOf(r.at(plan).createPath(owner, ""), doc)
		if id, claimed = reuseUncertainID(ctx, pending); !claimed {
			if id, err = newID(); err != nil {
				resp.Diagnostics.AddError("Error creating "+r.typeName(), "Could not generate a document id: "+err.Error())
				return
			}
		}
		doc["id"] = id
	}
	var raw json.RawMessage
	err = retry(ctx, func() (bool, error) {
		if e.spec.Scope == ScopeSingleton {
			raw, err = r.upsertSingleton(ctx, r.at(plan).createPath(owner, id), doc, writeOptions(plan))
		} else if e.spec.CreateWithPost {
			raw, err = r.overlayAndPost(ctx, r.at(plan).createPath(owner, id), doc, writeOptions(plan))
		} else {
			raw, err = r.backend.Put(ctx, r.at(plan).createPath(owner, id), doc, writeOptions(plan))
		}
		if err == nil || !outcomeUnknown(err) || !e.spec.clientChosenID() {
			return false, err
		}
		// The PUT may have been applied even though its answer was lost, or a retry found the
		// document the first attempt made: the id is ours, so adopt what is there. When it is
		// not there, sending the PUT again cannot make a duplicate.
		got, gerr := getDoc(ctx, r.backend, e.spec, r.at(plan).itemPath(owner, id))
		if gerr == nil {
			tflog.Warn(ctx, "create answered with an error but the document exists; adopting it",
				map[string]any{"id": id, "error": err.Error()})
			raw = got
			return false, nil
		}
		return isNotFound(gerr) || transient(gerr), err
	})
	if claimed {
		endCreate(ctx, pending, id, err == nil)
	}
	if err != nil {
		e.addAPIError(&resp.Diagnostics, opCreate, r.typeName(), err)
		if e.spec.clientChosenID() && (outcomeUnknown(err) || errors.Is(err, context.Canceled)) {
			r.answerUncertainCreate(ctx, resp, plan, id, pending, r.at(plan).itemPath(owner, id))
		}
		return
	}
	raw, hookErr := r.afterWrite(ctx, r.at(plan).itemPath(owner, id), true, tftypes.NewValue(plan.Type(), nil), plan, raw)
	if hookErr != nil && e.spec.clientChosenID() && r.rollBack(ctx, r.at(plan).itemPath(owner, id)) {
		// The upload failed: the document made for it is deleted again, so the create fails
		// whole and the next apply starts over (no state: Terraform 1.16 cannot save the state
		// of a failed create).
		e.addAPIError(&resp.Diagnostics, opCreate, r.typeName(), hookErr)
		return
	}
	state, err := r.stateFromDoc(raw, plan, id, owner, true)
	if err != nil {
		resp.Diagnostics.AddError("Error creating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	if hookErr != nil {
		// The document exists and could not be deleted: keep it in the state (tainted by the
		// error) without the locals.
		e.addAPIError(&resp.Diagnostics, opCreate, r.typeName(), hookErr)
		state = e.withPriorLocals(state, tftypes.NewValue(plan.Type(), nil))
	}
	resp.State.Raw = state
	e.setIdentity(state, resp.Identity)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManagedKey, encodeManaged(managedPaths(e.root, req.Config.Raw)))...)
}

// rollBack deletes a document a failed create made; it reports whether it is gone.
func (r *Resource) rollBack(ctx context.Context, item string) bool {
	err := r.backend.Delete(ctx, item)
	return err == nil || isNotFound(err)
}
