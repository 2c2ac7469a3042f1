package export_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
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

// The account the credentials log into is the provider's context, not a resource: exporting
// it would let a destroy remove it.
func TestReadSkipsTheCredentialsAccount(t *testing.T) {
	ctx := context.Background()
	c := testClient(t)
	tr := buildMonsterTree(t, c, 1)
	env, err := c.Get(ctx, client.AccountPath(tr.Reseller, "api_key"), nil)
	if err != nil {
		// Against a real KAZOO the test credentials may not be allowed to read a
		// sub-account's key (4.3 gives it to account admins only): that is a precondition.
		// The simulator always allows it, so there the error is a failure.
		if acctest.Simulator() != nil {
			t.Fatalf("reading the reseller's API key: %v", err)
		}
		t.Skipf("the reseller's API key cannot be read with these credentials: %v", err)
	}
	var key struct {
		APIKey string `json:"api_key"`
	}
	if err := json.Unmarshal(env.Data, &key); err != nil || key.APIKey == "" {
		t.Fatalf("api_key answer %s: %v", env.Data, err)
	}
	cfg := acctest.ConfigFromEnv()
	cfg.AccountID, cfg.APIKey, cfg.RequestsPerSecond = "", key.APIKey, -1
	reseller, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for who, c := range map[string]*client.Client{"the parent's credentials": c, "the reseller's own": reseller} {
		tree, err := export.Read(ctx, engine.ClientBackend(c), provider.Engines(),
			export.Options{AccountID: tr.Reseller, Types: []string{"account"}, Recursive: true})
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		want := len(tr.Accounts)
		if c == reseller {
			want--
		}
		if len(tree.Objects) != want {
			t.Errorf("with %s: %d accounts exported, want %d", who, len(tree.Objects), want)
		}
		for _, o := range tree.Objects {
			if o.ID == c.AccountID() {
				t.Errorf("with %s: the credentials' account is exported", who)
			}
		}
	}
}

// A user listed in a directory through the callflow that rings the user: the callflow refers
// to the user and the user's directories to the callflow. Terraform refuses such a cycle, so
// the user's reference is the one that stays a literal id; the callflow keeps its reference.
func TestGenerateBreaksReferenceCycles(t *testing.T) {
	const (
		dirID  = "33333333333333333333333333333333"
		flowID = "44444444444444444444444444444444"
	)
	acct := &export.Account{ID: acctID, Name: "Wonderland"}
	mk := func(typ, id string, doc map[string]any) *export.Object {
		e := engineFor(t, typ)
		raw, _ := json.Marshal(doc)
		return &export.Object{Engine: e, Spec: e.Spec(), ID: id, Owner: acctID, Account: acct, Doc: raw}
	}
	tree := &export.Tree{Accounts: []*export.Account{acct}, Objects: []*export.Object{
		mk("callflow", flowID, map[string]any{"name": "Alice", "numbers": []string{"101"},
			"flow": map[string]any{"module": "user", "data": map[string]any{"id": userID}, "children": map[string]any{}}}),
		mk("user", userID, map[string]any{"first_name": "Alice", "directories": map[string]any{dirID: flowID}}),
		mk("directory", dirID, map[string]any{"name": "Company"}),
	}}
	for i := 0; i < 2; i++ { // the order objects arrive in does not matter
		out, err := export.Generate(context.Background(), tree, export.SplitType)
		if err != nil {
			t.Fatal(err)
		}
		user, flow := string(out.Files["user.tf"]), string(out.Files["callflow.tf"])
		if !strings.Contains(user, `(kazoo_directory.company.id) = "`+flowID+`"`) ||
			!strings.Contains(user, "a reference to kazoo_callflow.alice would make a cycle") {
			t.Errorf("user.tf:\n%s", user)
		}
		if !strings.Contains(flow, "id = kazoo_user.alice.id") {
			t.Errorf("callflow.tf:\n%s", flow)
		}
		if out.Stats.Cycles != 1 {
			t.Errorf("%d cycles broken, want 1", out.Stats.Cycles)
		}
		objs := tree.Objects
		objs[0], objs[1] = objs[1], objs[0]
	}
}
