package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// ValidateConfig implements resource.ResourceWithValidateConfig: JSON attributes must hold
// what KAZOO's schema allows, and extra_json only keys the typed attributes do not model.
func (r *Resource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.e.validateJSONContents(req.Config.Raw, &resp.Diagnostics)
	r.validateExtraJSON(getAttr(req.Config.Raw, r.e.extraAttr()), &resp.Diagnostics)
}

// validateJSONContents checks what JSON attributes hold against KAZOO's schema at plan time
// (typed attributes have their own validators). A callflow's flow is checked node by node down
// its children: each module must be one KAZOO has, and its data must fit that module's schema.
// Each failure is reported on the attribute and names the path inside it
// ("flow.children._.data.timeout"). Values only known at apply are left to KAZOO.
func (e *Engine) validateJSONContents(cfg tftypes.Value, diags *diag.Diagnostics) {
	if cfg.IsNull() || !cfg.IsKnown() {
		return
	}
	doc, err := objectToJSON(e.root, cfg)
	if err != nil {
		return // malformed JSON is reported by the attribute's type
	}
	errs, err := kazooschema.Validate(e.spec.Schema, doc)
	if err != nil || len(errs) == 0 {
		return
	}
	for _, key := range sortedKeys(errs) {
		f, p, ok := e.attributeAt(key)
		if !ok || !holdsJSON(f) {
			continue
		}
		// An attribute left out, or only known at apply, is KAZOO's to fill in or check.
		if v := valueAtPath(cfg, p); !v.IsKnown() || v.IsNull() {
			continue
		}
		var rules, hints []string
		for _, rule := range sortedKeys(errs[key]) {
			d := errs[key][rule]
			rules = append(rules, fmt.Sprintf("%s (rule %s)", d.Message, rule))
			if d.Suggestion != "" {
				hints = append(hints, fmt.Sprintf(" Did you mean %q?", d.Suggestion))
			}
			if rule == "type" && d.Coercible() {
				// KAZOO would store the number or boolean, which Terraform would then see as
				// a different value than the configured string.
				hints = append(hints, fmt.Sprintf(" Write %v without quotes.", d.Value))
			}
		}
		if len(rules) == 0 {
			continue
		}
		diags.AddAttributeError(p, "Invalid value for KAZOO",
			fmt.Sprintf("KAZOO would reject %q: %s.%s", key, strings.Join(rules, "; "), strings.Join(hints, "")))
	}
}

// valueAtPath follows attribute names and list indices from an object value.
func valueAtPath(v tftypes.Value, p path.Path) tftypes.Value {
	for _, step := range p.Steps() {
		switch st := step.(type) {
		case path.PathStepAttributeName:
			v = getAttr(v, string(st))
		case path.PathStepElementKeyInt:
			var elems []tftypes.Value
			if !v.IsKnown() || v.IsNull() || v.As(&elems) != nil || int(st) >= len(elems) {
				return tftypes.NewValue(tftypes.String, nil)
			}
			v = elems[st]
		case path.PathStepElementKeyString:
			var elems map[string]tftypes.Value
			if !v.IsKnown() || v.IsNull() || v.As(&elems) != nil {
				return tftypes.NewValue(tftypes.String, nil)
			}
			e, ok := elems[string(st)]
			if !ok {
				return tftypes.NewValue(tftypes.String, nil)
			}
			v = e
		default:
			return tftypes.NewValue(tftypes.String, nil)
		}
	}
	return v
}

func (e *Engine) modelled(key string) bool {
	for _, c := range e.root.children {
		if c.key == key {
			return true
		}
	}
	return false
}
