package examplestest

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// examplesDir is the repository's examples/ folder, seen from this package.
const examplesDir = "../../examples"

func TestMain(m *testing.M) {
	// The examples declare `source = "kazoo-community/kazoo"`; serve the in-process provider
	// under that address instead of terraform-plugin-testing's default hashicorp/kazoo.
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "kazoo-community")
	}
	acctest.Main(m)
}

// docFiles are the files tfplugindocs shows on a page. Every other .tf file in an example
// directory is a fixture: the objects the example needs (a user for a device to belong to, the
// object a data source looks up), applied in a first step of its own.
var docFiles = map[string]bool{"resource.tf": true, "data-source.tf": true, "provider.tf": true,
	"action.tf": true, "ephemeral-resource.tf": true}

// queryExt is the extension of `terraform query` files (list resource examples).
const queryExt = ".tfquery.hcl"

// minCLI is the oldest CLI each kind of example needs: the examples of kinds an older CLI
// lacks skip themselves there, saying so.
var minCLI = map[string]*version.Version{
	"actions":             tfversion.Version1_14_0,
	"list-resources":      tfversion.Version1_14_0,
	"ephemeral-resources": tfversion.Version1_10_0,
}

// variableEnv feeds the variables an example may declare from the environment acctest set up.
var variableEnv = map[string]string{
	"kazoo_url":        acctest.EnvURL,
	"kazoo_api_key":    acctest.EnvAPIKey,
	"kazoo_account_id": acctest.EnvAccountID,
}

// example is one directory of examples/ with .tf files.
type example struct {
	name     string            // path below examples/, e.g. resources/kazoo_device
	files    map[string]string // file name -> content
	fixtures []string          // names of fixture files, sorted
	queries  []string          // names of .tfquery.hcl files, sorted
	// queryText is the content of the query files.
	queryText string
	// imports are the import example files (import_examples_test.go): file name -> content.
	imports map[string]string
}

func findExamples(t *testing.T, root string) []example {
	t.Helper()
	byDir := map[string]*example{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Terraform's own working files, if someone ran terraform inside an example.
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return nil
		}
		isQuery := strings.HasSuffix(d.Name(), queryExt)
		if filepath.Ext(path) != ".tf" && !isQuery {
			return nil
		}
		dir := filepath.Dir(path)
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		ex := byDir[dir]
		if ex == nil {
			ex = &example{name: filepath.ToSlash(rel), files: map[string]string{}}
			byDir[dir] = ex
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if isQuery {
			ex.queries = append(ex.queries, d.Name())
			ex.queryText += string(b) + "\n"
			return nil
		}
		if isImportExample(d.Name()) {
			// Not applied as written: the objects it names exist only on the page.
			if ex.imports == nil {
				ex.imports = map[string]string{}
			}
			ex.imports[d.Name()] = string(b)
			return nil
		}
		ex.files[d.Name()] = string(b)
		if !docFiles[d.Name()] {
			ex.fixtures = append(ex.fixtures, d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, ex := range byDir {
		sort.Strings(ex.fixtures)
		sort.Strings(ex.queries)
		out = append(out, *ex)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// requiredProviders is added to an example without a terraform block. terraform-plugin-testing
// adds one itself for apply steps but not for import steps, where "kazoo" would otherwise mean
// hashicorp/kazoo.
const requiredProviders = `terraform {
  required_providers {
    kazoo = {
      source = "kazoo-community/kazoo"
    }
  }
}
`

var terraformBlock = regexp.MustCompile(`(?m)^terraform\s*\{`)

// config joins the named files of an example into one configuration.
func (ex example) config(names []string) string {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "# --- %s/%s\n%s\n", ex.name, n, ex.files[n])
	}
	if !terraformBlock.MatchString(b.String()) {
		return requiredProviders + b.String()
	}
	return b.String()
}

func (ex example) allFiles() []string {
	names := make([]string, 0, len(ex.files))
	for n := range ex.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var variableDecl = regexp.MustCompile(`(?m)^variable\s+"([^"]+)"`)

// variables supplies every variable the configuration declares; a declared variable this test
// cannot supply fails the test, because the example could not be applied as written.
func variables(t *testing.T, cfg string) config.Variables {
	t.Helper()
	vars := config.Variables{}
	for _, m := range variableDecl.FindAllStringSubmatch(cfg, -1) {
		env, ok := variableEnv[m[1]]
		if !ok {
			// A variable with a default needs no value; Terraform reports one without.
			continue
		}
		v := os.Getenv(env)
		if v == "" {
			t.Skipf("variable %q needs %s, which is not set (running against a server logged in otherwise)", m[1], env)
		}
		vars[m[1]] = config.StringVariable(v)
	}
	return vars
}

// importCommand is one `terraform import ADDRESS ID` line of an example's import.sh.
type importCommand struct{ address, id string }

var importLine = regexp.MustCompile(`^\s*terraform\s+import\s+(\S+)\s+(\S+)`)

func importCommands(t *testing.T, dir string) []importCommand {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "import.sh"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []importCommand
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := importLine.FindStringSubmatch(sc.Text()); m != nil {
			cmds = append(cmds, importCommand{address: m[1], id: strings.Trim(m[2], `"'`)})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds
}

// importID builds, from the imported resource's state, an ID of the same shape as the example's:
// "<account_id>/<id>" (or "<parent_id>/<id>" for accounts) when the documented ID has a slash,
// else "<id>". A document of a nested collection (list entries) is named below its parent
// document: "<list_id>/<id>", or "<account_id>/<list_id>/<id>".
func importID(address, documented string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("import.sh imports %s, which the example does not create", address)
		}
		id := rs.Primary.Attributes["id"]
		if c := rs.Primary.Attributes["collection"]; c != "" && strings.Count(documented, "/") >= 2 {
			// kazoo_document: "<account_id>/<collection>/<id>".
			return rs.Primary.Attributes["account_id"] + "/" + c + "/" + id, nil
		}
		slashes := strings.Count(documented, "/")
		if parent := nestedParent(rs.Type); parent != "" {
			id = rs.Primary.Attributes[parent] + "/" + id
			slashes--
		}
		if slashes > 0 {
			// The owner: account_id for documents in an account, parent_id for accounts.
			for _, owner := range []string{"account_id", "parent_id"} {
				if v := rs.Primary.Attributes[owner]; v != "" {
					return v + "/" + id, nil
				}
			}
			return "", fmt.Errorf("%s has no account_id or parent_id for the documented <owner>/<id> form", address)
		}
		return id, nil
	}
}

// nestedParent names the attribute holding the parent document's id of a resource type whose
// documents live below another document, or "".
func nestedParent(resourceType string) string {
	for _, e := range provider.Engines() {
		if s := e.Spec(); "kazoo_"+s.TypeName == resourceType && s.Parent != nil {
			return s.Parent.Attr
		}
	}
	return ""
}

// TestAccExamples applies every example under examples/ (fixtures first), checks that the plan
// after each apply is empty, runs each `terraform import` line of its import.sh, imports the
// object again with each import example (import_examples_test.go), and destroys it. Examples run one after another: several of them create objects with the same unique
// names (user names, realms) in the same account.
func TestAccExamples(t *testing.T) {
	examples := findExamples(t, examplesDir)
	if len(examples) == 0 {
		t.Fatalf("no examples found under %s", examplesDir)
	}
	if os.Getenv(resource.EnvTfAcc) == "" {
		// As resource.Test would, before building steps that need the CLI's version.
		t.Skipf("Acceptance tests skipped unless env '%s' set", resource.EnvTfAcc)
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			if ex.name == "demo" {
				// terraform-plugin-testing's state checks reject for_each instances, which the
				// demo uses; scripts/demo.sh applies it with the plain CLI instead.
				t.Skip("examples/demo is applied by scripts/demo.sh")
			}
			cfg := ex.config(ex.allFiles())
			vars := variables(t, cfg)
			var steps []resource.TestStep
			if len(ex.queries) > 0 {
				// A list resource example: the provider (and the example's fixtures), then
				// `terraform query` on the example's query files.
				steps = append(steps,
					resource.TestStep{Config: cfg, ConfigVariables: vars},
					resource.TestStep{Query: true, Config: "provider \"kazoo\" {}\n" + ex.queryText, ConfigVariables: vars})
			}
			if len(ex.fixtures) > 0 && len(ex.fixtures) < len(ex.files) {
				steps = append(steps, resource.TestStep{Config: ex.config(ex.fixtures), ConfigVariables: vars})
			}
			// The state of the object the import examples import, when the example has them.
			created := map[string]string{}
			if len(ex.files) > 0 {
				step := resource.TestStep{Config: cfg, ConfigVariables: vars}
				if len(ex.imports) > 0 {
					imp, err := parseImportExample(importByIdentity, ex.imports[importByIdentity])
					if err != nil {
						t.Fatal(err)
					}
					step.ConfigStateChecks = []statecheck.StateCheck{captureState{address: imp.to, into: created}}
				}
				steps = append(steps, step)
			}
			for _, ic := range importCommands(t, filepath.Join(examplesDir, ex.name)) {
				steps = append(steps, resource.TestStep{
					Config:            cfg,
					ConfigVariables:   vars,
					ResourceName:      ic.address,
					ImportState:       true,
					ImportStateIdFunc: importID(ic.address, ic.id),
				})
			}
			steps = append(steps, importStep(t, ex, cfg, created)...)
			var checks []tfversion.TerraformVersionCheck
			if v := minCLI[strings.SplitN(ex.name, "/", 2)[0]]; v != nil {
				checks = append(checks, tfversion.SkipBelow(v))
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				TerraformVersionChecks:   checks,
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}

// TestFindExamples checks the discovery rules on a synthetic tree: one example per directory
// with .tf files, documentation files never taken for fixtures, import examples kept apart,
// other files and Terraform's working directories ignored.
func TestFindExamples(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("provider/provider.tf", "provider")
	write("resources/kazoo_device/resource.tf", "device")
	write("resources/kazoo_device/import.sh", "terraform import kazoo_device.x 1")
	write("resources/kazoo_device/import-by-identity.tf", "import by identity")
	write("resources/kazoo_device/import-by-string-id.tf", "import by id")
	write("data-sources/kazoo_user/data-source.tf", "lookup")
	write("data-sources/kazoo_user/user.tf", "fixture")
	write("data-sources/kazoo_user/.terraform/modules/x.tf", "ignored")
	write("README.md", "ignored")

	got := findExamples(t, root)
	var summary []string
	for _, ex := range got {
		var imports []string
		for n := range ex.imports {
			imports = append(imports, n)
		}
		sort.Strings(imports)
		summary = append(summary, fmt.Sprintf("%s files=%s fixtures=%s imports=%s", ex.name,
			strings.Join(ex.allFiles(), ","), strings.Join(ex.fixtures, ","), strings.Join(imports, ",")))
	}
	want := []string{
		"data-sources/kazoo_user files=data-source.tf,user.tf fixtures=user.tf imports=",
		"provider files=provider.tf fixtures= imports=",
		"resources/kazoo_device files=resource.tf fixtures= imports=import-by-identity.tf,import-by-string-id.tf",
	}
	if strings.Join(summary, "\n") != strings.Join(want, "\n") {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(summary, "\n"), strings.Join(want, "\n"))
	}
	cfg := got[0].config(got[0].fixtures)
	if !strings.Contains(cfg, "fixture") || strings.Contains(cfg, "lookup") {
		t.Errorf("fixture-only configuration = %q", cfg)
	}
}

func TestImportCommands(t *testing.T) {
	dir := t.TempDir()
	script := "# by id\nterraform import kazoo_device.desk 0123456789abcdef0123456789abcdef\n" +
		"# by account and id\n  terraform import kazoo_device.desk \"a/b\"\necho not an import\n"
	if err := os.WriteFile(filepath.Join(dir, "import.sh"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	got := importCommands(t, dir)
	want := []importCommand{{"kazoo_device.desk", "0123456789abcdef0123456789abcdef"}, {"kazoo_device.desk", "a/b"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("importCommands = %v, want %v", got, want)
	}
	if cmds := importCommands(t, t.TempDir()); cmds != nil {
		t.Errorf("no import.sh: %v", cmds)
	}
}
