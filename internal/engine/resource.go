package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Engine is a Spec made ready: its attribute tree is derived once and shared by the resource
// and data source it serves.
type Engine struct {
	spec     *Spec
	root     *field
	describe DescribeFunc
	// secrets are the secret attributes with a write-only twin (secrets.go).
	secrets []secret
	// itemSecrets are the secrets inside lists of objects with a twin in each item
	// (item_secrets.go).
	itemSecrets []itemSecret
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
	if err == nil {
		err = spec.checkParent(root)
	}
	if err != nil {
		return nil, err
	}
	secrets, err := markSecrets(root, spec.WriteOnlySecrets)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.TypeName, err)
	}
	itemSecrets, err := findItemSecrets(root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.TypeName, err)
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
	return &Engine{spec: &spec, root: root, describe: opts.Describe, secrets: secrets, itemSecrets: itemSecrets}, nil
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
	return func() resource.Resource { return &Resource{e: e, keepsFailedCreates: true} }
}

// Resource is the Terraform resource an Engine implements.
type Resource struct {
	e       *Engine
	backend Backend
	// keepsFailedCreates is whether the CLI saves the state a failed create returns
	// (uncertain_create.go).
	keepsFailedCreates bool
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
	r.backend = r.e.spec.readBackend(b)
	if rd, ok := req.ProviderData.(ResourceData); ok {
		r.keepsFailedCreates = cliKeepsFailedCreates(rd.TerraformVersion)
	}
}

// ConfigValidators implements resource.ResourceWithConfigValidators.
func (r *Resource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return r.e.spec.Hooks.ConfigValidators
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
