package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// A whole create, update and destroy with Terraform and the provider both logging at TRACE
// leaves no secret in the log: not the provider's API key, the token it got for it, a user's
// password, a device's SIP password, a voicemail PIN or a hotdesk PIN, plain or write-only, nor a
// write-only secret inside a list item (a carrier's gateway, a connectivity's server). This complements
// TestProviderLogsCarryNoSecrets (the client's own log entries) with everything Terraform core
// and the framework print around them.
//
// It sets process environment variables, so it must not run in parallel.
func TestAccSecretsNeverLogged(t *testing.T) {
	const (
		userPassword = "Sekrit-User-Passw0rd-7f3a"
		woPassword   = "Sekrit-WriteOnly-Passw0rd-91c2"
		sipPassword  = "Sekrit-Sip-Passw0rd-5d8e"
		sipPassword2 = "Sekrit-Sip-Passw0rd-Rotated-0b4c"
		pin          = "830519"
		woSip        = "Sekrit-WO-Sip-Passw0rd-3e71"
		woPin        = "274016"
		woHotdeskPin = "615392"
		woBridge     = "Sekrit-WO-Bridge-8a2d"
		woMemberPin  = "482913"
		woModPin     = "590274"
		woRecordPin  = "371845"
		woGateway    = "Sekrit-WO-Gateway-6c1f"
		woTrunk      = "Sekrit-WO-Trunk-2b9d"
	)
	provider, _, srv := ownSimulator(t, kazoosim.Options{})
	apiKey := srv.Master().APIKey
	logFile := filepath.Join(t.TempDir(), "trace.log")
	// Both Terraform core (through terraform-exec) and the provider served in-process
	// (through terraform-plugin-log's test sink) write to TF_ACC_LOG_PATH at TRACE.
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "TRACE")

	// Write-only attributes need Terraform/OpenTofu 1.11; older CLIs check everything else.
	noWriteOnly, err := cliBelow(1, 11)()
	if err != nil {
		t.Fatal(err)
	}
	plainUser, woUser, sipUser := acctest.RandomName("plain"), acctest.RandomName("wo"), acctest.RandomName("desk")
	woBlock := fmt.Sprintf(`
resource "kazoo_user" "wo" {
  first_name          = "Write"
  last_name           = "Only"
  username            = %q
  password_wo         = %q
  password_wo_version = 1
  hotdesk             = { enabled = true }
  hotdesk_pin_wo         = %q
  hotdesk_pin_wo_version = 1
}

resource "kazoo_device" "wo" {
  name                    = "Write-only desk"
  sip                     = { username = %q }
  sip_password_wo         = %q
  sip_password_wo_version = 1
}

resource "kazoo_vmbox" "wo" {
  name           = "Write-only box"
  mailbox        = "4712"
  pin_wo         = %q
  pin_wo_version = 1
}

resource "kazoo_conference" "wo" {
  name                       = "Write-only conference"
  bridge_password_wo         = %q
  bridge_password_wo_version = 1
  member_pins_wo             = [%q]
  member_pins_wo_version     = 1
  moderator_pins_wo          = [%q]
  moderator_pins_wo_version  = 1
}

resource "kazoo_menu" "wo" {
  name                  = "Write-only menu"
  record_pin_wo         = %q
  record_pin_wo_version = 1
}

resource "kazoo_carrier" "wo" {
  name = "Write-only carrier"
  gateways = [{
    server              = "sip.carrier.example.com"
    password_wo         = %q
    password_wo_version = 1
  }]
}

resource "kazoo_connectivity" "wo" {
  name = "Write-only trunk"
  servers = [{
    name                     = "pbx"
    auth                     = { auth_method = "password", auth_user = %q }
    auth_password_wo         = %q
    auth_password_wo_version = 1
  }]
}
`, woUser, woPassword, woHotdeskPin, acctest.RandomName("wodesk"), woSip, woPin, woBridge, woMemberPin, woModPin, woRecordPin,
		woGateway, acctest.RandomName("wotrunk"), woTrunk)
	if noWriteOnly {
		woBlock = ""
	}
	config := func(sipPass string) string {
		return provider + woBlock + fmt.Sprintf(`
resource "kazoo_user" "plain" {
  first_name = "Plain"
  last_name  = "Password"
  username   = %[1]q
  password   = %[2]q
}

resource "kazoo_device" "desk" {
  name     = "Desk"
  owner_id = kazoo_user.plain.id
  sip = {
    username = %[3]q
    password = %[4]q
  }
}

resource "kazoo_vmbox" "box" {
  name     = "Box"
  mailbox  = "4711"
  pin      = %[5]q
  owner_id = kazoo_user.plain.id
}
`, plainUser, userPassword, sipUser, sipPass, pin)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(sipPassword)},
			// An update sends a secret again (a rotated SIP password in a PATCH).
			{
				Config: config(sipPassword2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_device.desk", plancheck.ResourceActionUpdate)},
				},
			},
		},
	})

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	out := withoutHarness(string(b))
	// The check means something only if both sides logged, including request bodies.
	for _, want := range []string{"KAZOO request", "KAZOO request body", "ApplyResourceChange", `\"sip\"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("the trace log (%d bytes) lacks %q: the test no longer sees what it checks", len(out), want)
		}
	}
	for what, secret := range map[string]string{
		"provider api_key":                 apiKey,
		"user password":                    userPassword,
		"user password_wo":                 woPassword,
		"user hotdesk_pin_wo":              woHotdeskPin,
		"device sip_password_wo":           woSip,
		"vmbox pin_wo":                     woPin,
		"conference bridge_password_wo":    woBridge,
		"conference member_pins_wo":        woMemberPin,
		"conference moderator_pins_wo":     woModPin,
		"menu record_pin_wo":               woRecordPin,
		"carrier gateways[].password_wo":   woGateway,
		"connectivity auth_password_wo":    woTrunk,
		"device sip.password":              sipPassword,
		"rotated device sip.password":      sipPassword2,
		"vmbox pin":                        pin,
		"credentials hash of the password": client.Credentials(plainUser, userPassword),
	} {
		if i := strings.Index(out, secret); i >= 0 {
			t.Errorf("the %s appears in the trace log: …%s…", what, excerpt(out, i))
		}
	}
	// Tokens the simulator issues are JWTs.
	if loc := regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`).FindStringIndex(out); loc != nil {
		t.Errorf("an auth token appears in the trace log: …%s…", excerpt(out, loc[0]))
	}
}

// logEntry matches the start of an entry of the trace log (continuation lines do not).
var logEntry = regexp.MustCompile(`(?m)^\d{4}-\d{2}-\d{2}T\S+ \[[A-Z]+\] `)

// withoutHarness drops the entries terraform-plugin-testing itself writes (its
// sdk.helper_resource logger prints each step's configuration verbatim, secrets included):
// they are the test's, not Terraform's or the provider's.
func withoutHarness(log string) string {
	var b strings.Builder
	starts := logEntry.FindAllStringIndex(log, -1)
	for i, loc := range starts {
		end := len(log)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		entry := log[loc[0]:end]
		if strings.HasPrefix(entry[loc[1]-loc[0]:], "sdk.helper_resource:") {
			continue
		}
		b.WriteString(entry)
	}
	return b.String()
}

// excerpt is the log text before a leaked value, so that a failure says where it leaked
// without printing the secret itself.
func excerpt(s string, i int) string {
	start := max(0, i-160)
	return s[start:i] + "<secret>"
}
