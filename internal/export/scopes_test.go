package export_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/export"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// Documents that are one per account (limits) and documents named by a key (phone numbers)
// are read and imported the way their engine addresses them.
func TestExportSingletonsAndKeyedDocuments(t *testing.T) {
	ctx := context.Background()
	c := testClient(t)
	tr := buildMonsterTree(t, c, 1)
	tag := tr.Reseller[:8]
	sub := tr.Accounts[1]
	if _, err := c.Post(ctx, client.AccountPath(sub, "limits"), map[string]any{"twoway_trunks": 5}); err != nil {
		t.Fatal(err)
	}
	number := "+1415555" + strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, tag+"0000")[:4]
	if _, err := c.Put(ctx, client.AccountPath(sub, "phone_numbers", url.PathEscape(number)), map[string]any{}); err != nil {
		t.Fatal(err)
	}
	tree, err := export.Read(ctx, engine.ClientBackend(c), provider.Engines(),
		export.Options{AccountID: tr.Reseller, Recursive: true, Types: []string{"account", "limits", "phone_number"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := export.Generate(ctx, tree, export.SplitType)
	if err != nil {
		t.Fatal(err)
	}
	// The reseller's and this account's limits; the third account's hold only KAZOO's
	// defaults: nothing to manage.
	limits := string(out.Files["limits.tf"])
	if n := strings.Count(limits, "resource \"kazoo_limits\""); n != 2 {
		t.Errorf("%d kazoo_limits, want the two accounts that set some:\n%s", n, limits)
	}
	if !strings.Contains(limits, `id = "`+sub+`"`) || !regexp.MustCompile(`twoway_trunks\s+= 5`).MatchString(limits) ||
		!regexp.MustCompile(`account_id\s+= kazoo_account\.`).MatchString(limits) {
		t.Errorf("limits.tf:\n%s", limits)
	}
	numbers := string(out.Files["phone_number.tf"])
	label := "phone_number_" + strings.TrimPrefix(number, "+")
	if !strings.Contains(numbers, `to = kazoo_phone_number.`+label) || !strings.Contains(numbers, `id = "`+sub+`/`+number+`"`) ||
		!regexp.MustCompile(`number\s+= "\`+number+`"`).MatchString(numbers) {
		t.Errorf("phone_number.tf:\n%s", numbers)
	}
}
