package provider_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// Each operation costs KAZOO one request: create = 1 PUT, read = 1 GET, update = the refresh's
// GET + 1 PATCH, delete = the refresh's GET + 1 DELETE; and each Terraform command logs in once.
// Measured through the simulator's request counters, so it needs the in-process simulator.
func TestAccRequestCounts(t *testing.T) {
	cases := []struct{ typ, create, update string }{
		{"kazoo_account", `name = "%[1]s"`, `name = "%[1]s-2"`},
		{"kazoo_user", `first_name = "Req"` + "\n" + `last_name = "%[1]s"`, `first_name = "Req2"` + "\n" + `last_name = "%[1]s"`},
		{"kazoo_device", `name = "%[1]s"`, `name = "%[1]s-2"`},
		{"kazoo_vmbox", `name = "%[1]s"` + "\n" + `mailbox = "%[2]s"`, `name = "%[1]s-2"` + "\n" + `mailbox = "%[2]s"`},
		{"kazoo_group", `name = "%[1]s"` + "\n" + `endpoints = {}`, `name = "%[1]s-2"` + "\n" + `endpoints = {}`},
		{"kazoo_callflow", `numbers = ["%[2]s"]` + "\n" + `flow = jsonencode({ module = "park", data = {} })`,
			`name = "%[1]s"` + "\n" + `numbers = ["%[2]s"]` + "\n" + `flow = jsonencode({ module = "park", data = {} })`},
	}
	if acctest.Simulator() == nil {
		if _, ok := acctest.SimStats(t); !ok {
			t.Skip("request counts need the simulator's /sim/stats; this run targets another KAZOO")
		}
	}
	for _, tc := range cases {
		t.Run(tc.typ, func(t *testing.T) {
			name, number := acctest.RandomName("req"), randomDigits(7)
			cfg := func(body string) string {
				return providerBlock + fmt.Sprintf("resource %q \"r\" {\n%s\n}\n", tc.typ, fmt.Sprintf(body, name, number))
			}
			reset := func() { acctest.ResetSimStats(t) }
			expect := func(op string, want map[string]int) resource.TestCheckFunc {
				return func(*terraform.State) error {
					stats, _ := acctest.SimStats(t)
					got := map[string]int{}
					var detail []string
					for k, n := range stats.Requests {
						if strings.Contains(k, "_auth") || strings.HasPrefix(k, "GET /sim") {
							continue
						}
						got[strings.Fields(k)[0]] += n
						detail = append(detail, fmt.Sprintf("%s=%d", k, n))
					}
					sort.Strings(detail)
					t.Logf("%s %s: %v, logins %d (%s)", tc.typ, op, got, stats.Logins, strings.Join(detail, ", "))
					for m, n := range want {
						if got[m] != n {
							return fmt.Errorf("%s %s: %d %s requests, want %d (%s)", tc.typ, op, got[m], m, n, strings.Join(detail, ", "))
						}
					}
					total := 0
					for _, n := range got {
						total += n
					}
					wantTotal := 0
					for _, n := range want {
						wantTotal += n
					}
					if total != wantTotal {
						return fmt.Errorf("%s %s: %d requests in all, want %d (%s)", tc.typ, op, total, wantTotal, strings.Join(detail, ", "))
					}
					// One plan and one apply: each Terraform command logs in once.
					if stats.Logins > 2 {
						return fmt.Errorf("%s %s: %d logins for one plan and one apply", tc.typ, op, stats.Logins)
					}
					return nil
				}
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{PreConfig: reset, Config: cfg(tc.create), Check: expect("create", map[string]int{"PUT": 1})},
					{PreConfig: reset, Config: cfg(tc.create), Check: expect("read", map[string]int{"GET": 1})},
					{PreConfig: reset, Config: cfg(tc.update), Check: expect("update", map[string]int{"GET": 1, "PATCH": 1})},
					{PreConfig: reset, Config: providerBlock, Check: expect("delete", map[string]int{"GET": 1, "DELETE": 1})},
				},
			})
		})
	}
}
