package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// Engine is a Spec made ready: its attribute tree is derived once and shared by the resource
// and data source it serves.
type Engine struct {
	spec     *Spec
	root     *field
	describe DescribeFunc
}

// Options configure an Engine.
type Options struct {
	// Describe returns the description of a schema path (descriptions.For).
	Describe DescribeFunc
}

// New derives an Engine from a spec. It fails when the spec does not fit its schema (unknown
// schema, duplicate attribute names, a secret that is not an attribute).
func New(spec Spec, opts Options) (*Engine, error) {
	root, err := buildFields(&spec)
	if err != nil {
		return nil, err
	}
	switch {
	case spec.Scope == ScopeKeyed && (spec.KeyAttr == "" || root.child(spec.KeyAttr) != nil || reservedNames[spec.KeyAttr]):
		return nil, fmt.Errorf("%s: a keyed resource needs a KeyAttr that is not a document attribute", spec.TypeName)
	case spec.Scope != ScopeKeyed && spec.KeyAttr != "":
		return nil, fmt.Errorf("%s: KeyAttr is only for keyed resources", spec.TypeName)
	case spec.Scope == ScopeSingleton:
		spec.NoLookupByID = true
		spec.Lookups = nil
	}
	if err := checkLocals(&spec, root); err != nil {
		return nil, err
	}
	for name := range spec.SendSecretWith {
		if !slices.Contains(spec.WriteOnlySecrets, name) {
			return nil, fmt.Errorf("%s: SendSecretWith names %q, which is not one of WriteOnlySecrets", spec.TypeName, name)
		}
	}
	for p, ov := range spec.Overrides {
		if ov.Normalize != "" {
			if _, err := normalizer(ov.Normalize); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", spec.TypeName, p, err)
			}
		}
	}
	return &Engine{spec: &spec, root: root, describe: opts.Describe}, nil
}

// MustNew is New for specs fixed in the source.
func MustNew(spec Spec, opts Options) *Engine {
	e, err := New(spec, opts)
	if err != nil {
		panic(err)
	}
	return e
}

// Spec returns the engine's spec.
func (e *Engine) Spec() Spec { return *e.spec }

// Resource returns a constructor of the Terraform resource.
func (e *Engine) Resource() func() resource.Resource {
	return func() resource.Resource { return &Resource{e: e} }
}

// Resource is the Terraform resource an Engine implements.
type Resource struct {
	e       *Engine
	backend Backend
}

var (
	_ resource.ResourceWithConfigure        = (*Resource)(nil)
	_ resource.ResourceWithImportState      = (*Resource)(nil)
	_ resource.ResourceWithModifyPlan       = (*Resource)(nil)
	_ resource.ResourceWithValidateConfig   = (*Resource)(nil)
	_ resource.ResourceWithConfigValidators = (*Resource)(nil)
)

func (r *Resource) typeName() string { return "kazoo_" + r.e.spec.TypeName }

// Metadata implements resource.Resource.
func (r *Resource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.e.spec.TypeName
}

// Schema implements resource.Resource.
func (r *Resource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.e.resourceSchema()
}

// Configure implements resource.ResourceWithConfigure.
func (r *Resource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	b, err := backendFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected Resource Configure Type", err.Error())
		return
	}
	r.backend = b
}

// ConfigValidators implements resource.ResourceWithConfigValidators.
func (r *Resource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return r.e.spec.Hooks.ConfigValidators
}

// ValidateConfig implements resource.ResourceWithValidateConfig: extra_json may only carry
// keys the typed attributes do not model, and no private keys KAZOO would drop.
func (r *Resource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	r.e.validateJSONContents(req.Config.Raw, &resp.Diagnostics)
	extra := getAttr(req.Config.Raw, attrExtraJSON)
	if !extra.IsKnown() || extra.IsNull() {
		return
	}
	var doc map[string]any
	if err := decodeJSON([]byte(stringValue(extra)), &doc); err != nil {
		return // the attribute's type reports malformed JSON
	}
	for _, k := range sortedKeys(doc) {
		switch {
		case k == "id" || r.e.modelled(k):
			resp.Diagnostics.AddAttributeError(path.Root(attrExtraJSON), "Key modelled by an attribute",
				fmt.Sprintf("extra_json sets %q, which %s manages through its own attribute; set it there instead.", k, r.typeName()))
		case len(k) > 0 && k[0] == '_' || len(k) > 4 && k[:4] == "pvt_":
			resp.Diagnostics.AddAttributeError(path.Root(attrExtraJSON), "Private key in extra_json",
				fmt.Sprintf("KAZOO drops keys starting with \"_\" or \"pvt_\" from requests, so %q cannot be managed.", k))
		}
	}
}

// validateJSONContents checks what JSON attributes hold against KAZOO's schema at plan time
// (typed attributes have their own validators): a callflow node without a module fails on
// "flow" before any request is sent. Values only known at apply are left to KAZOO.
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
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		f, p, ok := e.attributeAt(key)
		if !ok || f.kind != kindJSON {
			continue
		}
		// An attribute left out, or only known at apply, is KAZOO's to fill in or check.
		if v := valueAtPath(cfg, p); !v.IsKnown() || v.IsNull() {
			continue
		}
		rules := make([]string, 0, len(errs[key]))
		for rule, d := range errs[key] {
			rules = append(rules, fmt.Sprintf("%s (rule %s)", d.Message, rule))
		}
		sort.Strings(rules)
		diags.AddAttributeError(p, "Invalid value for KAZOO",
			fmt.Sprintf("KAZOO would reject %q: %s.", key, strings.Join(rules, "; ")))
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

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

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

	pl := &planner{removed: map[string]bool{}}
	if !creating {
		was, diags := readManaged(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		now := managedPaths(e.root, cfg)
		for p := range was {
			if !now[p] {
				pl.removed[p] = true
			}
		}
	}
	plan := pl.object(e.root, cfg, prior, !creating, req.Plan.Raw.Type())

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
	for _, name := range e.spec.WriteOnlySecrets {
		plan = withAttr(plan, name+woSuffix, tftypes.NewValue(tftypes.String, nil))
	}
	plan = e.planLocals(cfg, plan, &resp.Diagnostics)

	if !creating {
		if docChanged(e.root, prior, plan) || extraChanged(prior, plan) || e.localsChanged(prior, plan) {
			plan = markComputedOnlyUnknown(e.root, plan)
		}
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

func extraChanged(prior, plan tftypes.Value) bool {
	a, b := getAttr(prior, attrExtraJSON), getAttr(plan, attrExtraJSON)
	if a.Equal(b) {
		return false
	}
	if !b.IsKnown() || a.IsNull() || b.IsNull() {
		return true
	}
	return !jsonEquivalent(nil, stringValue(a), stringValue(b))
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

func readManaged(ctx context.Context, p interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) (map[string]bool, diag.Diagnostics) {
	out := map[string]bool{}
	b, diags := p.GetKey(ctx, privateManagedKey)
	if len(b) == 0 {
		return out, diags
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return out, diags
	}
	for _, s := range list {
		out[s] = true
	}
	return out, diags
}

func encodeManaged(m map[string]bool) []byte {
	b, _ := json.Marshal(sortedPaths(m))
	return b
}

func (r *Resource) ensureBackend(diags *diag.Diagnostics) bool {
	if r.backend == nil {
		diags.AddError("Provider not configured",
			"The kazoo provider was not configured before "+r.typeName()+" was used; this is a bug in the provider, please report it.")
		return false
	}
	return true
}

func writeOptions(v tftypes.Value) WriteOptions {
	ac := getAttr(v, attrAcceptCharges)
	if !ac.IsKnown() || ac.IsNull() {
		return WriteOptions{}
	}
	var b bool
	_ = ac.As(&b)
	return WriteOptions{AcceptCharges: &b}
}

func (r *Resource) owner(v tftypes.Value) string {
	if o := stringValue(getAttr(v, r.e.spec.ownerAttr())); o != "" {
		return o
	}
	return r.backend.AccountID()
}

// Create implements resource.Resource: one PUT with a client-chosen id.
func (r *Resource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
		return
	}
	e := r.e
	plan := req.Plan.Raw
	doc, err := objectToJSON(e.root, plan)
	if err == nil {
		err = mergeExtra(doc, getAttr(plan, attrExtraJSON), tftypes.NewValue(tftypes.String, nil))
	}
	if err != nil {
		resp.Diagnostics.AddError("Error creating "+r.typeName(), err.Error())
		return
	}
	for _, name := range e.spec.WriteOnlySecrets {
		if wo := getAttr(req.Config.Raw, name+woSuffix); wo.IsKnown() && !wo.IsNull() {
			doc[e.root.child(name).key] = stringValue(wo)
		}
	}
	if e.spec.Hooks.BeforeWrite != nil {
		if err := e.spec.Hooks.BeforeWrite(ctx, doc, false); err != nil {
			resp.Diagnostics.AddError("Error creating "+r.typeName(), err.Error())
			return
		}
	}
	owner := r.owner(plan)
	var id string
	switch e.spec.Scope {
	case ScopeSingleton:
		id = owner
	case ScopeKeyed:
		id = stringValue(getAttr(plan, e.spec.KeyAttr))
	default:
		if id, err = newID(); err != nil {
			resp.Diagnostics.AddError("Error creating "+r.typeName(), "Could not generate a document id: "+err.Error())
			return
		}
		doc["id"] = id
	}
	var raw json.RawMessage
	err = retry(ctx, func() (bool, error) {
		if e.spec.CreateWithPost {
			raw, err = r.overlayAndPost(ctx, e.spec.createPath(owner, id), doc, writeOptions(plan))
		} else {
			raw, err = r.backend.Put(ctx, e.spec.createPath(owner, id), doc, writeOptions(plan))
		}
		if err == nil || !outcomeUnknown(err) || !e.spec.clientChosenID() {
			return false, err
		}
		// The PUT may have been applied even though its answer was lost, or a retry found the
		// document the first attempt made: the id is ours, so adopt what is there. When it is
		// not there, sending the PUT again cannot make a duplicate.
		got, gerr := r.backend.Get(ctx, e.spec.itemPath(owner, id))
		if gerr == nil {
			tflog.Warn(ctx, "create answered with an error but the document exists; adopting it",
				map[string]any{"id": id, "error": err.Error()})
			raw = got
			return false, nil
		}
		return isNotFound(gerr) || transient(gerr), err
	})
	if err != nil {
		e.addAPIError(&resp.Diagnostics, opCreate, r.typeName(), err)
		if e.spec.clientChosenID() && (outcomeUnknown(err) || errors.Is(err, context.Canceled)) {
			r.keepUncertainCreate(ctx, resp, plan, id)
		}
		return
	}
	raw, hookErr := r.afterWrite(ctx, e.spec.itemPath(owner, id), true, tftypes.NewValue(plan.Type(), nil), plan, raw)
	state, err := r.stateFromDoc(raw, plan, id, owner)
	if err != nil {
		resp.Diagnostics.AddError("Error creating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	if hookErr != nil {
		// The document exists: keep it in the state (tainted by the error) without the locals.
		e.addAPIError(&resp.Diagnostics, opCreate, r.typeName(), hookErr)
		state = e.withPriorLocals(state, tftypes.NewValue(plan.Type(), nil))
	}
	resp.State.Raw = state
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateManagedKey, encodeManaged(managedPaths(e.root, req.Config.Raw)))...)
}

// keepUncertainCreate answers a create that KAZOO may have applied although no answer said so
// (the connection dropped and the document could not be read back): the state keeps the id,
// and Terraform marks the resource tainted because the create failed. The next plan then reads
// that id: gone, it is created again; there, it is deleted and created anew. Either way no
// second document is left behind.
func (r *Resource) keepUncertainCreate(ctx context.Context, resp *resource.CreateResponse, plan tftypes.Value, id string) {
	state, err := tftypes.Transform(plan, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		return
	}
	resp.State.Raw = withAttr(state, attrID, tftypes.NewValue(tftypes.String, id))
	resp.Diagnostics.AddWarning(r.typeName()+" may exist in KAZOO",
		fmt.Sprintf("KAZOO may have stored the document %s before the error. Terraform keeps its id, marked tainted: "+
			"the next apply deletes it if it exists and creates it again, so no duplicate is left.", id))
}

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
		raw, err = r.backend.Get(ctx, r.e.spec.itemPath(owner, id))
		return transient(err), err
	})
	if isNotFound(err) {
		tflog.Debug(ctx, "document not found in KAZOO; removing it from the state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.e.addAPIError(&resp.Diagnostics, opRead, r.typeName(), err)
		return
	}
	state, err := r.stateFromDoc(raw, prior, id, owner)
	if err != nil {
		resp.Diagnostics.AddError("Error reading "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	resp.State.Raw = state
}

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
		err = mergeExtra(patch, getAttr(plan, attrExtraJSON), getAttr(prior, attrExtraJSON))
	}
	if err != nil {
		resp.Diagnostics.AddError("Error updating "+r.typeName(), err.Error())
		return
	}
	for _, name := range e.spec.WriteOnlySecrets {
		pv, nv := getAttr(prior, name+woVersionSuffix), getAttr(plan, name+woVersionSuffix)
		wo := getAttr(req.Config.Raw, name+woSuffix)
		if !pv.Equal(nv) && wo.IsKnown() && !wo.IsNull() {
			patch[e.root.child(name).key] = stringValue(wo)
		}
	}
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
			raw, err := r.afterWrite(ctx, e.spec.itemPath(owner, id), false, prior, plan, nil)
			if err != nil {
				e.addAPIError(&resp.Diagnostics, opUpdate, r.typeName(), err)
				return
			}
			if raw != nil {
				if state, err = r.stateFromDoc(raw, plan, id, owner); err != nil {
					resp.Diagnostics.AddError("Error updating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
					return
				}
			}
		}
		resp.State.Raw = state
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
	item := e.spec.itemPath(owner, id)
	tflog.Debug(ctx, "updating KAZOO document", map[string]any{"path": item, "keys": sortedKeys(patch), "patch": e.spec.Patch})
	var raw json.RawMessage
	err = retry(ctx, func() (bool, error) {
		var err error
		raw, err = r.write(ctx, item, patch, writeOptions(plan))
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
	raw, hookErr := raw, error(nil)
	if e.localsChanged(prior, plan) {
		raw, hookErr = r.afterWrite(ctx, item, false, prior, plan, raw)
	}
	state, err := r.stateFromDoc(raw, plan, id, owner)
	if err != nil {
		resp.Diagnostics.AddError("Error updating "+r.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	if hookErr != nil {
		e.addAPIError(&resp.Diagnostics, opUpdate, r.typeName(), hookErr)
		state = e.withPriorLocals(state, prior)
	}
	resp.State.Raw = state
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
	if r.e.spec.Patch {
		return r.backend.Patch(ctx, item, patch, opts)
	}
	return r.overlayAndPost(ctx, item, patch, opts)
}

// overlayAndPost updates where KAZOO has no PATCH. POST replaces the whole public document, so
// the current document is fetched and the patch laid over it: keys Terraform does not manage
// survive.
func (r *Resource) overlayAndPost(ctx context.Context, item string, patch map[string]any, opts WriteOptions) (json.RawMessage, error) {
	raw, err := r.backend.Get(ctx, item)
	if err != nil {
		return nil, err
	}
	doc, err := docFromJSON(raw)
	if err != nil {
		return nil, err
	}
	delete(doc, "_read_only")
	return r.backend.Post(ctx, item, mergePatch(doc, patch), opts)
}

// Delete implements resource.Resource: one DELETE; a document already gone is deleted.
func (r *Resource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.ensureBackend(&resp.Diagnostics) {
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
		err := r.backend.Delete(ctx, r.e.spec.itemPath(r.owner(prior), id))
		return transient(err), err
	})
	if err != nil && !isNotFound(err) {
		r.e.addAPIError(&resp.Diagnostics, opDelete, r.typeName(), err)
	}
}

// ImportState implements resource.ResourceWithImportState: "<id>" or "<owner>/<id>".
func (r *Resource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	owner, id, err := r.e.spec.parseImport(req.ID)
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

// stateFromDoc builds the state from a KAZOO document. base (the plan after a write, the prior
// state after a read) supplies what KAZOO does not return: the engine's own attributes and
// write-only secrets.
func (r *Resource) stateFromDoc(raw json.RawMessage, base tftypes.Value, id, owner string) (tftypes.Value, error) {
	e := r.e
	doc, err := docFromJSON(raw)
	if err != nil {
		return tftypes.Value{}, err
	}
	if got, ok := doc["id"].(string); ok && got != "" && e.spec.clientChosenID() {
		id = got
	}
	e.keepAbsent(doc, base)
	typ := base.Type().(tftypes.Object)
	specials := map[string]tftypes.Value{
		attrID:               tftypes.NewValue(tftypes.String, id),
		r.e.spec.ownerAttr(): tftypes.NewValue(tftypes.String, owner),
		attrAcceptCharges:    knownOrNull(getAttr(base, attrAcceptCharges)),
		attrExtraJSON:        extraFromDoc(getAttr(base, attrExtraJSON), doc),
	}
	if e.spec.KeyAttr != "" {
		specials[e.spec.KeyAttr] = tftypes.NewValue(tftypes.String, id)
	}
	e.localSpecials(specials, base)
	for _, name := range r.e.spec.WriteOnlySecrets {
		specials[name] = knownOrNull(getAttr(base, name))
		specials[name+woSuffix] = tftypes.NewValue(tftypes.String, nil)
		specials[name+woVersionSuffix] = knownOrNull(getAttr(base, name+woVersionSuffix))
	}
	return docToValue(r.e.root, doc, typ, specials)
}

// keepAbsent fills into doc the base values of KeepWhenAbsent attributes KAZOO left out.
func (e *Engine) keepAbsent(doc map[string]any, base tftypes.Value) {
	var walk func(f *field, m map[string]any, v tftypes.Value)
	walk = func(f *field, m map[string]any, v tftypes.Value) {
		for _, c := range f.children {
			cv := getAttr(v, c.name)
			if !cv.IsKnown() || cv.IsNull() {
				continue
			}
			if c.kind == kindObject {
				sub, ok := m[c.key].(map[string]any)
				if !ok {
					continue // the whole object is gone: that is drift, not a dropped default
				}
				walk(c, sub, cv)
				continue
			}
			if _, present := m[c.key]; present || !c.ov.KeepWhenAbsent {
				continue
			}
			if x, known, err := valueToJSON(c, cv); err == nil && known && x != nil {
				m[c.key] = x
			}
		}
	}
	walk(e.root, doc, base)
}

// withSpecials returns prior with the engine's own attributes taken from plan.
func (r *Resource) withSpecials(prior, plan tftypes.Value) tftypes.Value {
	out := withAttr(prior, attrAcceptCharges, getAttr(plan, attrAcceptCharges))
	for _, name := range r.e.spec.WriteOnlySecrets {
		out = withAttr(out, name+woVersionSuffix, getAttr(plan, name+woVersionSuffix))
	}
	for _, l := range r.e.spec.Locals {
		out = withAttr(out, l.Name, getAttr(plan, l.Name))
	}
	return out
}

func knownOrNull(v tftypes.Value) tftypes.Value {
	if !v.IsKnown() {
		return tftypes.NewValue(v.Type(), nil)
	}
	return v
}

// extraFromDoc reads back the keys extra_json names, from the document.
func extraFromDoc(named tftypes.Value, doc map[string]any) tftypes.Value {
	if !named.IsKnown() || named.IsNull() {
		return tftypes.NewValue(tftypes.String, nil)
	}
	var want map[string]any
	if decodeJSON([]byte(stringValue(named)), &want) != nil {
		return named
	}
	got := map[string]any{}
	for k := range want {
		if v, ok := doc[k]; ok {
			got[k] = v
		}
	}
	b, err := json.Marshal(got)
	if err != nil {
		return named
	}
	return tftypes.NewValue(tftypes.String, string(b))
}

// mergeExtra adds extra_json's keys to a document or patch; keys the prior extra_json named
// and the planned one no longer does are removed (null).
func mergeExtra(doc map[string]any, plan, prior tftypes.Value) error {
	var want, had map[string]any
	if plan.IsKnown() && !plan.IsNull() {
		if err := decodeJSON([]byte(stringValue(plan)), &want); err != nil {
			return fmt.Errorf("extra_json: %w", err)
		}
	}
	if prior.IsKnown() && !prior.IsNull() {
		_ = decodeJSON([]byte(stringValue(prior)), &had)
	}
	for k, v := range want {
		old, ok := had[k]
		switch {
		case !ok:
			doc[k] = v
		case !jsonEqual(old, v):
			doc[k] = mergeDiff(old, v)
		}
	}
	for k := range had {
		if _, ok := want[k]; !ok {
			doc[k] = nil
		}
	}
	return nil
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(canonicalJSON(a))
	y, _ := json.Marshal(canonicalJSON(b))
	return string(x) == string(y)
}

func (f *field) childByKey(key string) *field {
	for _, c := range f.children {
		if c.key == key {
			return c
		}
	}
	return nil
}
