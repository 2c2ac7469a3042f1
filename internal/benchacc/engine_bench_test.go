package benchacc

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// The micro-benchmarks drive the provider's real resources through the gRPC surface Terraform
// calls (PlanResourceChange, ApplyResourceChange, ReadResource), with ProviderData an
// in-memory engine.Backend that answers a device document the simulator produced. What they
// time is the provider's own work per resource and operation: the framework, and the
// engine's JSON ⇄ Terraform conversion and planning; no HTTP.

// memBackend answers every read and write with one stored document.
type memBackend struct {
	account string
	doc     json.RawMessage
}

func (m *memBackend) AccountID() string { return m.account }
func (m *memBackend) Get(context.Context, string) (json.RawMessage, error) {
	return m.doc, nil
}

func (m *memBackend) Put(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return m.doc, nil
}

func (m *memBackend) Post(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return m.doc, nil
}

func (m *memBackend) Patch(context.Context, string, any, engine.WriteOptions) (json.RawMessage, error) {
	return m.doc, nil
}
func (m *memBackend) Delete(context.Context, string) error { return nil }
func (m *memBackend) List(context.Context, string, url.Values) ([]json.RawMessage, error) {
	return []json.RawMessage{m.doc}, nil
}

// memProvider serves the kazoo provider's resources with a memBackend as ProviderData.
type memProvider struct {
	real    fwprovider.Provider
	backend engine.Backend
}

func (p *memProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "kazoo"
}
func (p *memProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {}
func (p *memProvider) Configure(_ context.Context, _ fwprovider.ConfigureRequest, resp *fwprovider.ConfigureResponse) {
	resp.ResourceData = p.backend
	resp.DataSourceData = p.backend
}

func (p *memProvider) Resources(ctx context.Context) []func() resource.Resource {
	return p.real.Resources(ctx)
}

func (p *memProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	return p.real.DataSources(ctx)
}

// kind is a resource type the micro-benchmarks cover: the document they create in the
// simulator, and the configuration that describes it.
type kind struct {
	typeName   string
	collection string // "" for an account (created under the master account)
	doc        map[string]any
	config     func(typ tftypes.Object) map[string]tftypes.Value
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var kinds = []kind{
	{typeName: "kazoo_device", collection: "devices",
		doc: map[string]any{"name": "Desk phone 1", "device_type": "sip_device", "mac_address": "00:11:22:aa:bb:cc",
			"sip": map[string]any{"username": "desk1", "password": "bench-Sip-Passw0rd-1"}},
		config: func(typ tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{
				"name": str("Desk phone 1"), "device_type": str("sip_device"), "mac_address": str("00:11:22:AA:BB:CC"),
				"sip": objectWith(typ.AttributeTypes["sip"].(tftypes.Object), map[string]tftypes.Value{
					"username": str("desk1"), "password": str("bench-Sip-Passw0rd-1"),
				}),
			}
		}},
	{typeName: "kazoo_user", collection: "users",
		doc: map[string]any{"first_name": "User", "last_name": "00001", "username": "user1@bench.example.com",
			"email": "user1@bench.example.com", "password": "bench-Passw0rd-1"},
		config: func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"first_name": str("User"), "last_name": str("00001"),
				"username": str("user1@bench.example.com"), "email": str("user1@bench.example.com"),
				"password": str("bench-Passw0rd-1")}
		}},
	{typeName: "kazoo_vmbox", collection: "vmboxes",
		doc: map[string]any{"name": "Voicemail 1", "mailbox": "10001"},
		config: func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"name": str("Voicemail 1"), "mailbox": str("10001")}
		}},
	{typeName: "kazoo_callflow", collection: "callflows",
		doc: map[string]any{"name": "Extension 10001", "numbers": []any{"10001"},
			"flow": map[string]any{"module": "park", "data": map[string]any{}}},
		config: func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"name": str("Extension 10001"),
				"numbers": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("10001")}),
				"flow":    str(`{"module":"park","data":{}}`)}
		}},
	{typeName: "kazoo_group", collection: "groups",
		doc: map[string]any{"name": "Everyone", "endpoints": map[string]any{}},
		config: func(typ tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"name": str("Everyone"),
				"endpoints": tftypes.NewValue(typ.AttributeTypes["endpoints"], map[string]tftypes.Value{})}
		}},
	{typeName: "kazoo_account", collection: "",
		doc: map[string]any{"name": "bench-sub", "realm": "bench-sub.sip.example.com"},
		config: func(tftypes.Object) map[string]tftypes.Value {
			return map[string]tftypes.Value{"name": str("bench-sub"), "realm": str("bench-sub.sip.example.com")}
		}},
}

// fixture is a resource as a configuration sets it, the document KAZOO stores for it, and a
// provider server whose backend answers that document.
type fixture struct {
	typeName string
	srv      tfprotov6.ProviderServer
	typ      tftypes.Object
	config   *tfprotov6.DynamicValue
	doc      json.RawMessage
	state    *tfprotov6.DynamicValue // after create
	leaves   int                     // attributes in the schema, nested ones included
}

// newFixture creates the document in a simulator to get what KAZOO would answer (schema
// defaults filled in), then configures a provider server on a memBackend with it, and creates
// the resource once through it.
func newFixture(b *testing.B, k kind) *fixture {
	b.Helper()
	ctx := context.Background()
	sim := startSimulator(b, 0)
	m := sim.srv.Master()
	c, err := client.New(client.Config{URL: sim.ts.URL, APIKey: m.APIKey, RequestsPerSecond: -1})
	if err != nil {
		b.Fatal(err)
	}
	const id = "0123456789abcdef0123456789abcdef"
	doc := map[string]any{"id": id}
	for key, v := range k.doc {
		doc[key] = v
	}
	create, item := client.AccountPath(m.AccountID), client.AccountPath(id)
	if k.collection != "" {
		create, item = client.AccountPath(m.AccountID, k.collection), client.AccountPath(m.AccountID, k.collection, id)
	}
	if _, err := c.Put(ctx, create, doc); err != nil {
		b.Fatal(err)
	}
	env, err := c.Get(ctx, item, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{typeName: k.typeName, doc: env.Data}

	f.srv = providerserver.NewProtocol6(&memProvider{
		real:    provider.New("bench")(),
		backend: &memBackend{account: m.AccountID, doc: env.Data},
	})()
	schemas, err := f.srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(schemas.Diagnostics) {
		b.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	f.typ = schemas.ResourceSchemas[k.typeName].ValueType().(tftypes.Object)
	f.leaves = leaves(f.typ)
	empty, _ := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{}))
	cfgResp, err := f.srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &empty})
	if err != nil || hasError(cfgResp.Diagnostics) {
		b.Fatalf("ConfigureProvider: %v %v", err, cfgResp.Diagnostics)
	}
	dv, err := tfprotov6.NewDynamicValue(f.typ, objectWith(f.typ, k.config(f.typ)))
	if err != nil {
		b.Fatal(err)
	}
	f.config = &dv
	f.state = f.create(b, f.planCreate(b))
	return f
}

// leaves counts the attributes of an object type, nested ones included.
func leaves(t tftypes.Type) int {
	switch t := t.(type) {
	case tftypes.Object:
		n := 0
		for _, a := range t.AttributeTypes {
			n += leaves(a)
		}
		return n
	case tftypes.List:
		return leaves(t.ElementType)
	}
	return 1
}

// forKinds runs a benchmark for every resource type, reporting its attribute counts.
func forKinds(b *testing.B, bench func(b *testing.B, f *fixture)) {
	for _, k := range kinds {
		b.Run(strings.TrimPrefix(k.typeName, "kazoo_"), func(b *testing.B) {
			f := newFixture(b, k)
			b.ReportAllocs()
			bench(b, f)
			// The framework's plan cost grows with the square of the top-level attributes.
			b.ReportMetric(float64(len(f.typ.AttributeTypes)), "top-attrs")
			b.ReportMetric(float64(f.leaves), "attrs")
		})
	}
}

// objectWith is a value of typ with the given attributes and every other attribute null.
func objectWith(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(typ, vals)
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, d.Summary+": "+d.Detail)
	}
	return strings.Join(parts, "; ")
}

func (f *fixture) nullState(b *testing.B) *tfprotov6.DynamicValue {
	b.Helper()
	dv, err := tfprotov6.NewDynamicValue(f.typ, tftypes.NewValue(f.typ, nil))
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

// planCreate is PlanResourceChange of a new device; Terraform proposes the configuration.
func (f *fixture) planCreate(b *testing.B) *tfprotov6.PlanResourceChangeResponse {
	resp, err := f.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: f.typeName, PriorState: f.nullState(b), ProposedNewState: f.config, Config: f.config,
	})
	if err != nil || hasError(resp.Diagnostics) {
		b.Fatalf("PlanResourceChange (create): %v %s", err, diagText(resp.Diagnostics))
	}
	return resp
}

// create is ApplyResourceChange of a planned new device: the plan becomes a JSON document,
// and KAZOO's answer the new state.
func (f *fixture) create(b *testing.B, planned *tfprotov6.PlanResourceChangeResponse) *tfprotov6.DynamicValue {
	resp, err := f.srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: f.typeName, PriorState: f.nullState(b), PlannedState: planned.PlannedState,
		Config: f.config, PlannedPrivate: planned.PlannedPrivate,
	})
	if err != nil || hasError(resp.Diagnostics) {
		b.Fatalf("ApplyResourceChange (create): %v %s", err, diagText(resp.Diagnostics))
	}
	return resp.NewState
}

// BenchmarkRead is one refresh: KAZOO's JSON document becomes the Terraform state
// (ReadResource).
func BenchmarkRead(b *testing.B) {
	forKinds(b, func(b *testing.B, f *fixture) {
		req := &tfprotov6.ReadResourceRequest{TypeName: f.typeName, CurrentState: f.state}
		ctx := context.Background()
		b.SetBytes(int64(len(f.doc)))
		for b.Loop() {
			resp, err := f.srv.ReadResource(ctx, req)
			if err != nil || hasError(resp.Diagnostics) || resp.NewState == nil {
				b.Fatalf("ReadResource: %v %s", err, diagText(resp.Diagnostics))
			}
		}
	})
}

// BenchmarkPlanNoChange is the plan of a resource whose configuration matches KAZOO: what a
// no-change plan costs per resource besides its GET.
func BenchmarkPlanNoChange(b *testing.B) {
	forKinds(b, func(b *testing.B, f *fixture) {
		ctx := context.Background()
		req := &tfprotov6.PlanResourceChangeRequest{
			TypeName: f.typeName, PriorState: f.state, ProposedNewState: f.state, Config: f.config,
		}
		// The benchmark is only meaningful when the plan is really empty.
		resp, err := f.srv.PlanResourceChange(ctx, req)
		if err != nil || hasError(resp.Diagnostics) {
			b.Fatalf("PlanResourceChange: %v %s", err, diagText(resp.Diagnostics))
		}
		if !equalDynamic(b, f.typ, resp.PlannedState, f.state) || len(resp.RequiresReplace) > 0 {
			b.Fatalf("the plan of an unchanged %s is not empty (requires replace: %v)", f.typeName, resp.RequiresReplace)
		}
		for b.Loop() {
			resp, err := f.srv.PlanResourceChange(ctx, req)
			if err != nil || hasError(resp.Diagnostics) {
				b.Fatalf("PlanResourceChange: %v %s", err, diagText(resp.Diagnostics))
			}
		}
	})
}

// BenchmarkPlanCreate is the plan of a new resource.
func BenchmarkPlanCreate(b *testing.B) {
	forKinds(b, func(b *testing.B, f *fixture) {
		for b.Loop() {
			f.planCreate(b)
		}
	})
}

// BenchmarkCreate is the apply of a planned resource: the Terraform plan becomes KAZOO's JSON
// document (sent to the in-memory backend), and the answer becomes the state.
func BenchmarkCreate(b *testing.B) {
	forKinds(b, func(b *testing.B, f *fixture) {
		planned := f.planCreate(b)
		b.SetBytes(int64(len(f.doc)))
		for b.Loop() {
			f.create(b, planned)
		}
	})
}

// BenchmarkProviderSchema is GetProviderSchema: Terraform asks it of every provider process it
// starts (several per command), for all six resources and data sources.
func BenchmarkProviderSchema(b *testing.B) {
	srv := providerserver.NewProtocol6(provider.New("bench")())()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || hasError(resp.Diagnostics) || len(resp.ResourceSchemas) < 6 {
			b.Fatalf("GetProviderSchema: %v %s", err, diagText(resp.Diagnostics))
		}
	}
}

// BenchmarkRedactJSON is what the client spends on every answer to log its body at trace
// level, whatever the log level (the provider cannot tell whether Terraform keeps the line).
func BenchmarkRedactJSON(b *testing.B) {
	f := newFixture(b, kinds[0])
	body := []byte(`{"auth_token":"x","data":` + string(f.doc) + `,"revision":"1-a","request_id":"r","status":"success"}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if client.RedactJSON(body) == "" {
			b.Fatal("empty")
		}
	}
}

func equalDynamic(b *testing.B, typ tftypes.Type, x, y *tfprotov6.DynamicValue) bool {
	b.Helper()
	vx, err := x.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	vy, err := y.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	return vx.Equal(vy)
}
