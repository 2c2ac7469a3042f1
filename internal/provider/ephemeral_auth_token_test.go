package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// jwtPattern matches a KAZOO auth token (a JWT).
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// TestAccAuthTokenEphemeral: kazoo_auth_token configures a second kazoo provider, whose data
// source reads the account with that token, and the token appears neither in the state nor in
// a TRACE log of Terraform and the provider.
//
// It sets process environment variables, so it must not run in parallel.
func TestAccAuthTokenEphemeral(t *testing.T) {
	accOnly(t)
	acctest.PreCheck(t)
	owner := acctest.Client(t).AccountID()
	logFile := filepath.Join(t.TempDir(), "trace.log")
	if p := os.Getenv("KAZOO_TEST_KEEP_LOG"); p != "" {
		logFile = p
	}
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "TRACE")
	config := providerBlock + fmt.Sprintf(`
ephemeral "kazoo_auth_token" "login" {}

provider "kazoo" {
  alias      = "token"
  auth_token = ephemeral.kazoo_auth_token.login.token
  account_id = ephemeral.kazoo_auth_token.login.account_id
}

data "kazoo_account" "via_token" {
  provider = kazoo.token
  id       = %q
}
`, owner)
	noToken := func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if jwtPattern.MatchString(v) {
					return fmt.Errorf("%s.%s holds a token", addr, k)
				}
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.kazoo_account.via_token", tfjsonpath.New("id"), knownvalue.StringExact(owner)),
				statecheck.ExpectKnownValue("data.kazoo_account.via_token", tfjsonpath.New("name"), knownvalue.NotNull()),
			},
			Check: noToken,
		}},
	})
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the trace log: %v", err)
	}
	if !strings.Contains(string(b), "tf_rpc=OpenEphemeralResource") {
		t.Fatalf("the trace log (%d bytes) does not show the ephemeral resource being opened, so it proves nothing", len(b))
	}
	if tok := jwtPattern.FindString(string(b)); tok != "" {
		t.Fatalf("the trace log holds a token: %.24s…", tok)
	}
}
