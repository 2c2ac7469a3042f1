package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// DescribeFunc returns the description of the attribute at a dotted JSON path of a schema.
type DescribeFunc func(schema, path string) (string, bool)

// Names of the attributes the engine adds to every resource.
const (
	attrID            = "id"
	attrAccountID     = "account_id"
	attrParentID      = "parent_id"
	attrExtraJSON     = "extra_json"
	attrAcceptCharges = "accept_charges"
	woSuffix          = "_wo"
	woVersionSuffix   = "_wo_version"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ownerAttr is account_id, or parent_id for the account tree.
func (s *Spec) ownerAttr() string {
	if s.Scope == ScopeAccounts {
		return attrParentID
	}
	return attrAccountID
}

func (e *Engine) description(f *field) string {
	if f.desc != "" {
		return f.desc
	}
	if d, ok := e.spec.Descriptions[f.path]; ok {
		return d
	}
	if e.describe != nil {
		if d, ok := e.describe(e.spec.Schema, f.path); ok {
			return d
		}
	}
	return ""
}

// resourceSchema builds the managed resource's schema.
func (e *Engine) resourceSchema() rschema.Schema {
	attrs := map[string]rschema.Attribute{}
	for _, f := range e.root.children {
		attrs[f.name] = e.resourceAttr(f, true)
	}
	attrs[attrID] = rschema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The document's id in KAZOO: 32 lowercase hexadecimal characters chosen by the provider when it creates the document.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	owner := e.spec.ownerAttr()
	ownerDesc := "The id of the account the document belongs to. Defaults to the provider's account; changing it creates the document anew in the other account."
	if owner == attrParentID {
		ownerDesc = "The id of the parent account the account is created under. Defaults to the provider's account; changing it creates a new account."
	}
	attrs[owner] = rschema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: ownerDesc,
		Validators:          []validator.String{stringvalidator.RegexMatches(hex32, "must be a KAZOO account id: 32 lowercase hexadecimal characters")},
	}
	switch e.spec.Scope {
	case ScopeSingleton:
		attrs[attrID] = rschema.StringAttribute{Computed: true,
			MarkdownDescription: "The id of the account this document belongs to (there is one per account)."}
	case ScopeKeyed:
		attrs[attrID] = rschema.StringAttribute{Computed: true,
			MarkdownDescription: fmt.Sprintf("The document's id in KAZOO: the value of `%s`.", e.spec.KeyAttr)}
		attrs[e.spec.KeyAttr] = rschema.StringAttribute{Required: true, MarkdownDescription: e.spec.KeyDescription,
			Validators: e.spec.KeyValidators}
	}
	attrs[attrExtraJSON] = rschema.StringAttribute{
		Optional:   true,
		CustomType: jsonType{id: e.spec.Schema + ":extra_json", object: true},
		MarkdownDescription: "Document keys this resource does not model as attributes, as a JSON object (use `jsonencode`). " +
			"They are merged into the document on every write; on read only the keys named here are read back, " +
			"so keys other tools keep in the document (for example MonsterUI's `ui_metadata`) are left alone.",
	}
	attrs[attrAcceptCharges] = rschema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "Whether to accept the charges KAZOO asks the account to pay for this change (HTTP 402). " +
			"Overrides the provider's `accept_charges` for this resource.",
	}
	e.secretTwinAttrs(attrs)
	e.localSchema(attrs)
	e.freeFormSchema(attrs)
	desc := e.spec.Description + e.secretsNote() + e.itemSecretsNote()
	return rschema.Schema{MarkdownDescription: desc, Attributes: attrs}
}

func (e *Engine) resourceAttr(f *field, top bool) rschema.Attribute {
	optional, computed, required := true, true, false
	if f.required && top {
		optional, computed, required = false, false, true
	}
	if f.ov.ComputedOnly {
		optional = false
	}
	desc := e.description(f)
	if top && f.ov.NotComputed && !required {
		computed = false
		desc += " Left out of the configuration, KAZOO's value is left alone and not read into the state (an import reads it)."
	}
	sensitive := f.ov.Sensitive || f.secret
	switch f.kind {
	case kindString, kindScalar:
		return rschema.StringAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, CustomType: e.stringType(f), Validators: stringValidators(f)}
	case kindInt:
		return rschema.Int64Attribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, Validators: int64Validators(f.node)}
	case kindFloat:
		return rschema.Float64Attribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, Validators: float64Validators(f.node)}
	case kindBool:
		return rschema.BoolAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc}
	case kindList:
		return rschema.ListAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, ElementType: e.elemType(f), Validators: listValidators(f)}
	case kindObject:
		children := e.resourceChildren(f)
		return rschema.SingleNestedAttribute{Optional: optional, Computed: computed, Required: required,
			Sensitive: sensitive, MarkdownDescription: desc, Attributes: children}
	case kindObjectList:
		children := e.resourceChildren(f)
		if top {
			e.itemTwinAttrs(f, children)
		}
		return rschema.ListNestedAttribute{Optional: optional, Computed: computed, Required: required,
			Sensitive: sensitive, MarkdownDescription: desc, NestedObject: rschema.NestedAttributeObject{Attributes: children},
			Validators: listSizeValidators(f.node)}
	case kindMap:
		return rschema.MapAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, ElementType: e.elemType(f), Validators: mapValidators(f)}
	case kindObjectMap:
		children := e.resourceChildren(f)
		return rschema.MapNestedAttribute{Optional: optional, Computed: computed, Required: required,
			Sensitive: sensitive, MarkdownDescription: desc, NestedObject: rschema.NestedAttributeObject{Attributes: children},
			Validators: mapValidators(f)}
	case kindKeySet:
		return rschema.SetAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, ElementType: types.StringType, Validators: keySetValidators(f)}
	default:
		return rschema.StringAttribute{Optional: optional, Computed: computed, Required: required, Sensitive: sensitive,
			MarkdownDescription: desc, CustomType: e.jsonTypeOf(f)}
	}
}

// resourceChildren are the resource attributes of a nested object's (or its elements') fields.
func (e *Engine) resourceChildren(f *field) map[string]rschema.Attribute {
	children := map[string]rschema.Attribute{}
	for _, c := range f.children {
		children[c.name] = e.resourceAttr(c, false)
	}
	return children
}

// dataSourceChildren are the data source attributes of a nested object's fields.
func (e *Engine) dataSourceChildren(f *field) map[string]dschema.Attribute {
	children := map[string]dschema.Attribute{}
	for _, c := range f.children {
		children[c.name] = e.dataSourceAttr(c, false)
	}
	return children
}

func (e *Engine) isSecret(name string) bool {
	for _, s := range e.spec.WriteOnlySecrets {
		if s == name {
			return true
		}
	}
	return false
}

// dataSourceSchema builds the data source's schema: the same attributes, all computed, plus the
// lookup arguments.
func (e *Engine) dataSourceSchema() dschema.Schema {
	attrs := map[string]dschema.Attribute{}
	lookupAttrs := map[string]bool{}
	for _, l := range e.spec.Lookups {
		lookupAttrs[l.Attr] = true
	}
	for _, f := range e.root.children {
		if e.isSecret(f.name) {
			continue // never returned by KAZOO
		}
		attrs[f.name] = e.dataSourceAttr(f, lookupAttrs[f.name])
	}
	idDesc := "The document's id. Set it to look the document up by id."
	if e.spec.NoLookupByID {
		idDesc = "The document's id."
	}
	attrs[attrID] = dschema.StringAttribute{Optional: !e.spec.NoLookupByID, Computed: true, MarkdownDescription: idDesc}
	owner := e.spec.ownerAttr()
	ownerDesc := "The id of the account to look in. Defaults to the provider's account."
	if owner == attrParentID {
		ownerDesc = "The id of the parent account whose children are searched when looking up by name. Defaults to the provider's account."
	}
	attrs[owner] = dschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: ownerDesc,
		Validators: []validator.String{stringvalidator.RegexMatches(hex32, "must be a KAZOO account id: 32 lowercase hexadecimal characters")}}
	if e.spec.Scope == ScopeKeyed {
		attrs[e.spec.KeyAttr] = dschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: e.spec.KeyDescription +
			" Set it (or `id`) to look the document up."}
	}
	for _, l := range e.spec.Lookups {
		if _, exists := attrs[l.Attr]; !exists {
			attrs[l.Attr] = dschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: l.Description}
		}
	}
	e.requireParent(attrs)
	desc := e.spec.DataSourceDescription
	if desc == "" {
		desc = e.spec.Description
	}
	return dschema.Schema{MarkdownDescription: desc, Attributes: attrs}
}

// lookupExpressions are the data source arguments of which exactly one must be set.
func (e *Engine) lookupExpressions() []path.Expression {
	var exprs []path.Expression
	if !e.spec.NoLookupByID {
		exprs = append(exprs, path.MatchRoot(attrID))
	}
	if e.spec.Scope == ScopeKeyed {
		exprs = append(exprs, path.MatchRoot(e.spec.KeyAttr))
	}
	for _, l := range e.spec.Lookups {
		exprs = append(exprs, path.MatchRoot(l.Attr))
	}
	return exprs
}

func (e *Engine) dataSourceAttr(f *field, optional bool) dschema.Attribute {
	desc := e.description(f)
	sensitive := f.ov.Sensitive || f.secret
	switch f.kind {
	case kindString, kindScalar:
		return dschema.StringAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc, CustomType: e.stringType(f)}
	case kindInt:
		return dschema.Int64Attribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc}
	case kindFloat:
		return dschema.Float64Attribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc}
	case kindBool:
		return dschema.BoolAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc}
	case kindList:
		return dschema.ListAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc, ElementType: e.elemType(f)}
	case kindObject:
		children := e.dataSourceChildren(f)
		return dschema.SingleNestedAttribute{Computed: true, Sensitive: sensitive, MarkdownDescription: desc, Attributes: children}
	case kindObjectList:
		children := e.dataSourceChildren(f)
		return dschema.ListNestedAttribute{Computed: true, Sensitive: sensitive, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: children}}
	case kindMap:
		return dschema.MapAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc, ElementType: e.elemType(f)}
	case kindObjectMap:
		children := e.dataSourceChildren(f)
		return dschema.MapNestedAttribute{Computed: true, Sensitive: sensitive, MarkdownDescription: desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: children}}
	case kindKeySet:
		return dschema.SetAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc, ElementType: types.StringType}
	default:
		return dschema.StringAttribute{Computed: true, Optional: optional, Sensitive: sensitive, MarkdownDescription: desc, CustomType: e.jsonTypeOf(f)}
	}
}

// stringType is the custom type of a string attribute, or nil for a plain string.
func (e *Engine) stringType(f *field) basetypes.StringTypable {
	if f.ov.Normalize != "" {
		return normType{norm: f.ov.Normalize}
	}
	return nil
}

// elemType is the element type of a kindList or kindMap attribute.
func (e *Engine) elemType(f *field) attr.Type {
	switch f.elem {
	case kindInt:
		return types.Int64Type
	case kindFloat:
		return types.Float64Type
	case kindBool:
		return types.BoolType
	case kindJSON:
		return jsonType{id: e.spec.Schema + ":" + f.path + mapValueStep, node: f.mapValueNode()}
	}
	if f.ov.Normalize != "" {
		return normType{norm: f.ov.Normalize}
	}
	return types.StringType
}

func (e *Engine) jsonTypeOf(f *field) jsonType {
	return jsonType{id: e.spec.Schema + ":" + f.path, node: f.node}
}

// Validators from the schema's facts ------------------------------------------------------------

func stringValidators(f *field) []validator.String {
	s := f.node
	var vs []validator.String
	if len(s.Enum) > 0 {
		var opts []string
		for _, v := range s.Enum {
			opts = append(opts, scalarString(v))
		}
		vs = append(vs, stringvalidator.OneOf(opts...))
	}
	if f.kind == kindString {
		vs = append(vs, lengthValidators(s)...)
		if s.Pattern != "" {
			if re := compilePattern(s.Pattern); re != nil {
				vs = append(vs, stringvalidator.RegexMatches(re, "must match the pattern "+s.Pattern))
			}
		}
	}
	return vs
}

func lengthValidators(s *kazooschema.Schema) []validator.String {
	switch {
	case s.MinLength != nil && s.MaxLength != nil:
		return []validator.String{stringvalidator.LengthBetween(*s.MinLength, *s.MaxLength)}
	case s.MinLength != nil:
		return []validator.String{stringvalidator.LengthAtLeast(*s.MinLength)}
	case s.MaxLength != nil:
		return []validator.String{stringvalidator.LengthAtMost(*s.MaxLength)}
	}
	return nil
}

// scalarString renders an enum value the way a string attribute holds it.
func scalarString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func int64Validators(s *kazooschema.Schema) []validator.Int64 {
	var vs []validator.Int64
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if s.Minimum != nil {
		lo = int64(math.Ceil(*s.Minimum))
		if s.ExclusiveMinimum && float64(lo) == *s.Minimum {
			lo++
		}
	}
	if s.Maximum != nil {
		hi = int64(math.Floor(*s.Maximum))
		if s.ExclusiveMaximum && float64(hi) == *s.Maximum {
			hi--
		}
	}
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		vs = append(vs, int64validator.Between(lo, hi))
	case s.Minimum != nil:
		vs = append(vs, int64validator.AtLeast(lo))
	case s.Maximum != nil:
		vs = append(vs, int64validator.AtMost(hi))
	}
	if len(s.Enum) > 0 {
		var opts []int64
		for _, v := range s.Enum {
			if n, ok := v.(float64); ok {
				opts = append(opts, int64(n))
			}
		}
		if len(opts) > 0 {
			vs = append(vs, int64validator.OneOf(opts...))
		}
	}
	return vs
}

func float64Validators(s *kazooschema.Schema) []validator.Float64 {
	var vs []validator.Float64
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		vs = append(vs, float64validator.Between(*s.Minimum, *s.Maximum))
	case s.Minimum != nil:
		vs = append(vs, float64validator.AtLeast(*s.Minimum))
	case s.Maximum != nil:
		vs = append(vs, float64validator.AtMost(*s.Maximum))
	}
	return vs
}

func listSizeValidators(s *kazooschema.Schema) []validator.List {
	var vs []validator.List
	switch {
	case s.MinItems != nil && s.MaxItems != nil:
		vs = append(vs, listvalidator.SizeBetween(*s.MinItems, *s.MaxItems))
	case s.MinItems != nil:
		vs = append(vs, listvalidator.SizeAtLeast(*s.MinItems))
	case s.MaxItems != nil:
		vs = append(vs, listvalidator.SizeAtMost(*s.MaxItems))
	}
	if s.UniqueItems {
		vs = append(vs, listvalidator.UniqueValues())
	}
	return vs
}

func listValidators(f *field) []validator.List {
	return append(listSizeValidators(f.node), elementValidators(f.elem, f.node.Items,
		listvalidator.ValueStringsAre, listvalidator.ValueInt64sAre, listvalidator.ValueFloat64sAre)...)
}

// mapValidators check a map's keys against the schema's key pattern and its scalar values
// against the value schema's facts.
func mapValidators(f *field) []validator.Map {
	var vs []validator.Map
	if re := keyRegexp(f); re != nil {
		vs = append(vs, mapvalidator.KeysAre(stringvalidator.RegexMatches(re, "must match the pattern "+f.mapKeyPattern())))
	}
	if f.kind != kindMap {
		return vs
	}
	return append(vs, elementValidators(f.elem, f.mapValueNode(),
		mapvalidator.ValueStringsAre, mapvalidator.ValueInt64sAre, mapvalidator.ValueFloat64sAre)...)
}

// elementValidators turns the facts of a collection's element schema into validators of the
// collection, through the collection's ValueStringsAre, ValueInt64sAre and ValueFloat64sAre.
func elementValidators[V any](elem kind, node *kazooschema.Schema,
	strs func(...validator.String) V, ints func(...validator.Int64) V, floats func(...validator.Float64) V) []V {
	switch elem {
	case kindString, kindScalar:
		if ev := stringValidators(&field{kind: elem, node: node}); len(ev) > 0 {
			return []V{strs(ev...)}
		}
	case kindInt:
		if ev := int64Validators(node); len(ev) > 0 {
			return []V{ints(ev...)}
		}
	case kindFloat:
		if ev := float64Validators(node); len(ev) > 0 {
			return []V{floats(ev...)}
		}
	}
	return nil
}

// keySetValidators check the members of a set of map keys against the key pattern.
func keySetValidators(f *field) []validator.Set {
	if re := keyRegexp(f); re != nil {
		return []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(re, "must match the pattern "+f.mapKeyPattern()))}
	}
	return nil
}

// keyRegexp compiles the pattern a map's keys follow; nil when any key will do.
func keyRegexp(f *field) *regexp.Regexp {
	p := f.mapKeyPattern()
	if p == "" || p == ".+" || p == ".*" {
		return nil
	}
	return compilePattern(p)
}
