package provider_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// TestAccQueryGenerateConfig: for every registered type, `terraform query
// -generate-config-out` on an object created behind Terraform's back writes configuration and
// an import block (by identity) that plan as an import and nothing else; after the apply, the
// plan is empty.
func TestAccQueryGenerateConfig(t *testing.T) {
	if skip, err := cliBelow(1, 14)(); err != nil || skip {
		t.Skipf("terraform query needs Terraform %s or later (%v)", tfversion.Version1_14_0, err)
	}
	for _, ts := range registeredTypes(t) {
		t.Run(ts.typeName(), func(t *testing.T) {
			acctest.PreCheck(t)
			if ts.FreeForm != nil {
				t.Skipf("%s has no typed attributes: generated configuration cannot say which keys of the document to manage (its required %s)",
					ts.typeName(), ts.FreeForm.DataAttr)
			}
			obj := ts.createOutOfBand(t, acctest.RandomName("gen"))
			filter, filtered := ts.listArgs(obj)
			if !filtered && ts.Scope != engine.ScopeSingleton {
				t.Fatalf("%s has no name, filter key or key filter to find the test's own object by, among those of parallel tests", ts.typeName())
			}
			w := newCLIWorkdir(t, map[string]string{
				"main.tf": "provider \"kazoo\" {}\n",
				"found.tfquery.hcl": fmt.Sprintf(`list %q "found" {
  provider         = kazoo
  include_resource = true
  config {
    %s
  }
}
`, ts.typeName(), filter),
			})
			ctx := context.Background()
			generated := filepath.Join(w.dir, "generated.tf")
			msgs, err := w.tf.QueryJSON(ctx, tfexec.GenerateConfigOut(generated), tfexec.Reattach(w.reattach))
			if err != nil {
				t.Fatal(err)
			}
			for m := range msgs {
				if m.Err != nil {
					t.Fatalf("terraform query: %v", m.Err)
				}
			}
			b, err := os.ReadFile(generated)
			if err != nil {
				t.Fatalf("terraform query -generate-config-out wrote nothing: %v", err)
			}
			cfg := string(b)
			t.Logf("generated configuration:\n%s", cfg)
			if strings.Count(cfg, "import {") != 1 || !strings.Contains(cfg, "identity") ||
				strings.Count(cfg, fmt.Sprintf("resource %q", ts.typeName())) != 1 {
				t.Fatalf("generated configuration should import and declare exactly the one object:\n%s", cfg)
			}

			// The first plan only imports.
			planFile := filepath.Join(w.dir, "import.tfplan")
			if _, err := w.tf.Plan(ctx, tfexec.Out(planFile), tfexec.Reattach(w.reattach)); err != nil {
				t.Fatalf("plan of the generated configuration: %v\n%s", err, cfg)
			}
			plan, err := w.tf.ShowPlanFile(ctx, planFile, tfexec.Reattach(w.reattach))
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.ResourceChanges) != 1 {
				t.Fatalf("the plan has %d resource changes, want the one import", len(plan.ResourceChanges))
			}
			rc := plan.ResourceChanges[0]
			if rc.Change.Importing == nil || !rc.Change.Actions.NoOp() {
				t.Fatalf("%s: planned %v (importing %v), want an import and no change\n%s", rc.Address, rc.Change.Actions, rc.Change.Importing, cfg)
			}
			if err := w.tf.Apply(ctx, tfexec.DirOrPlan(planFile), tfexec.Reattach(w.reattach)); err != nil {
				t.Fatal(err)
			}
			// Then nothing is left to do.
			changes, err := w.tf.Plan(ctx, tfexec.Reattach(w.reattach))
			if err != nil {
				t.Fatal(err)
			}
			if changes {
				out, _ := w.run("plan", "-no-color")
				t.Fatalf("the plan after the import is not empty:\n%s", out)
			}
			state, err := w.tf.Show(ctx, tfexec.Reattach(w.reattach))
			if err != nil {
				t.Fatal(err)
			}
			res := state.Values.RootModule.Resources
			if len(res) != 1 || res[0].IdentityValues == nil {
				t.Fatalf("want one imported resource with its identity in the state, got %+v", res)
			}
			for k, v := range ts.identityOf(obj) {
				if fmt.Sprint(res[0].IdentityValues[k]) != v {
					t.Errorf("identity %s = %v, want %s", k, res[0].IdentityValues[k], v)
				}
			}
		})
	}
}
