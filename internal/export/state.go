package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// resourceSchema is the schema of the engine's resource.
func resourceSchema(ctx context.Context, e *engine.Engine) rschema.Schema {
	var resp resource.SchemaResponse
	e.Resource()().Schema(ctx, resource.SchemaRequest{}, &resp)
	return resp.Schema
}

// stateOf is the state the engine's own Read makes of doc after an import of owner/id (below
// the document parent, for a nested collection): the same conversion, normalisation and
// computed attributes as `terraform import`.
func stateOf(ctx context.Context, e *engine.Engine, sch rschema.Schema, owner, parent, id string, doc json.RawMessage) (tftypes.Value, error) {
	r := e.Resource()()
	rc, ok := r.(resource.ResourceWithConfigure)
	if !ok {
		return tftypes.Value{}, errors.New("the engine's resource takes no backend")
	}
	var cresp resource.ConfigureResponse
	rc.Configure(ctx, resource.ConfigureRequest{ProviderData: engine.Backend(docBackend{owner: owner, doc: doc})}, &cresp)
	if cresp.Diagnostics.HasError() {
		return tftypes.Value{}, diagError(cresp.Diagnostics.Errors())
	}
	typ, ok := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Value{}, errors.New("the resource schema is not an object")
	}
	spec := e.Spec()
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	vals["id"] = tftypes.NewValue(tftypes.String, id)
	vals[spec.OwnerAttr()] = tftypes.NewValue(tftypes.String, owner)
	if spec.KeyAttr != "" {
		vals[spec.KeyAttr] = tftypes.NewValue(tftypes.String, id)
	}
	if spec.Parent != nil {
		vals[spec.Parent.Attr] = tftypes.NewValue(tftypes.String, parent)
	}
	base := tftypes.NewValue(typ, vals)
	req := resource.ReadRequest{State: tfsdk.State{Schema: sch, Raw: base}}
	resp := resource.ReadResponse{State: tfsdk.State{Schema: sch, Raw: base}}
	r.Read(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		return tftypes.Value{}, diagError(resp.Diagnostics.Errors())
	}
	if resp.State.Raw.IsNull() {
		return tftypes.Value{}, errors.New("the document was not found")
	}
	return resp.State.Raw, nil
}

func diagError(ds diag.Diagnostics) error {
	var errs []error
	for _, d := range ds {
		errs = append(errs, fmt.Errorf("%s: %s", d.Summary(), d.Detail()))
	}
	return errors.Join(errs...)
}

// docBackend answers the engine's one GET with a document already read.
type docBackend struct {
	owner string
	doc   json.RawMessage
}

var errReadOnly = errors.New("kazoo-export only reads")

func (b docBackend) AccountID() string { return b.owner }
func (b docBackend) Get(context.Context, string) (json.RawMessage, error) {
	return b.doc, nil
}
func (b docBackend) Put(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return nil, errReadOnly
}
func (b docBackend) Post(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return nil, errReadOnly
}
func (b docBackend) Patch(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return nil, errReadOnly
}
func (b docBackend) Delete(context.Context, string) error { return errReadOnly }
func (b docBackend) List(context.Context, string, url.Values) ([]json.RawMessage, error) {
	return nil, errReadOnly
}
