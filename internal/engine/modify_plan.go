package engine

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ModifyPlan implements resource.ResourceWithModifyPlan. It replaces the framework's default
// plan for document attributes: configured values are managed, others keep KAZOO's value (or
// are unknown until the create answers), and managed values removed from the configuration are
// planned as KAZOO will hold them after the update (their default, or nothing).
func (r *Resource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	e := r.e
	creating := req.State.Raw.IsNull()
	cfg, prior := req.Config.Raw, req.State.Raw

	pl := &planner{was: map[string]bool{}}
	if !creating {
		was, recorded, diags := readManaged(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if !recorded {
			e.heldPaths(e.root, prior, "", was)
		}
		pl.was = was
		// Recorded here too, for the apply of this plan (an import block's).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManagedKey, encodeManaged(managedPaths(e.root, cfg)))...)
	}
	plan := pl.object(e.root, cfg, prior, !creating, req.Plan.Raw.Type(), "")

	// The engine's own attributes.
	typ := plan.Type().(tftypes.Object)
	owner := e.spec.ownerAttr()
	if ov := getAttr(cfg, owner); ov.IsNull() {
		if r.backend != nil && r.backend.AccountID() != "" {
			plan = withAttr(plan, owner, tftypes.NewValue(tftypes.String, r.backend.AccountID()))
		} else {
			plan = withAttr(plan, owner, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))
		}
	}
	switch {
	case e.spec.Scope == ScopeSingleton:
		plan = withAttr(plan, attrID, getAttr(plan, owner))
	case e.spec.Scope == ScopeKeyed:
		plan = withAttr(plan, attrID, getAttr(plan, e.spec.KeyAttr))
	case creating:
		plan = withAttr(plan, attrID, tftypes.NewValue(typ.AttributeTypes[attrID], tftypes.UnknownValue))
	default:
		plan = withAttr(plan, attrID, getAttr(prior, attrID))
	}
	plan = e.planSecrets(cfg, plan)
	plan = e.planLocals(cfg, plan, &resp.Diagnostics)
	plan, replaceCollection := e.planFreeForm(prior, plan, creating)
	if replaceCollection {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(e.spec.FreeForm.CollectionAttr))
	}

	if !creating {
		plan = e.planRecomputed(prior, plan)
		for _, name := range []string{owner, e.spec.KeyAttr} {
			if name == "" {
				continue
			}
			// A value only known at apply (the id of an account being replaced) may differ too.
			pv, nv := getAttr(prior, name), getAttr(plan, name)
			changed := nv.IsKnown() && !pv.Equal(nv) || !getAttr(cfg, name).IsKnown()
			if !pv.IsNull() && changed {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
			}
		}
		for _, p := range e.replacePaths() {
			if !valueAt(prior, p.tf).Equal(valueAt(plan, p.tf)) && valueAt(plan, p.tf).IsKnown() {
				resp.RequiresReplace = append(resp.RequiresReplace, p.path)
			}
		}
	}
	resp.Plan.Raw = plan
}

type replacePath struct {
	path path.Path
	tf   []string // attribute names from the root
}

// replacePaths lists the attributes whose change forces a new document (Override.RequiresReplace).
func (e *Engine) replacePaths() []replacePath {
	var out []replacePath
	var walk func(f *field, names []string, p path.Path)
	walk = func(f *field, names []string, p path.Path) {
		for _, c := range f.children {
			cn := append(append([]string{}, names...), c.name)
			cp := path.Root(c.name)
			if len(names) > 0 {
				cp = p.AtName(c.name)
			}
			if c.ov.RequiresReplace {
				out = append(out, replacePath{path: cp, tf: cn})
			}
			if c.kind == kindObject {
				walk(c, cn, cp)
			}
		}
	}
	walk(e.root, nil, path.Path{})
	return out
}

func valueAt(v tftypes.Value, names []string) tftypes.Value {
	for _, n := range names {
		v = getAttr(v, n)
	}
	return v
}
