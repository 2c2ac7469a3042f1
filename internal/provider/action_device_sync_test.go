package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

const syncRoute = "POST /v2/accounts/{ACCOUNT_ID}/devices/{ID}/sync"

// syncCount returns how many sync requests the simulator has answered; ok is false on a real
// KAZOO, where requests cannot be counted.
func syncCount(t *testing.T) (int, bool) {
	t.Helper()
	stats, ok := acctest.SimStats(t)
	return acctest.Requests(stats, syncRoute), ok
}

// expectSyncs checks that exactly want sync requests reached the simulator since *before.
func expectSyncs(t *testing.T, before *int, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := syncCount(t)
		if !ok {
			return nil // a real KAZOO: the apply's success is the check
		}
		if got-*before != want {
			return fmt.Errorf("%d POST .../sync requests, want %d", got-*before, want)
		}
		return nil
	}
}

// TestAccDeviceSyncAction_trigger: an action_trigger after a device is created or changed
// sends one sync for the device; a sync of a device KAZOO does not know fails on device_id.
func TestAccDeviceSyncAction_trigger(t *testing.T) {
	var before int
	mark := func() { before, _ = syncCount(t) }
	config := func(name string) string {
		return providerBlock + fmt.Sprintf(`
resource "kazoo_device" "desk" {
  name = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.kazoo_device_sync.desk]
    }
  }
}

action "kazoo_device_sync" "desk" {
  config {
    device_id = kazoo_device.desk.id
  }
}
`, name)
	}
	name := acctest.RandomName("sync")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{PreConfig: mark, Config: config(name), Check: expectSyncs(t, &before, 1)},
			{PreConfig: mark, Config: config(name + "-2"), Check: expectSyncs(t, &before, 1)},
			// No change: no trigger, no sync.
			{PreConfig: mark, Config: config(name + "-2"), Check: expectSyncs(t, &before, 0)},
			{
				Config: config(name+"-2") + `
resource "kazoo_device" "other" {
  name = "` + name + `-other"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.kazoo_device_sync.ghost]
    }
  }
}

action "kazoo_device_sync" "ghost" {
  config {
    device_id = "0123456789abcdef0123456789abcdef"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)Device not found.*KAZOO has no device 0123456789abcdef0123456789abcdef`),
			},
		},
	})
}

// TestAccDeviceSyncAction_invoke: `terraform apply -invoke=action.kazoo_device_sync.x` syncs the
// device once, and an unknown device fails with an error that says so.
func TestAccDeviceSyncAction_invoke(t *testing.T) {
	if skip, err := cliBelow(1, 14)(); err != nil || skip {
		t.Skipf("actions need Terraform %s or later (%v)", tfversion.Version1_14_0, err)
	}
	acctest.PreCheck(t)
	dev := registeredType(t, "device").createOutOfBand(t, acctest.RandomName("invoke"))
	w := newCLIWorkdir(t, map[string]string{"main.tf": fmt.Sprintf(`
provider "kazoo" {}

action "kazoo_device_sync" "desk" {
  config {
    device_id = %q
  }
}

action "kazoo_device_sync" "ghost" {
  config {
    account_id = %q
    device_id  = "0123456789abcdef0123456789abcdef"
  }
}
`, dev.id, dev.owner)})
	before, counted := syncCount(t)
	if out, err := w.run("apply", "-no-color", "-auto-approve", "-invoke=action.kazoo_device_sync.desk"); err != nil {
		t.Fatalf("apply -invoke: %v\n%s", err, out)
	}
	if after, _ := syncCount(t); counted && after-before != 1 {
		t.Errorf("%d POST .../sync requests, want 1", after-before)
	}
	out, err := w.run("apply", "-no-color", "-auto-approve", "-invoke=action.kazoo_device_sync.ghost")
	if err == nil || !strings.Contains(out, "Device not found") || !strings.Contains(out, "KAZOO has no device 0123456789abcdef0123456789abcdef") {
		t.Fatalf("invoking the sync of an unknown device: err %v, want a 'Device not found' error:\n%s", err, out)
	}
}

// registeredType returns the registered spec of a type name ("device").
func registeredType(t *testing.T, name string) typeSpec {
	t.Helper()
	for _, ts := range registeredTypes(t) {
		if ts.TypeName == name {
			return ts
		}
	}
	t.Fatalf("no registered type %q", name)
	return typeSpec{}
}
