package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	lschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// List resources (Terraform 1.14+ `terraform query`): every engine resource type can list
// what its collection holds in an account, so that existing documents can be found and their
// configuration generated (`terraform query -generate-config-out`). The list pages through
// the whole collection; KAZOO's own list filters narrow it on the server: one `filter_<name>`
// argument per top-level scalar attribute, and `filters` for any other key (dotted for
// nested ones, as Crossbar's `filter_<key>` takes them). With include_resource each result
// carries the full document, read with one GET as Read would.

// Names of the list configuration's own arguments.
const (
	listFilterPrefix = "filter_"
	listFilters      = "filters"
)

// ListResource returns a constructor of the list resource of the engine's resource type.
func (e *Engine) ListResource() func() list.ListResource {
	return func() list.ListResource { return &ListResource{e: e} }
}

// ListResource is the list resource an Engine implements.
type ListResource struct {
	e       *Engine
	backend Backend
}

var (
	_ list.ListResourceWithConfigure = (*ListResource)(nil)
)

// Metadata implements list.ListResource: the same type name as the resource.
func (l *ListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.e.spec.TypeName
}

// Configure implements list.ListResourceWithConfigure.
func (l *ListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	b, err := backendFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected List Resource Configure Type", err.Error())
		return
	}
	l.backend = l.e.spec.readBackend(b) // documents are read as Read reads them
}

// filterFields are the top-level attributes that get a filter_<name> argument.
func (e *Engine) filterFields() []*field {
	var out []*field
	for _, f := range e.root.children {
		switch f.kind {
		case kindString, kindInt, kindFloat, kindBool, kindScalar:
		default:
			continue
		}
		if f.ov.Sensitive || f.ov.Exclude || f.ov.NoListFilter || e.isSecret(f.name) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// filterKey is the key Crossbar's list filters compare a filter field by.
func filterKey(f *field) string {
	if f.ov.ListFilter != "" {
		return f.ov.ListFilter
	}
	return f.key
}

// ListResourceConfigSchema implements list.ListResource.
func (l *ListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	e := l.e
	owner := e.spec.ownerAttr()
	ownerDesc := "The id of the account whose documents are listed. Defaults to the provider's account."
	if owner == attrParentID {
		ownerDesc = "The id of the account whose sub-accounts are listed. Defaults to the provider's account."
	}
	attrs := map[string]lschema.Attribute{
		owner: lschema.StringAttribute{Optional: true, MarkdownDescription: ownerDesc},
		listFilters: lschema.MapAttribute{
			ElementType: types.StringType,
			Optional:    true,
			MarkdownDescription: "KAZOO list filters for keys without their own `filter_` argument: each entry keeps only the documents " +
				"whose key (dotted for nested keys, such as `sip.username`) equals the value, as Crossbar's `filter_<key>` does.",
		},
	}
	if ff := e.spec.FreeForm; ff != nil {
		attrs[ff.CollectionAttr] = lschema.StringAttribute{Required: true, MarkdownDescription: ff.CollectionDescription}
	}
	if e.spec.Scope != ScopeSingleton {
		for _, f := range e.filterFields() {
			attrs[listFilterPrefix+f.name] = lschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("Keep only the documents whose `%s` equals this value (KAZOO's `filter_%s`).", f.name, filterKey(f)),
			}
		}
	}
	if k := e.spec.KeyFilter; k != "" {
		attrs[listFilterPrefix+e.spec.KeyAttr] = lschema.StringAttribute{
			Optional:   true,
			Validators: e.spec.KeyValidators,
			MarkdownDescription: fmt.Sprintf("Keep only the document whose `%s` is this value (KAZOO's `filter_%s`).",
				e.spec.KeyAttr, k),
		}
	}
	if p := e.spec.Parent; p != nil {
		// A nested collection is listed below one parent document.
		attrs[listFilterPrefix+p.Attr] = lschema.StringAttribute{Required: true,
			MarkdownDescription: fmt.Sprintf("The id of the `%s` document whose documents are listed.", p.Collection)}
	}
	resp.Schema = lschema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the `kazoo_%s` documents of an account, paging through the whole collection, "+
			"for `terraform query` and `terraform query -generate-config-out`. Each result is identified by the resource identity "+
			"of `kazoo_%s`; with `include_resource = true` it also carries the whole document.", e.spec.TypeName, e.spec.TypeName),
		Attributes: attrs,
	}
}

// List implements list.ListResource.
func (l *ListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.backend == nil {
		var diags diag.Diagnostics
		diags.AddError("Provider not configured",
			"The kazoo provider was not configured before the list of kazoo_"+l.e.spec.TypeName+" ran; this is a bug in the provider, please report it.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	e := l.e
	cfg := req.Config.Raw
	owner := stringValue(getAttr(cfg, e.spec.ownerAttr()))
	if owner == "" {
		owner = l.backend.AccountID()
	}
	spec := e.spec
	if ff := e.spec.FreeForm; ff != nil {
		// A free-form resource lists the collection the configuration names.
		s := *e.spec
		s.Collection = stringValue(getAttr(cfg, ff.CollectionAttr))
		spec = &s
	}
	if p := e.spec.Parent; p != nil {
		spec = e.spec.below(stringValue(getAttr(cfg, listFilterPrefix+p.Attr)))
	}
	ids, names, err := l.listIDs(ctx, spec, cfg, owner)
	if err != nil {
		var diags diag.Diagnostics
		e.addAPIError(&diags, opLookup, "kazoo_"+e.spec.TypeName, err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	r := &Resource{e: e, backend: l.backend}
	stream.Results = func(push func(list.ListResult) bool) {
		var pushed int64
		for i, id := range ids {
			if req.Limit > 0 && pushed >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = names[i]
			state := l.keyState(req, spec, id, owner)
			if req.IncludeResource {
				raw, err := l.backend.Get(ctx, spec.itemPath(owner, id))
				if isNotFound(err) {
					continue // deleted while listing
				}
				if err == nil {
					state, err = r.stateFromDoc(raw, state, id, owner, false)
				}
				if err != nil {
					e.addAPIError(&result.Diagnostics, opRead, "kazoo_"+e.spec.TypeName, err)
					if pushed++; !push(result) {
						return
					}
					continue
				}
				result.Resource.Raw = state
			}
			result.Identity.Raw = e.identityOf(state)
			if pushed++; !push(result) {
				return
			}
		}
	}
}

// keyState is a resource state holding only the attributes the identity is made of.
func (l *ListResource) keyState(req list.ListRequest, spec *Spec, id, owner string) tftypes.Value {
	typ := req.ResourceSchema.Type().TerraformType(context.Background()).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals[attrID] = tftypes.NewValue(tftypes.String, id)
	vals[l.e.spec.ownerAttr()] = tftypes.NewValue(tftypes.String, owner)
	if l.e.spec.KeyAttr != "" {
		vals[l.e.spec.KeyAttr] = tftypes.NewValue(tftypes.String, id)
	}
	if ff := l.e.spec.FreeForm; ff != nil {
		vals[ff.CollectionAttr] = tftypes.NewValue(tftypes.String, spec.Collection)
	}
	if p := l.e.spec.Parent; p != nil {
		vals[p.Attr] = tftypes.NewValue(tftypes.String, stringValue(getAttr(req.Config.Raw, listFilterPrefix+p.Attr)))
	}
	return tftypes.NewValue(typ, vals)
}

// listIDs lists the ids of the documents the configuration selects, and a display name for
// each (its name, or its id).
func (l *ListResource) listIDs(ctx context.Context, spec *Spec, cfg tftypes.Value, owner string) (ids, names []string, err error) {
	e := l.e
	if spec.Scope == ScopeSingleton {
		// One document per account: it is listed when it exists.
		_, err := l.backend.Get(ctx, spec.itemPath(owner, owner))
		if isNotFound(err) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		return []string{owner}, []string{spec.TypeName + " of " + owner}, nil
	}
	q := url.Values{}
	for _, f := range e.filterFields() {
		if v := getAttr(cfg, listFilterPrefix+f.name); v.IsKnown() && !v.IsNull() {
			q.Set(listFilterPrefix+filterKey(f), stringValue(v))
		}
	}
	if k := spec.KeyFilter; k != "" {
		if v := getAttr(cfg, listFilterPrefix+spec.KeyAttr); v.IsKnown() && !v.IsNull() {
			q.Set(listFilterPrefix+k, stringValue(v))
		}
	}
	if m := getAttr(cfg, listFilters); m.IsKnown() && !m.IsNull() {
		var entries map[string]tftypes.Value
		if err := m.As(&entries); err == nil {
			for k, v := range entries {
				q.Set(listFilterPrefix+k, stringValue(v))
			}
		}
	}
	rows, err := l.backend.List(ctx, spec.listPath(owner), q)
	if err != nil {
		return nil, nil, err
	}
	type row struct{ id, name string }
	var out []row
	for _, raw := range rows {
		var bare string
		if json.Unmarshal(raw, &bare) == nil && bare != "" {
			// KAZOO lists some collections (connectivity) as bare ids: the name is the document's.
			out = append(out, row{bare, l.nameOf(ctx, spec, owner, bare)})
			continue
		}
		var r map[string]any
		if json.Unmarshal(raw, &r) != nil {
			continue
		}
		id, _ := r["id"].(string)
		if id == "" {
			continue
		}
		name, _ := r["name"].(string)
		if name == "" {
			name = id
		}
		out = append(out, row{id, name})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	for _, r := range out {
		ids, names = append(ids, r.id), append(names, r.name)
	}
	return ids, names, nil
}

// nameOf reads the name of a document listed by id alone, or returns the id.
func (l *ListResource) nameOf(ctx context.Context, spec *Spec, owner, id string) string {
	raw, err := l.backend.Get(ctx, spec.itemPath(owner, id))
	if err != nil {
		return id
	}
	var doc struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &doc) != nil || doc.Name == "" {
		return id
	}
	return doc.Name
}
