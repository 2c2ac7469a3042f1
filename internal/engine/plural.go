package engine

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plural describes a data source that lists an account's documents of one collection with
// Crossbar's list filters: kazoo_users, kazoo_devices, and kazoo_documents for any collection.
type Plural struct {
	// TypeName is the data source type without the provider prefix ("users").
	TypeName string
	// Description is its Markdown description.
	Description string
	// Collection is the listed path under the account ("users"). Empty: the configuration
	// names it in the collection argument (kazoo_documents).
	Collection string
}

// NewPlural returns a constructor of the plural data source p describes.
func NewPlural(p Plural) func() datasource.DataSource {
	return func() datasource.DataSource { return &pluralSource{p: p} }
}

type pluralSource struct {
	p       Plural
	backend Backend
}

var _ datasource.DataSourceWithConfigure = (*pluralSource)(nil)

// collectionPattern is a path under an account: segments of KAZOO names and ids
// ("lists/0123…/entries").
var collectionPattern = regexp.MustCompile(`^[a-z0-9_]+(/[A-Za-z0-9_+%.-]+)*$`)

// pluralItem is one row of the answer.
type pluralItem struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	JSON types.String `tfsdk:"json"`
}

type pluralModel struct {
	AccountID  types.String `tfsdk:"account_id"`
	Collection types.String `tfsdk:"collection"`
	Filters    types.Map    `tfsdk:"filters"`
	HasKey     types.String `tfsdk:"has_key"`
	IDs        types.List   `tfsdk:"ids"`
	Items      []pluralItem `tfsdk:"items"`
}

func (d *pluralSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.p.TypeName
}

func (d *pluralSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	collection := dschema.StringAttribute{Computed: true, MarkdownDescription: "The collection listed."}
	if d.p.Collection == "" {
		collection = dschema.StringAttribute{Required: true,
			MarkdownDescription: "The collection to list: its path under the account, such as `temporal_rules` or `lists/<list_id>/entries`.",
			Validators:          []validator.String{stringvalidator.RegexMatches(collectionPattern, "must be a path under the account, such as \"menus\" or \"lists/<id>/entries\"")}}
	}
	resp.Schema = dschema.Schema{
		MarkdownDescription: d.p.Description,
		Attributes: map[string]dschema.Attribute{
			attrAccountID: dschema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "The id of the account to list. Defaults to the provider's account.",
				Validators:          []validator.String{stringvalidator.RegexMatches(hex32, "must be a KAZOO account id: 32 lowercase hexadecimal characters")}},
			"collection": collection,
			"filters": dschema.MapAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "KAZOO's list filters, applied by the server: each key `k` is sent as `filter_k`, so `{ first_name = \"Alice\" }` keeps the documents whose `first_name` is `Alice`. " +
					"Nested keys are dotted (`\"sip.username\"`)."},
			"has_key": dschema.StringAttribute{Optional: true,
				MarkdownDescription: "Keep only the documents that have this key (KAZOO's `has_key` filter)."},
			"ids": dschema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The ids of the documents found, in KAZOO's order; every page is read."},
			"items": dschema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The documents found, as KAZOO's list summarises them.",
				NestedObject: dschema.NestedAttributeObject{Attributes: map[string]dschema.Attribute{
					"id":   dschema.StringAttribute{Computed: true, MarkdownDescription: "The document's id (for phone numbers, the number)."},
					"name": dschema.StringAttribute{Computed: true, MarkdownDescription: "The document's name, when its summary has one."},
					"json": dschema.StringAttribute{Computed: true, MarkdownDescription: "The row KAZOO's list answered for the document, as JSON (decode it with `jsondecode`)."},
				}}},
		},
	}
}

func (d *pluralSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configureDataSource(&d.backend, req, resp)
}

func (d *pluralSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	typeName := "kazoo_" + d.p.TypeName
	if d.backend == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The kazoo provider was not configured before "+typeName+" was read; this is a bug in the provider, please report it.")
		return
	}
	var m pluralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner := m.AccountID.ValueString()
	if owner == "" {
		owner = d.backend.AccountID()
	}
	collection := d.p.Collection
	if collection == "" {
		collection = m.Collection.ValueString()
	}
	q := url.Values{}
	filters := map[string]string{}
	resp.Diagnostics.Append(m.Filters.ElementsAs(ctx, &filters, false)...)
	for k, v := range filters {
		q.Set("filter_"+k, v)
	}
	if k := m.HasKey.ValueString(); k != "" {
		q.Set("has_key", k)
	}
	rows, err := d.backend.List(ctx, "/v2/accounts/"+esc(owner)+"/"+collection, q)
	if err != nil {
		resp.Diagnostics.AddError("Error reading "+typeName, explain(opRead, typeName, err))
		return
	}
	ids := make([]attr.Value, 0, len(rows))
	m.Items = make([]pluralItem, 0, len(rows))
	for _, raw := range rows {
		id, name := rowIdentity(raw)
		ids = append(ids, types.StringValue(id))
		m.Items = append(m.Items, pluralItem{ID: types.StringValue(id), Name: name, JSON: types.StringValue(string(raw))})
	}
	m.AccountID = types.StringValue(owner)
	m.Collection = types.StringValue(collection)
	list, diags := types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.IDs = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// rowIdentity reads a list row's id and name. A row that is only an id (connectivity lists
// ids) is its own id.
func rowIdentity(raw json.RawMessage) (string, types.String) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, types.StringNull()
	}
	var row map[string]any
	_ = json.Unmarshal(raw, &row)
	id, _ := row["id"].(string)
	name := types.StringNull()
	if n, ok := row["name"].(string); ok {
		name = types.StringValue(n)
	}
	return id, name
}
