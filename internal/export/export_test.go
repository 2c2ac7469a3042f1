package export_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/export"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// exportTree reads and generates the configuration of the account tree under root.
func exportTree(t testing.TB, c *client.Client, root string) (*export.Tree, *export.Output) {
	t.Helper()
	ctx := context.Background()
	tree, err := export.Read(ctx, engine.ClientBackend(c), provider.Engines(),
		export.Options{AccountID: root, Recursive: true})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	out, err := export.Generate(ctx, tree, export.SplitAccount)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return tree, out
}

var (
	anyHex32 = regexp.MustCompile(`[0-9a-f]{32}`)
	// "<account>/<id>", "<account>/<number>" (phone numbers), "<account>" (limits).
	importID    = regexp.MustCompile(`^\s*id\s*=\s*"[0-9a-f]{32}(/[0-9a-f]{32}(/[0-9a-f]{32})?|/\+[0-9]+)?"$`)
	ownerIDLine = regexp.MustCompile(`^\s*owner_id\s*=\s*(\S+)`)
)

// TestAccExport_MonsterUITree exports a tree as MonsterUI leaves it and checks the
// configuration a person would keep: no nulls, no secrets, references for every id, stable
// output. With TF_ACC set, Terraform then plans only imports of every object, applies them,
// and the next plan is empty.
func TestAccExport_MonsterUITree(t *testing.T) {
	c := testClient(t)
	tr := buildMonsterTree(t, c, 2)
	tree, out := exportTree(t, c, tr.Reseller)

	if len(out.Problems) > 0 {
		t.Errorf("objects left out: %v", out.Problems)
	}
	if out.Stats.Objects != tr.Objects {
		t.Errorf("exported %d objects, made %d: %s", out.Stats.Objects, tr.Objects, out.Stats.Summary())
	}
	// The reseller's parent (the provider's account) is the one id outside the export.
	if out.Stats.Literal != 1 {
		t.Errorf("%d ids left literal, want 1 (the reseller's parent)", out.Stats.Literal)
	}
	// Every owner_id, every id inside a callflow, group endpoint keys and the account_id of
	// every object plus the parent_id of the sub-accounts are references.
	// Each user's directories name the callflow that rings the user: those stay literal ids,
	// as a reference would close a cycle.
	wantRefs := tr.Refs + (tr.Objects - len(tr.Accounts)) + (len(tr.Accounts) - 1)
	if out.Stats.References+out.Stats.Cycles != wantRefs || out.Stats.Cycles != tr.DirectoryEntries {
		t.Errorf("%d references and %d cycles broken, want %d and %d", out.Stats.References, out.Stats.Cycles,
			wantRefs-tr.DirectoryEntries, tr.DirectoryEntries)
	}

	var tfFiles []string
	owners := 0
	for name, body := range out.Files {
		text := string(body)
		if !strings.HasSuffix(name, ".tf") {
			continue
		}
		tfFiles = append(tfFiles, name)
		if strings.Contains(text, "= null") || strings.Contains(text, "=null") {
			t.Errorf("%s has a null:\n%s", name, text)
		}
		if strings.Contains(text, "ui_metadata") {
			t.Errorf("%s exports MonsterUI's ui_metadata", name)
		}
		for _, s := range tr.Secrets {
			if strings.Contains(text, `"`+s+`"`) {
				t.Errorf("%s holds the secret %q", name, s)
			}
		}
		lines := strings.Split(text, "\n")
		// Ids a comment says stay literal (outside the export, or breaking a cycle).
		explained := map[string]bool{}
		for _, line := range lines {
			if strings.HasPrefix(strings.TrimSpace(line), "#") && strings.Contains(line, "stays a literal id") {
				for _, id := range anyHex32.FindAllString(line, -1) {
					explained[id] = true
				}
			}
		}
		for i, line := range lines {
			if m := ownerIDLine.FindStringSubmatch(line); m != nil {
				owners++
				if !strings.HasPrefix(m[1], "kazoo_user.") {
					t.Errorf("%s:%d: owner_id is not a reference: %s", name, i+1, line)
				}
			}
			// Ids appear only in import blocks, and where a comment says why they stay literal.
			if id := anyHex32.FindString(line); id != "" && !importID.MatchString(line) &&
				!strings.HasPrefix(strings.TrimSpace(line), "#") && !explained[id] {
				t.Errorf("%s:%d: a literal id: %s", name, i+1, line)
			}
		}
	}
	if owners != tr.OwnerIDs {
		t.Errorf("%d owner_id lines, want %d", owners, tr.OwnerIDs)
	}
	if len(tfFiles) != len(tr.Accounts)+2 { // one per account, provider.tf, variables.tf
		t.Errorf("files %v, want one per account plus provider.tf and variables.tf", tfFiles)
	}
	vars := string(out.Files[export.SecretsFile])
	for _, s := range tr.Secrets {
		if strings.HasPrefix(s, "Us3r-pass-") {
			if strings.Contains(vars, s) {
				t.Errorf("a user password KAZOO never returns is in %s", export.SecretsFile)
			}
			continue
		}
		if !strings.Contains(vars, `"`+s+`"`) {
			t.Errorf("secret %q is not in %s", s, export.SecretsFile)
		}
	}
	for _, ignored := range []string{export.SecretsFile, "*.tfstate"} { // the state holds the secrets too
		if !strings.Contains(string(out.Files[".gitignore"]), ignored+"\n") {
			t.Errorf(".gitignore does not list %s", ignored)
		}
	}

	dir := t.TempDir()
	if err := out.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, export.SecretsFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, mode %v; want 0600", export.SecretsFile, err, fi.Mode().Perm())
	}

	// One GET per document and per account, one per account for each kind of document that
	// is one per account (limits: KAZOO's defaults, not exported), plus the listings.
	if want := tr.Objects - tr.Singletons + singletonKinds()*len(tr.Accounts); tree.Reads != want {
		t.Errorf("%d documents read, want %d", tree.Reads, want)
	}
	if want := 2 + len(export.Collections(provider.Engines()))*len(tr.Accounts) + tr.Lists; tree.Listings != want {
		t.Errorf("%d listings, want %d", tree.Listings, want)
	}

	// Exporting again gives identical files.
	_, again := exportTree(t, c, tr.Reseller)
	if !reflect.DeepEqual(out.Files, again.Files) {
		for name := range out.Files {
			if string(out.Files[name]) != string(again.Files[name]) {
				t.Errorf("%s differs between two exports:\n%s\n----\n%s", name, out.Files[name], again.Files[name])
			}
		}
	}
	if t.Failed() { // show what was wrong
		for _, name := range tfFiles {
			t.Logf("%s:\n%s", name, out.Files[name])
		}
	}

	if os.Getenv(resource.EnvTfAcc) == "" {
		return // what follows runs the Terraform CLI
	}
	// The real CLI, as an operator runs it: `terraform plan` says it only imports.
	want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", tr.Objects)
	if text := planText(t, dir); !strings.Contains(text, want) {
		t.Errorf("terraform plan does not say %q:\n%s", want, text)
	}

	// The same plan through the test harness: exactly the N imports, each a no-op; the apply
	// imports them and the next plan is empty (the harness fails the step otherwise). The
	// destroy at the end removes the tree.
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "kazoo-community") // the source provider.tf names
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			ConfigDirectory: config.StaticDirectory(dir),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{onlyImports{n: tr.Objects}},
			},
		}},
	})
}

// planText checks that dir is formatted as `terraform fmt` would, runs `terraform init` and
// `terraform plan` in a copy of it, with the provider served in-process, and returns what plan
// printed.
func planText(t *testing.T, dir string) string {
	t.Helper()
	execPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if execPath == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH (%v)", err)
		}
		execPath = p
	}
	work := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	factory := acctest.ProtoV6ProviderFactories["kazoo"]
	go func() {
		err := tf6server.Serve("registry.terraform.io/kazoo-community/kazoo", func() tfprotov6.ProviderServer {
			s, _ := factory()
			return s
		}, tf6server.WithDebug(ctx, reattach, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	defer func() { cancel(); <-closed }()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start")
	}
	rc := tfexec.ReattachConfig{Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid,
		Test: cfg.Test, Addr: tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()}}

	tf, err := tfexec.NewTerraform(work, execPath)
	if err != nil {
		t.Fatal(err)
	}
	info := tfexec.Reattach(tfexec.ReattachInfo{
		"registry.terraform.io/kazoo-community/kazoo": rc, "registry.opentofu.org/kazoo-community/kazoo": rc,
	})
	// Formatted as terraform fmt would.
	if ok, files, err := tf.FormatCheck(ctx); err != nil || !ok {
		t.Errorf("terraform fmt -check: %v, files it would change: %v", err, files)
	}
	var out bytes.Buffer
	tf.SetStdout(&out)
	tf.SetStderr(&out)
	if err := tf.Init(ctx, info); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out.String())
	}
	out.Reset()
	if _, err := tf.Plan(ctx, info); err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out.String())
	}
	return out.String()
}

// testClient is the client the test builds and exports with: the provider's, without the
// client-side rate limit against the in-process simulator (which has none either).
func testClient(t testing.TB) *client.Client {
	t.Helper()
	acctest.PreCheck(t)
	cfg := acctest.ConfigFromEnv()
	if acctest.Simulator() != nil {
		cfg.RequestsPerSecond = -1
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// onlyImports passes when the plan imports exactly n resources and does nothing else:
// "n to import, 0 to add, 0 to change, 0 to destroy".
type onlyImports struct{ n int }

func (c onlyImports) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imports := 0
	var errs []error
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		if !rc.Change.Actions.NoOp() {
			errs = append(errs, fmt.Errorf("%s: planned %v", rc.Address, rc.Change.Actions))
		}
		if rc.Change.Importing != nil {
			imports++
		}
	}
	if imports != c.n {
		errs = append(errs, fmt.Errorf("%d to import, want %d", imports, c.n))
	}
	resp.Error = errors.Join(errs...)
}
