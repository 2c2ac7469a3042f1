package examplestest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	tfjson "github.com/hashicorp/terraform-json"
	frameworkresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/zclconf/go-cty/cty"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// Import examples: tfplugindocs shows examples/resources/<type>/import-by-identity.tf (an
// import block by resource identity, Terraform 1.12+) and import-by-string-id.tf (an import
// block by import id, Terraform 1.5+) in the Import section of the resource's page. They name
// objects that exist only on the page, so they are not applied as written: TestImportExamples
// checks each against the resource's identity schema, and TestAccExamples imports, with each,
// the object the example's resource.tf created, the example's values replaced by the object's
// and its resource block copied under a name of the import's own (the original keeps managing
// the object, so what depends on it stays as it is).

// The import example files, in the order TestAccExamples imports with them.
const (
	importByStringID = "import-by-string-id.tf"
	importByIdentity = "import-by-identity.tf"
)

var importExampleFiles = []string{importByStringID, importByIdentity}

func isImportExample(name string) bool {
	for _, n := range importExampleFiles {
		if n == name {
			return true
		}
	}
	return false
}

// importExample is the one import block of an import example file.
type importExample struct {
	to       string            // address, "kazoo_device.bob_desk"
	id       string            // import id (import-by-string-id.tf)
	identity map[string]string // identity (import-by-identity.tf)
}

// parseImportExample reads the one import block of an import example file; its id or
// identity values must be literal strings.
func parseImportExample(name, src string) (importExample, error) {
	f, diags := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
	if diags.HasErrors() {
		return importExample{}, diags
	}
	var ex importExample
	var blocks int
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "import" {
			return ex, fmt.Errorf("%s: a %s block; an import example holds only its import block", name, b.Type)
		}
		blocks++
		for an, a := range b.Body.Attributes {
			switch an {
			case "to":
				tr, d := hcl.AbsTraversalForExpr(a.Expr)
				if d.HasErrors() || len(tr) != 2 {
					return ex, fmt.Errorf("%s: to is not a resource address", name)
				}
				ex.to = tr.RootName() + "." + tr[1].(hcl.TraverseAttr).Name
			case "id", "identity":
				v, d := a.Expr.Value(nil)
				if d.HasErrors() {
					return ex, fmt.Errorf("%s: %s is not a literal: %v", name, an, d)
				}
				if an == "id" {
					if v.Type() != cty.String {
						return ex, fmt.Errorf("%s: id is not a string", name)
					}
					ex.id = v.AsString()
					continue
				}
				if !v.Type().IsObjectType() {
					return ex, fmt.Errorf("%s: identity is not an object", name)
				}
				ex.identity = map[string]string{}
				for k, e := range v.AsValueMap() {
					if e.Type() != cty.String {
						return ex, fmt.Errorf("%s: identity %s is not a string", name, k)
					}
					ex.identity[k] = e.AsString()
				}
			default:
				return ex, fmt.Errorf("%s: unexpected attribute %s", name, an)
			}
		}
	}
	switch {
	case blocks != 1:
		return ex, fmt.Errorf("%s: %d import blocks, want one", name, blocks)
	case ex.to == "":
		return ex, fmt.Errorf("%s: the import block has no to", name)
	case name == importByStringID && (ex.id == "" || ex.identity != nil):
		return ex, fmt.Errorf("%s: the import block must import by id", name)
	case name == importByIdentity && (ex.identity == nil || ex.id != ""):
		return ex, fmt.Errorf("%s: the import block must import by identity", name)
	}
	return ex, nil
}

// identityAttrs returns the resource identity schema of a resource type: each attribute,
// true when it is required for import.
func identityAttrs(t *testing.T, resourceType string) map[string]bool {
	t.Helper()
	for _, e := range provider.Engines() {
		if "kazoo_"+e.Spec().TypeName != resourceType {
			continue
		}
		r, ok := e.Resource()().(frameworkresource.ResourceWithIdentity)
		if !ok {
			t.Fatalf("%s has no resource identity", resourceType)
		}
		var resp frameworkresource.IdentitySchemaResponse
		r.IdentitySchema(context.Background(), frameworkresource.IdentitySchemaRequest{}, &resp)
		out := map[string]bool{}
		for n, a := range resp.IdentitySchema.Attributes {
			out[n] = a.IsRequiredForImport()
		}
		return out
	}
	t.Fatalf("%s is not a registered resource type", resourceType)
	return nil
}

// resourceBlock matches the declaration of a resource in an example.
func resourceBlock(address string) *regexp.Regexp {
	typ, name, _ := strings.Cut(address, ".")
	return regexp.MustCompile(`(?m)^resource\s+"` + regexp.QuoteMeta(typ) + `"\s+"` + regexp.QuoteMeta(name) + `"\s*\{`)
}

// TestImportExamples: every resource type has both import examples; each imports a resource
// its example declares, the identity example gives every attribute of the type's identity
// schema, and the import id is made of the identity example's values (so that the two show
// the same object).
func TestImportExamples(t *testing.T) {
	for _, e := range provider.Engines() {
		typ := "kazoo_" + e.Spec().TypeName
		t.Run(typ, func(t *testing.T) {
			dir := filepath.Join(examplesDir, "resources", typ)
			parsed := map[string]importExample{}
			for _, name := range importExampleFiles {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("%s: %v", typ, err)
				}
				ex, err := parseImportExample(name, string(b))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(ex.to, typ+".") {
					t.Errorf("%s imports %s, not a %s", name, ex.to, typ)
				}
				resourceTF, err := os.ReadFile(filepath.Join(dir, "resource.tf"))
				if err != nil {
					t.Fatal(err)
				}
				if !resourceBlock(ex.to).Match(resourceTF) {
					t.Errorf("%s imports %s, which resource.tf does not declare", name, ex.to)
				}
				parsed[name] = ex
			}
			ident, byID := parsed[importByIdentity], parsed[importByStringID]
			if ident.to != byID.to {
				t.Errorf("the examples import %s and %s: both should show the same resource", ident.to, byID.to)
			}
			schema := identityAttrs(t, typ)
			for n := range schema {
				if _, ok := ident.identity[n]; !ok {
					t.Errorf("%s leaves out the identity attribute %s", importByIdentity, n)
				}
			}
			values := map[string]bool{}
			for n, v := range ident.identity {
				if _, ok := schema[n]; !ok {
					t.Errorf("%s sets %s, which is not an identity attribute of %s", importByIdentity, n, typ)
				}
				values[v] = true
			}
			parts := strings.Split(byID.id, "/")
			for _, p := range parts {
				if !values[p] {
					t.Errorf("%s: the import id's part %q is none of the identity example's values", importByStringID, p)
				}
			}
			if len(parts) != len(ident.identity) {
				t.Errorf("%s: the import id %q has %d parts, the identity %d: show the full form", importByStringID, byID.id, len(parts), len(ident.identity))
			}
		})
	}
}

func TestParseImportExample(t *testing.T) {
	ex, err := parseImportExample(importByIdentity, "# c\nimport {\n  to = kazoo_x.y\n  identity = {\n    account_id = \"a\"\n    id = \"b\"\n  }\n}\n")
	if err != nil || ex.to != "kazoo_x.y" || ex.identity["account_id"] != "a" || ex.identity["id"] != "b" {
		t.Errorf("identity example: %+v, %v", ex, err)
	}
	ex, err = parseImportExample(importByStringID, "import {\n  to = kazoo_x.y\n  id = \"a/b\"\n}\n")
	if err != nil || ex.to != "kazoo_x.y" || ex.id != "a/b" {
		t.Errorf("string id example: %+v, %v", ex, err)
	}
	for _, bad := range []string{
		"import {\n  to = kazoo_x.y\n  id = var.id\n}\n",
		"import {\n  to = kazoo_x.y\n  id = \"a\"\n}\nimport {\n  to = kazoo_x.z\n  id = \"b\"\n}\n",
		"resource \"kazoo_x\" \"y\" {}\n",
		"import {\n  to = kazoo_x.y\n  identity = { id = \"a\" }\n}\n",
	} {
		if _, err := parseImportExample(importByStringID, bad); err == nil {
			t.Errorf("accepted as a string id example:\n%s", bad)
		}
	}
}

// importCopy returns, for the import example name (its values already the object's), the
// configuration that imports the object into a copy of its resource block: the copy is named
// after the import (kazoo_user.alice_by_identity) and depends on after (the original, or the
// copy before it), so that destroy deletes the object once, from the last copy, and the others
// find it gone, one after another.
func importCopy(cfg, address, after, name, imp string) (copyAddress, out string, err error) {
	typ, resName, _ := strings.Cut(address, ".")
	copyName := resName + "_by_" + strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(name, "import-by-"), ".tf"), "-", "_")
	copyAddress = typ + "." + copyName
	f, diags := hclwrite.ParseConfig([]byte(cfg), "example.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return "", "", diags
	}
	var orig *hclwrite.Block
	for _, b := range f.Body().Blocks() {
		if l := b.Labels(); b.Type() == "resource" && len(l) == 2 && l[0] == typ && l[1] == resName {
			orig = b
		}
	}
	if orig == nil {
		return "", "", fmt.Errorf("the example does not declare %s", address)
	}
	if orig.Body().GetAttribute("depends_on") != nil || orig.Body().GetAttribute("count") != nil || orig.Body().GetAttribute("for_each") != nil {
		return "", "", fmt.Errorf("%s has depends_on, count or for_each, which its copy for the import test does not handle", address)
	}
	cp := hclwrite.NewBlock("resource", []string{typ, copyName})
	afterType, afterName, _ := strings.Cut(after, ".")
	cp.Body().SetAttributeRaw("depends_on", hclwrite.TokensForTuple([]hclwrite.Tokens{
		hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: afterType}, hcl.TraverseAttr{Name: afterName}})}))
	cp.Body().AppendNewline()
	cp.Body().AppendUnstructuredTokens(orig.Body().BuildTokens(nil))

	g, diags := hclwrite.ParseConfig([]byte(imp), name, hcl.InitialPos)
	if diags.HasErrors() {
		return "", "", diags
	}
	g.Body().Blocks()[0].Body().SetAttributeTraversal("to", hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: copyName}})
	return copyAddress, "\n" + string(hclwrite.Format(cp.BuildTokens(nil).Bytes())) + "\n" + string(g.Bytes()), nil
}

// realImport rewrites an import example for the object whose state attributes are real: each
// identity attribute takes the real attribute of the same name, and each part of an import id
// the real value of the identity attribute the identity example gives that value.
func realImport(name, src string, identityExample map[string]string, real map[string]string) (string, error) {
	ex, err := parseImportExample(name, src)
	if err != nil {
		return "", err
	}
	realOf := map[string]string{} // example value -> real value
	for k, v := range identityExample {
		r, ok := real[k]
		if !ok || r == "" {
			return "", fmt.Errorf("the state of %s has no %s", ex.to, k)
		}
		realOf[v] = r
	}
	f, diags := hclwrite.ParseConfig([]byte(src), name, hcl.InitialPos)
	if diags.HasErrors() {
		return "", diags
	}
	body := f.Body().Blocks()[0].Body()
	if ex.identity != nil {
		vals := map[string]cty.Value{}
		for k, v := range ex.identity {
			r, ok := realOf[v]
			if !ok {
				return "", fmt.Errorf("%s: identity %s = %q is not the identity example's", name, k, v)
			}
			vals[k] = cty.StringVal(r)
		}
		body.SetAttributeValue("identity", cty.ObjectVal(vals))
	} else {
		parts := strings.Split(ex.id, "/")
		for i, p := range parts {
			r, ok := realOf[p]
			if !ok {
				return "", fmt.Errorf("%s: the import id's part %q is none of the identity example's values", name, p)
			}
			parts[i] = r
		}
		body.SetAttributeValue("id", cty.StringVal(strings.Join(parts, "/")))
	}
	return string(f.Bytes()), nil
}

// captureState records the string attributes of a resource in the state after a step.
type captureState struct {
	address string
	into    map[string]string
}

func (c captureState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r := stateResource(req.State, c.address)
	if r == nil {
		resp.Error = fmt.Errorf("%s is not in the state", c.address)
		return
	}
	for k, v := range r.AttributeValues {
		if s, ok := v.(string); ok {
			c.into[k] = s
		}
	}
}

// expectSameObject checks that the resource in the state is the object captured before: the
// same values of the identity's attributes.
type expectSameObject struct {
	address string
	keys    []string
	want    map[string]string
}

func (c expectSameObject) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r := stateResource(req.State, c.address)
	if r == nil {
		resp.Error = fmt.Errorf("%s is not in the state after the import", c.address)
		return
	}
	for _, k := range c.keys {
		if got := fmt.Sprint(r.AttributeValues[k]); got != c.want[k] {
			resp.Error = fmt.Errorf("%s: %s = %s after the import, want %s (the object created before)", c.address, k, got, c.want[k])
			return
		}
	}
}

func stateResource(s *tfjson.State, address string) *tfjson.StateResource {
	if s == nil || s.Values == nil || s.Values.RootModule == nil {
		return nil
	}
	for _, r := range s.Values.RootModule.Resources {
		if r.Address == address {
			return r
		}
	}
	return nil
}

// expectImport checks that the plan imports the resource.
type expectImport struct{ address string }

func (c expectImport) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == c.address {
			if rc.Change == nil || rc.Change.Importing == nil {
				resp.Error = fmt.Errorf("%s: planned %v without importing it", c.address, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("the plan has no change for %s, want its import", c.address)
}

// importStep is the step that imports, with each import example of ex that the CLI supports,
// the object cfg created into a copy of its resource block (importCopy): the plan must import
// each copy, each must hold the same object, and the plan after the apply must be empty.
// created is filled by the step that applied cfg.
func importStep(t *testing.T, ex example, cfg string, created map[string]string) []resource.TestStep {
	t.Helper()
	if len(ex.imports) == 0 {
		return nil
	}
	identityExample, err := parseImportExample(importByIdentity, ex.imports[importByIdentity])
	if err != nil {
		t.Fatalf("%s: %v", ex.name, err)
	}
	address := identityExample.to
	keys := make([]string, 0, len(identityExample.identity))
	for k := range identityExample.identity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	names := []string{importByStringID}
	if old, err := acctest.CLIBelow(1, 12)(); err != nil {
		t.Fatal(err)
	} else if !old {
		names = append(names, importByIdentity) // import by identity needs Terraform 1.12
	}
	var planChecks []plancheck.PlanCheck
	var stateChecks []statecheck.StateCheck
	// render writes the step's configuration: with the object's values once it exists (and
	// with the example's own values before, for terraform-plugin-testing's checks of the test
	// case).
	render := func() string {
		out, after := cfg, address
		for _, name := range names {
			imp := ex.imports[name]
			if len(created) > 0 {
				var err error
				if imp, err = realImport(name, imp, identityExample.identity, created); err != nil {
					t.Errorf("%s: %v", ex.name, err)
				}
			}
			copyAddress, c, err := importCopy(cfg, address, after, name, imp)
			if err != nil {
				t.Errorf("%s: %v", ex.name, err)
			}
			after = copyAddress
			out += "\n# --- " + ex.name + "/" + name + ", into a copy of " + address + "\n" + c
		}
		return out
	}
	for _, name := range names {
		copyAddress, _, err := importCopy(cfg, address, address, name, ex.imports[name])
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		planChecks = append(planChecks, expectImport{copyAddress})
		stateChecks = append(stateChecks, expectSameObject{address: copyAddress, keys: keys, want: created})
	}
	file := filepath.Join(t.TempDir(), "import.tf")
	return []resource.TestStep{{
		ConfigFile: func(config.TestStepConfigRequest) string {
			if err := os.WriteFile(file, []byte(render()), 0o644); err != nil {
				t.Error(err)
			}
			return file
		},
		ConfigVariables:   variables(t, cfg),
		ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: planChecks},
		ConfigStateChecks: stateChecks,
	}}
}

func TestImportCopy(t *testing.T) {
	cfg := `resource "kazoo_user" "host" {
  first_name = "Helen"
}

# The conference.
resource "kazoo_conference" "all_hands" {
  owner_id = kazoo_user.host.id # the host
}
`
	addr, out, err := importCopy(cfg, "kazoo_conference.all_hands", "kazoo_conference.all_hands_by_string_id", importByIdentity,
		"# Terraform 1.12\nimport {\n  to = kazoo_conference.all_hands\n  identity = {\n    id = \"x\"\n  }\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	if addr != "kazoo_conference.all_hands_by_identity" {
		t.Errorf("copy address %q", addr)
	}
	for _, want := range []string{
		`resource "kazoo_conference" "all_hands_by_identity" {`,
		`depends_on = [kazoo_conference.all_hands_by_string_id]`,
		`owner_id = kazoo_user.host.id # the host`,
		`to = kazoo_conference.all_hands_by_identity`,
		`id = "x"`,
		`# Terraform 1.12`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("copy lacks %q:\n%s", want, out)
		}
	}
	if _, d := hclsyntax.ParseConfig([]byte(cfg+out), "x.tf", hcl.InitialPos); d.HasErrors() {
		t.Errorf("invalid configuration: %v\n%s", d, cfg+out)
	}
	if _, _, err := importCopy(cfg, "kazoo_conference.other", "kazoo_conference.other", importByStringID, "import {\n  to = kazoo_conference.other\n  id = \"x\"\n}\n"); err == nil {
		t.Error("an address the example does not declare")
	}
}

func TestRealImport(t *testing.T) {
	identity := map[string]string{"account_id": "A", "list_id": "L", "id": "I"}
	real := map[string]string{"account_id": "acct", "list_id": "list", "id": "doc", "name": "x"}
	got, err := realImport(importByStringID, "# the form \"A/L/I\"\nimport {\n  to = kazoo_list_entry.e\n  id = \"A/L/I\"\n}\n", identity, real)
	if err != nil || !strings.Contains(got, `id = "acct/list/doc"`) || !strings.Contains(got, `# the form "A/L/I"`) {
		t.Errorf("string id: %v\n%s", err, got)
	}
	got, err = realImport(importByIdentity, "import {\n  to = kazoo_list_entry.e\n  identity = {\n    account_id = \"A\"\n    list_id = \"L\"\n    id = \"I\"\n  }\n}\n", identity, real)
	if err != nil || !strings.Contains(got, `account_id = "acct"`) || !strings.Contains(got, `list_id    = "list"`) || !strings.Contains(got, `id         = "doc"`) {
		t.Errorf("identity: %v\n%s", err, got)
	}
	if _, err := realImport(importByStringID, "import {\n  to = kazoo_list_entry.e\n  id = \"A/X\"\n}\n", identity, real); err == nil {
		t.Error("a part of the import id that the identity example does not give")
	}
	if _, err := realImport(importByStringID, "import {\n  to = kazoo_list_entry.e\n  id = \"A/L/I\"\n}\n", identity, map[string]string{"id": "doc"}); err == nil {
		t.Error("a state without the identity's attributes")
	}
}
