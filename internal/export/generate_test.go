package export_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/export"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

func engineFor(t *testing.T, typ string) *engine.Engine {
	t.Helper()
	for _, e := range provider.Engines() {
		if e.Spec().TypeName == typ {
			return e
		}
	}
	t.Fatalf("no engine %q", typ)
	return nil
}

const (
	acctID   = "0123456789abcdef0123456789abcdef"
	userID   = "11111111111111111111111111111111"
	deviceID = "22222222222222222222222222222222"
)

// A document the engine cannot read is left out and said so; what referred to it keeps the
// literal id, with a comment.
func TestGenerateLeavesOutUnreadableDocuments(t *testing.T) {
	acct := &export.Account{ID: acctID, Name: "Wonderland"}
	user, device := engineFor(t, "user"), engineFor(t, "device")
	doc, _ := json.Marshal(map[string]any{"name": "Desk", "owner_id": userID, "device_type": "sip_device"})
	tree := &export.Tree{Accounts: []*export.Account{acct}, Objects: []*export.Object{
		{Engine: user, Spec: user.Spec(), ID: userID, Owner: acctID, Account: acct, Doc: json.RawMessage(`["not", "an", "object"]`)},
		{Engine: device, Spec: device.Spec(), ID: deviceID, Owner: acctID, Account: acct, Doc: doc},
	}}
	out, err := export.Generate(context.Background(), tree, export.SplitType)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Problems) != 1 || !strings.Contains(out.Problems[0], userID) {
		t.Errorf("problems %q, want the user", out.Problems)
	}
	if _, ok := out.Files["user.tf"]; ok {
		t.Error("user.tf written for a user left out")
	}
	dev := string(out.Files["device.tf"])
	if !strings.Contains(dev, `owner_id: `+userID+` is a user outside this export`) || !strings.Contains(dev, `owner_id = "`+userID+`"`) {
		t.Errorf("device.tf:\n%s", dev)
	}
	if out.Stats.Objects != 1 || out.Stats.Literal != 2 { // owner_id, and account_id (the account is not exported)
		t.Errorf("stats %+v", out.Stats)
	}
}
