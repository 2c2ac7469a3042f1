package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DataSource returns a constructor of the data source matching the resource: the same
// attributes, all computed, found by id or by one of the spec's lookups.
func (e *Engine) DataSource() func() datasource.DataSource {
	return func() datasource.DataSource { return &DataSource{e: e} }
}

// DataSource is the Terraform data source an Engine implements.
type DataSource struct {
	e       *Engine
	backend Backend
}

var (
	_ datasource.DataSourceWithConfigure        = (*DataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*DataSource)(nil)
)

func (d *DataSource) typeName() string { return "kazoo_" + d.e.spec.TypeName }

// Metadata implements datasource.DataSource.
func (d *DataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.e.spec.TypeName
}

// Schema implements datasource.DataSource.
func (d *DataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.e.dataSourceSchema()
}

// Configure implements datasource.DataSourceWithConfigure.
func (d *DataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configureDataSource(&d.backend, req, resp)
	if d.backend != nil {
		d.backend = d.e.spec.readBackend(d.backend)
	}
}

// configureDataSource sets *backend from the provider's data, when the provider has been configured.
func configureDataSource(backend *Backend, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	b, err := backendFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected Data Source Configure Type", err.Error())
		return
	}
	*backend = b
}

// readBackend is b, with GET answers unwrapped by Hooks.ReadKey when the spec has one.
func (s *Spec) readBackend(b Backend) Backend {
	if s.Hooks.ReadKey == "" {
		return b
	}
	return unwrapBackend{Backend: b, key: s.Hooks.ReadKey}
}

// ConfigValidators implements datasource.DataSourceWithConfigValidators: exactly one way to
// find the document.
func (d *DataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	exprs := d.e.lookupExpressions()
	if len(exprs) < 2 {
		return nil
	}
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(exprs...)}
}

// Read implements datasource.DataSource.
func (d *DataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.backend == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The kazoo provider was not configured before "+d.typeName()+" was read; this is a bug in the provider, please report it.")
		return
	}
	e := d.e
	cfg := req.Config.Raw
	owner := stringValue(getAttr(cfg, e.spec.ownerAttr()))
	if owner == "" {
		owner = d.backend.AccountID()
	}
	if e.spec.parentMissing(cfg) {
		resp.Diagnostics.AddAttributeError(path.Root(e.root.child(e.spec.Parent.Attr).name), "Missing "+e.spec.Parent.Attr,
			d.typeName()+" documents live below their "+e.spec.Parent.Attr+"; set it.")
		return
	}
	id := stringValue(getAttr(cfg, attrID))
	if e.spec.Scope == ScopeKeyed && id == "" {
		id = stringValue(getAttr(cfg, e.spec.KeyAttr))
	}
	if e.spec.Scope == ScopeSingleton {
		id = owner
	}
	if id == "" {
		found, err := d.lookup(ctx, cfg, owner)
		if err != nil {
			var le lookupError
			if errors.As(err, &le) {
				resp.Diagnostics.AddError("Error looking up "+d.typeName(), err.Error())
			} else {
				e.addAPIError(&resp.Diagnostics, opLookup, d.typeName(), err)
			}
			return
		}
		id = found
	}
	raw, err := getDoc(ctx, d.backend, e.spec, e.spec.at(cfg).itemPath(owner, id))
	if err != nil {
		e.addAPIError(&resp.Diagnostics, opRead, d.typeName(), err)
		return
	}
	doc, err := docFromJSON(raw)
	if err != nil {
		resp.Diagnostics.AddError("Error reading "+d.typeName(), "KAZOO's answer could not be read: "+err.Error())
		return
	}
	ownerValue := tftypes.NewValue(tftypes.String, owner)
	if e.spec.Scope == ScopeAccounts && stringValue(getAttr(cfg, attrParentID)) == "" && stringValue(getAttr(cfg, attrID)) != "" {
		ownerValue = tftypes.NewValue(tftypes.String, nil) // looked up by id: the parent is not known
	}
	specials := map[string]tftypes.Value{
		attrID:             tftypes.NewValue(tftypes.String, id),
		e.spec.ownerAttr(): ownerValue,
	}
	if e.spec.Scope == ScopeKeyed {
		specials[e.spec.KeyAttr] = tftypes.NewValue(tftypes.String, id)
	}
	for _, l := range e.spec.Lookups {
		// The argument keeps its configured spelling (KAZOO may store it normalised).
		if v := getAttr(cfg, l.Attr); e.root.child(l.Attr) == nil || !v.IsNull() {
			specials[l.Attr] = v
		}
	}
	state, err := docToValue(e.root, doc, cfg.Type(), specials)
	if err != nil {
		resp.Diagnostics.AddError("Error reading "+d.typeName(), err.Error())
		return
	}
	resp.State.Raw = state
}

// lookupError is a lookup that ran but did not find exactly one document.
type lookupError struct{ msg string }

func (l lookupError) Error() string { return l.msg }

// lookup finds the id of the one document matching the configured lookup argument.
func (d *DataSource) lookup(ctx context.Context, cfg tftypes.Value, owner string) (string, error) {
	e := d.e
	var l *Lookup
	var want string
	for i := range e.spec.Lookups {
		if v := getAttr(cfg, e.spec.Lookups[i].Attr); v.IsKnown() && !v.IsNull() {
			l, want = &e.spec.Lookups[i], stringValue(v)
			break
		}
	}
	if l == nil {
		return "", lookupError{"Set id or one of the lookup arguments."}
	}
	q := url.Values{}
	if l.Filter != "" {
		q.Set("filter_"+l.Filter, normalize(l.Normalize, want))
	}
	rows, err := d.backend.List(ctx, e.spec.at(cfg).listPath(owner), q)
	if err != nil {
		return "", err
	}
	var ids []string
	for _, raw := range rows {
		var row map[string]any
		if decodeJSON(raw, &row) != nil {
			continue
		}
		if matches(lookupValue(row, l.SummaryKey), want, l.Normalize) {
			if id, _ := row["id"].(string); id != "" {
				ids = append(ids, id)
			}
		}
	}
	switch len(ids) {
	case 0:
		return "", lookupError{fmt.Sprintf("No %s has %s %q in account %s.", d.typeName(), l.Attr, want, owner)}
	case 1:
		return ids[0], nil
	}
	return "", lookupError{fmt.Sprintf("%d documents of %s have %s %q in account %s (%s); look one up by id instead.",
		len(ids), d.typeName(), l.Attr, want, owner, strings.Join(ids, ", "))}
}

// lookupValue reads a dotted key from a list row.
func lookupValue(row map[string]any, key string) any {
	var cur any = row
	for _, seg := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[seg]
	}
	return cur
}

func matches(v any, want, norm string) bool {
	switch t := v.(type) {
	case string:
		return normalize(norm, t) == normalize(norm, want)
	case json.Number:
		return t.String() == want
	case []any:
		for _, x := range t {
			if matches(x, want, norm) {
				return true
			}
		}
	}
	return false
}
