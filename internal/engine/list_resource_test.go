package engine

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	lschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// listBackend is a Backend whose List answers fixed rows and records the query; Get answers
// a document per id.
type listBackend struct {
	Backend
	rows    []json.RawMessage
	docs    map[string]string
	query   url.Values
	listed  string
	gets    int
	account string
}

func (b *listBackend) AccountID() string { return b.account }

func (b *listBackend) List(_ context.Context, path string, q url.Values) ([]json.RawMessage, error) {
	b.listed, b.query = path, q
	return b.rows, nil
}

func (b *listBackend) Get(_ context.Context, path string) (json.RawMessage, error) {
	b.gets++
	for id, doc := range b.docs {
		if len(path) > len(id) && path[len(path)-len(id):] == id {
			return json.RawMessage(doc), nil
		}
	}
	return nil, &APIError{Status: 404, Message: "bad_identifier", Err: errString("not found")}
}

type errString string

func (e errString) Error() string { return string(e) }

const (
	acctA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	dev1  = "11111111111111111111111111111111"
	dev2  = "22222222222222222222222222222222"
)

// listRun runs a list of the device engine with the given configuration values.
func listRun(t *testing.T, b *listBackend, cfg map[string]tftypes.Value, include bool, limit int64) []list.ListResult {
	t.Helper()
	return listRunOf(t, deviceEngine(t), b, cfg, include, limit)
}

// listRunOf runs a list of engine e with the given configuration values.
func listRunOf(t *testing.T, e *Engine, b *listBackend, cfg map[string]tftypes.Value, include bool, limit int64) []list.ListResult {
	t.Helper()
	ctx := context.Background()
	l := &ListResource{e: e, backend: b}
	var sresp list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &sresp)
	if diags := sresp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("list config schema: %v", diags)
	}
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range cfg {
		vals[k] = v
	}
	req := list.ListRequest{
		Config:                 tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)},
		IncludeResource:        include,
		Limit:                  limit,
		ResourceSchema:         e.resourceSchema(),
		ResourceIdentitySchema: e.identitySchema(),
	}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	var out []list.ListResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

func TestListResourceFiltersAndIdentities(t *testing.T) {
	b := &listBackend{account: acctA, rows: []json.RawMessage{
		json.RawMessage(`{"id":"` + dev2 + `","name":"b desk"}`),
		json.RawMessage(`{"id":"` + dev1 + `","name":"a desk"}`),
		json.RawMessage(`{"name":"no id: skipped"}`),
	}}
	filters := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
		"sip.username": tftypes.NewValue(tftypes.String, "desk"),
	})
	got := listRun(t, b, map[string]tftypes.Value{
		"filter_name": tftypes.NewValue(tftypes.String, "a desk"),
		"filters":     filters,
	}, false, 0)
	if b.listed != "/v2/accounts/"+acctA+"/devices" {
		t.Errorf("listed %q", b.listed)
	}
	if b.query.Get("filter_name") != "a desk" || b.query.Get("filter_sip.username") != "desk" {
		t.Errorf("query %v: want filter_name and filter_sip.username", b.query)
	}
	if len(got) != 2 {
		t.Fatalf("%d results, want 2", len(got))
	}
	if got[0].DisplayName != "a desk" || got[1].DisplayName != "b desk" {
		t.Errorf("results not sorted by name: %q, %q", got[0].DisplayName, got[1].DisplayName)
	}
	want := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"account_id": tftypes.String, "id": tftypes.String}},
		map[string]tftypes.Value{"account_id": tftypes.NewValue(tftypes.String, acctA), "id": tftypes.NewValue(tftypes.String, dev1)})
	if !got[0].Identity.Raw.Equal(want) {
		t.Errorf("identity %v, want %v", got[0].Identity.Raw, want)
	}
	if !got[0].Resource.Raw.IsNull() || b.gets != 0 {
		t.Errorf("without include_resource no document is read (gets %d)", b.gets)
	}
}

func TestListResourceIncludeResourceAndLimit(t *testing.T) {
	b := &listBackend{account: acctA,
		rows: []json.RawMessage{json.RawMessage(`{"id":"` + dev1 + `","name":"a"}`), json.RawMessage(`{"id":"` + dev2 + `","name":"b"}`)},
		docs: map[string]string{dev1: `{"id":"` + dev1 + `","name":"a","device_type":"sip_device"}`},
	}
	got := listRun(t, b, nil, true, 1)
	if len(got) != 1 || b.gets != 1 {
		t.Fatalf("limit 1: %d results, %d reads", len(got), b.gets)
	}
	r := got[0]
	if r.Diagnostics.HasError() {
		t.Fatal(r.Diagnostics)
	}
	if v := stringValue(getAttr(r.Resource.Raw, "device_type")); v != "sip_device" {
		t.Errorf("included resource device_type %q", v)
	}
	if v := stringValue(getAttr(r.Resource.Raw, "account_id")); v != acctA {
		t.Errorf("included resource account_id %q", v)
	}
	// A document deleted between the list and its read is left out.
	b.gets = 0
	got = listRun(t, b, nil, true, 0)
	if len(got) != 1 || b.gets != 2 {
		t.Errorf("a vanished document: %d results after %d reads, want 1 after 2", len(got), b.gets)
	}
}

// A keyed collection with a KeyFilter (phone numbers) is narrowed to one key on the server:
// filter_<KeyAttr> is sent as Crossbar's filter_<KeyFilter>, and the key's validators apply.
func TestListResourceKeyFilter(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "number", Collection: "phone_numbers", Schema: "phone_numbers",
		Scope: ScopeKeyed, KeyAttr: "number", KeyFilter: "_id",
		KeyValidators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^\+[0-9]+$`), "E.164")}})
	b := &listBackend{account: acctA}
	listRunOf(t, e, b, map[string]tftypes.Value{"filter_number": tftypes.NewValue(tftypes.String, "+15555550100")}, false, 0)
	if got := b.query.Get("filter__id"); got != "+15555550100" || len(b.query) != 1 {
		t.Errorf("query %v: want only filter__id=+15555550100", b.query)
	}
	var sresp list.ListResourceSchemaResponse
	(&ListResource{e: e}).ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &sresp)
	a, ok := sresp.Schema.Attributes["filter_number"].(lschema.StringAttribute)
	if !ok || len(a.Validators) != 1 {
		t.Errorf("filter_number: %#v, want a string argument with the key's validator", sresp.Schema.Attributes["filter_number"])
	}
	// Without a KeyFilter a keyed collection has no such argument.
	plain := mustEngine(t, Spec{TypeName: "number", Collection: "phone_numbers", Schema: "phone_numbers", Scope: ScopeKeyed, KeyAttr: "number"})
	(&ListResource{e: plain}).ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &sresp)
	if _, ok := sresp.Schema.Attributes["filter_number"]; ok {
		t.Error("filter_number without a KeyFilter")
	}
}

// An attribute the listed documents hold under another key is filtered by that key
// (ListFilter); one they never hold has no filter argument (NoListFilter).
func TestListResourceFilterKeys(t *testing.T) {
	e := mustEngine(t, Spec{TypeName: "number", Collection: "phone_numbers", Schema: "phone_numbers", Scope: ScopeKeyed, KeyAttr: "number",
		Overrides: map[string]Override{"create_with_state": {NoListFilter: true}},
		Additional: []Additional{{Key: "used_by", Schema: &kazooschema.Schema{Type: []string{"string"}}, Description: "d",
			Override: Override{ComputedOnly: true, ListFilter: "pvt_used_by"}}}})
	var sresp list.ListResourceSchemaResponse
	(&ListResource{e: e}).ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &sresp)
	if _, ok := sresp.Schema.Attributes["filter_create_with_state"]; ok {
		t.Error("filter_create_with_state despite NoListFilter")
	}
	if a, ok := sresp.Schema.Attributes["filter_used_by"]; !ok || !strings.Contains(a.GetMarkdownDescription(), "filter_pvt_used_by") {
		t.Errorf("filter_used_by: %v", a)
	}
	b := &listBackend{account: acctA}
	listRunOf(t, e, b, map[string]tftypes.Value{"filter_used_by": tftypes.NewValue(tftypes.String, "callflow")}, false, 0)
	if got := b.query.Get("filter_pvt_used_by"); got != "callflow" || len(b.query) != 1 {
		t.Errorf("query %v: want only filter_pvt_used_by=callflow", b.query)
	}
}

func TestIdentityPerScope(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		spec     Spec
		required []string
		optional []string
		state    map[string]string
		importID string
	}{
		{testSpecs[2], []string{"id"}, []string{"account_id"}, map[string]string{"account_id": acctA, "id": dev1}, acctA + "/" + dev1},
		{testSpecs[0], []string{"id"}, []string{"parent_id"}, map[string]string{"parent_id": acctA, "id": dev1}, acctA + "/" + dev1},
		{Spec{TypeName: "number", Collection: "phone_numbers", Schema: "phone_numbers", Scope: ScopeKeyed, KeyAttr: "number"},
			[]string{"number"}, []string{"account_id"}, map[string]string{"account_id": acctA, "number": "+15555550100"}, acctA + "/+15555550100"},
		{Spec{TypeName: "limits", Collection: "limits", Schema: "limits", Scope: ScopeSingleton},
			nil, []string{"account_id"}, map[string]string{"account_id": acctA}, acctA},
	}
	for _, c := range cases {
		e := mustEngine(t, c.spec)
		s := e.identitySchema()
		if diags := s.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s: %v", c.spec.TypeName, diags)
		}
		if len(s.Attributes) != len(c.required)+len(c.optional) {
			t.Errorf("%s: identity attributes %v", c.spec.TypeName, s.Attributes)
		}
		for _, n := range c.required {
			if a, ok := s.Attributes[n]; !ok || !a.IsRequiredForImport() {
				t.Errorf("%s: %s should be required for import", c.spec.TypeName, n)
			}
		}
		for _, n := range c.optional {
			if a, ok := s.Attributes[n]; !ok || !a.IsOptionalForImport() {
				t.Errorf("%s: %s should be optional for import", c.spec.TypeName, n)
			}
		}
		// The identity of a state, given back in an import block, is the import id of the same
		// document, which parses back to the same owner and id.
		typ := e.resourceSchema().Type().TerraformType(ctx).(tftypes.Object)
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		for k, v := range c.state {
			vals[k] = tftypes.NewValue(tftypes.String, v)
		}
		ident := &tfsdk.ResourceIdentity{Schema: s, Raw: e.identityOf(tftypes.NewValue(typ, vals))}
		raw, ok := e.importIDFromIdentity(ident)
		if !ok || raw != c.importID {
			t.Errorf("%s: import id %q, want %q", c.spec.TypeName, raw, c.importID)
		}
		if _, _, err := e.spec.parseImport(raw); err != nil {
			t.Errorf("%s: %v", c.spec.TypeName, err)
		}
	}
}
