package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Local is a string attribute of the resource that lives only in Terraform: it is never a key
// of the KAZOO document. Media's source_file (the local path of the audio) and the hash of that
// file's content are locals; Hooks.AfterWrite acts on them (uploads the file).
type Local struct {
	// Name is the attribute name.
	Name string
	// Description is its Markdown description.
	Description string
	// Derive, when set, makes the attribute computed: its planned value is derived at plan time
	// from the configured locals (a file's hash from its path). A change of the derived value
	// plans an update. Derive's error is reported on the attribute DeriveFrom.
	Derive     func(cfg map[string]string) (string, error)
	DeriveFrom string
	// Validators check a configured value.
	Validators []validator.String
}

// WriteContext is what Hooks.AfterWrite gets after a create or an update of a document.
type WriteContext struct {
	// Backend is the provider's connection to KAZOO; it implements Uploader.
	Backend Backend
	// Path is the document's own path.
	Path string
	// Creating is true after a create.
	Creating bool
	// Locals are the planned values of the spec's locals ("" for null), PriorLocals those of the
	// state before the write (empty on create, and after an import).
	Locals, PriorLocals map[string]string
}

func (e *Engine) localSchema(attrs map[string]rschema.Attribute) {
	for _, l := range e.spec.Locals {
		attrs[l.Name] = rschema.StringAttribute{
			Optional:            l.Derive == nil,
			Computed:            l.Derive != nil,
			MarkdownDescription: l.Description,
			Validators:          l.Validators,
		}
	}
}

// localValues reads the spec's locals from an object value; unknown and null values are "".
func (e *Engine) localValues(v tftypes.Value) map[string]string {
	out := map[string]string{}
	if v.IsNull() || !v.IsKnown() {
		return out
	}
	for _, l := range e.spec.Locals {
		if x := getAttr(v, l.Name); x.IsKnown() && !x.IsNull() {
			out[l.Name] = stringValue(x)
		}
	}
	return out
}

// planLocals sets the derived locals of a plan. A derivation needing a value only known at
// apply is unknown.
func (e *Engine) planLocals(cfg, plan tftypes.Value, diags *diag.Diagnostics) tftypes.Value {
	known := true
	for _, l := range e.spec.Locals {
		if l.Derive == nil {
			if !getAttr(cfg, l.Name).IsKnown() {
				known = false
			}
		}
	}
	vals := e.localValues(cfg)
	for _, l := range e.spec.Locals {
		if l.Derive == nil {
			continue
		}
		if !known {
			plan = withAttr(plan, l.Name, tftypes.NewValue(tftypes.String, tftypes.UnknownValue))
			continue
		}
		got, err := l.Derive(vals)
		if err != nil {
			diags.AddAttributeError(path.Root(l.DeriveFrom), "Invalid "+l.DeriveFrom, err.Error())
			continue
		}
		v := tftypes.NewValue(tftypes.String, nil)
		if got != "" {
			v = tftypes.NewValue(tftypes.String, got)
		}
		plan = withAttr(plan, l.Name, v)
	}
	return plan
}

// localsChanged reports whether a plan changes a local.
func (e *Engine) localsChanged(prior, plan tftypes.Value) bool {
	for _, l := range e.spec.Locals {
		if !getAttr(prior, l.Name).Equal(getAttr(plan, l.Name)) {
			return true
		}
	}
	return false
}

// localSpecials carries the locals of base into a state built from a document.
func (e *Engine) localSpecials(specials map[string]tftypes.Value, base tftypes.Value) {
	for _, l := range e.spec.Locals {
		specials[l.Name] = knownOrNull(getAttr(base, l.Name))
	}
}

// afterWrite runs Hooks.AfterWrite. It returns the document KAZOO answered last (raw when the
// hook had nothing to add).
func (r *Resource) afterWrite(ctx context.Context, item string, creating bool, prior, plan tftypes.Value, raw json.RawMessage) (json.RawMessage, error) {
	hook := r.e.spec.Hooks.AfterWrite
	if hook == nil {
		return raw, nil
	}
	got, err := hook(ctx, WriteContext{
		Backend: r.backend, Path: item, Creating: creating,
		Locals: r.e.localValues(plan), PriorLocals: r.e.localValues(prior),
	})
	if err != nil || got == nil {
		return raw, err
	}
	return got, nil
}

// withPriorLocals returns state with the locals of prior: after a failed AfterWrite the state
// says what KAZOO holds, so the next plan tries again.
func (e *Engine) withPriorLocals(state, prior tftypes.Value) tftypes.Value {
	for _, l := range e.spec.Locals {
		v := tftypes.NewValue(tftypes.String, nil)
		if !prior.IsNull() {
			v = knownOrNull(getAttr(prior, l.Name))
		}
		state = withAttr(state, l.Name, v)
	}
	return state
}

// checkLocals refuses locals that shadow an attribute.
func checkLocals(s *Spec, root *field) error {
	seen := map[string]bool{}
	for _, l := range s.Locals {
		if l.Name == "" || root.child(l.Name) != nil || reservedNames[l.Name] || seen[l.Name] {
			return fmt.Errorf("%s: local %q is empty, repeated or the name of another attribute", s.TypeName, l.Name)
		}
		if (l.Derive == nil) != (l.DeriveFrom == "") {
			return fmt.Errorf("%s: local %q needs Derive and DeriveFrom together", s.TypeName, l.Name)
		}
		seen[l.Name] = true
	}
	return nil
}
