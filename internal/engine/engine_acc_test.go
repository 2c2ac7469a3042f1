package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// These tests drive the engine through the real Terraform CLI against an in-memory backend, to
// pin down behaviour no core resource exercises against the simulator: updates where KAZOO has
// no PATCH (GET, overlay, POST), and creates whose answer was lost.

const testAccount = "00000000000000000000000000000abc"

// memBackend is a Backend keeping documents in memory with KAZOO's write semantics: schema
// defaults applied, PATCH merged, POST replacing the public document.
type memBackend struct {
	mu       sync.Mutex
	schema   string
	docs     map[string]map[string]any
	requests map[string]int
	// loseNextPut stores the next PUT but answers as if the connection dropped.
	loseNextPut bool
	// down answers every request as if the server could not be reached, after storing a PUT.
	down bool
	// patch allows PATCH (merged like KAZOO); otherwise PATCH answers 405.
	patch bool
	// conflictOnce answers the next PATCH with 409 without applying it.
	conflictOnce bool
	// virtual answers a GET of a missing document with the schema defaults (KAZOO's limits).
	virtual bool
	// writes records the body and accept_charges option of every write.
	writes []write
}

type write struct {
	method        string
	body          map[string]any
	acceptCharges *bool
}

func (m *memBackend) record(method string, doc any, o engine.WriteOptions) {
	b, _ := json.Marshal(doc)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes = append(m.writes, write{method: method, body: body, acceptCharges: o.AcceptCharges})
}

func (m *memBackend) lastWrite() write {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.writes) == 0 {
		return write{}
	}
	return m.writes[len(m.writes)-1]
}

func newMemBackend(schema string) *memBackend {
	return &memBackend{schema: schema, docs: map[string]map[string]any{}, requests: map[string]int{}}
}

func (m *memBackend) AccountID() string { return testAccount }

func (m *memBackend) count(method string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[method]++
}

func (m *memBackend) counts() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for k, v := range m.requests {
		out[k] = v
	}
	m.requests = map[string]int{}
	return out
}

func idOf(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func (m *memBackend) answer(id string) (json.RawMessage, error) {
	d, ok := m.docs[id]
	if !ok {
		return nil, &engine.APIError{Status: 404, Message: "bad_identifier", Err: fmt.Errorf("404 bad identifier %s", id)}
	}
	out := map[string]any{"id": id}
	for k, v := range d {
		out[k] = v
	}
	return json.Marshal(out)
}

func (m *memBackend) store(id string, doc map[string]any) error {
	b, _ := json.Marshal(doc)
	var clean map[string]any
	_ = json.Unmarshal(b, &clean)
	delete(clean, "id")
	if err := kazooschema.ApplyDefaults(m.schema, clean); err != nil {
		return err
	}
	m.docs[id] = clean
	return nil
}

var errUnreachable = &engine.APIError{Status: 0, Err: fmt.Errorf("connection refused")}

func (m *memBackend) Get(_ context.Context, path string) (json.RawMessage, error) {
	m.count("GET")
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return nil, errUnreachable
	}
	if _, ok := m.docs[idOf(path)]; !ok && m.virtual {
		d := map[string]any{}
		_ = kazooschema.ApplyDefaults(m.schema, d)
		return json.Marshal(d)
	}
	return m.answer(idOf(path))
}

func (m *memBackend) Put(_ context.Context, path string, doc any, o engine.WriteOptions) (json.RawMessage, error) {
	m.count("PUT")
	m.record("PUT", doc, o)
	m.mu.Lock()
	defer m.mu.Unlock()
	d := doc.(map[string]any)
	id, _ := d["id"].(string)
	if id == "" {
		id = idOf(path) // a keyed document is PUT to its own path
	}
	if _, exists := m.docs[id]; exists {
		return nil, &engine.APIError{Status: 409, Message: "datastore_conflict", Err: fmt.Errorf("409 conflict")}
	}
	if err := m.store(id, d); err != nil {
		return nil, err
	}
	if m.loseNextPut {
		m.loseNextPut = false
		return nil, &engine.APIError{Status: 0, Err: fmt.Errorf("connection reset by peer")}
	}
	if m.down {
		return nil, errUnreachable
	}
	return m.answer(id)
}

func (m *memBackend) Post(_ context.Context, path string, doc any, o engine.WriteOptions) (json.RawMessage, error) {
	m.count("POST")
	m.record("POST", doc, o)
	m.mu.Lock()
	defer m.mu.Unlock()
	id := idOf(path)
	if _, ok := m.docs[id]; !ok && !m.virtual {
		return m.answer(id)
	}
	if err := m.store(id, doc.(map[string]any)); err != nil {
		return nil, err
	}
	return m.answer(id)
}

func (m *memBackend) Patch(_ context.Context, path string, doc any, o engine.WriteOptions) (json.RawMessage, error) {
	m.count("PATCH")
	if !m.patch {
		return nil, &engine.APIError{Status: 405, Message: "invalid_method", Err: fmt.Errorf("405 method not allowed")}
	}
	m.record("PATCH", doc, o)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.conflictOnce {
		m.conflictOnce = false
		return nil, &engine.APIError{Status: 409, Message: "datastore_conflict", Err: fmt.Errorf("409 conflicting documents")}
	}
	id := idOf(path)
	cur, ok := m.docs[id]
	if !ok {
		return m.answer(id)
	}
	b, _ := json.Marshal(doc)
	var p map[string]any
	_ = json.Unmarshal(b, &p)
	if err := m.store(id, mergeLeft(cur, p)); err != nil {
		return nil, err
	}
	return m.answer(id)
}

// mergeLeft is KAZOO's PATCH merge: objects recursively, null deletes.
func mergeLeft(doc, patch map[string]any) map[string]any {
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(doc, k)
		case map[string]any:
			dm, _ := doc[k].(map[string]any)
			if dm == nil {
				dm = map[string]any{}
			}
			doc[k] = mergeLeft(dm, pv)
		default:
			doc[k] = v
		}
	}
	return doc
}

func (m *memBackend) Delete(_ context.Context, path string) error {
	m.count("DELETE")
	m.mu.Lock()
	defer m.mu.Unlock()
	id := idOf(path)
	if _, ok := m.docs[id]; !ok {
		return &engine.APIError{Status: 404, Message: "bad_identifier", Err: fmt.Errorf("404")}
	}
	delete(m.docs, id)
	return nil
}

func (m *memBackend) List(context.Context, string, url.Values) ([]json.RawMessage, error) {
	m.count("LIST")
	return nil, nil
}

func (m *memBackend) setKey(id, key string, v any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[id][key] = v
}

func (m *memBackend) doc(id string) map[string]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.docs[id]
}

// testProvider serves engines with a memBackend as ProviderData.
type testProvider struct {
	backend engine.Backend
	engines []*engine.Engine
}

func (p *testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kazoo"
}

func (p *testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *testProvider) Configure(_ context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.ResourceData = engine.ResourceData{Backend: p.backend, TerraformVersion: req.TerraformVersion}
	resp.DataSourceData = p.backend
}

func (p *testProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, e := range p.engines {
		out = append(out, e.Resource())
	}
	return out
}

func (p *testProvider) DataSources(context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, e := range p.engines {
		out = append(out, e.DataSource())
	}
	return out
}

func factories(b engine.Backend, specs ...engine.Spec) map[string]func() (tfprotov6.ProviderServer, error) {
	p := &testProvider{backend: b}
	for _, s := range specs {
		p.engines = append(p.engines, engine.MustNew(s, engine.Options{}))
	}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"kazoo": providerserver.NewProtocol6WithError(p),
	}
}

func TestMain(m *testing.M) {
	// The journal of pending creates lives in the user's cache directory: the tests get their own.
	if dir, err := os.MkdirTemp("", "engine-cache-"); err == nil {
		_ = os.Setenv("XDG_CACHE_HOME", dir)
		defer os.RemoveAll(dir)
	}
	// An empty CLI configuration keeps a developer's own overrides out, and OpenTofu quiet.
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p == "" || !fileExists(p) {
		dir, err := os.MkdirTemp("", "engine-acc-")
		if err == nil {
			f := filepath.Join(dir, "terraform.rc")
			if os.WriteFile(f, nil, 0o600) == nil {
				_ = os.Setenv("TF_CLI_CONFIG_FILE", f)
			}
			defer os.RemoveAll(dir)
		}
	}
	os.Exit(m.Run())
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// menus have no PATCH in this test: updates must GET, overlay and POST, keeping keys Terraform
// does not manage, in two requests.
var menuSpec = engine.Spec{TypeName: "menu", Description: "test", Collection: "menus", Schema: "menus", Patch: false}

func TestAccPostOnlyUpdate(t *testing.T) {
	b := newMemBackend("menus")
	var id string
	capture := tfresource.TestCheckResourceAttrWith("kazoo_menu.m", "id", func(v string) error { id = v; return nil })
	expect := func(want map[string]int) tfresource.TestCheckFunc {
		return func(*terraform.State) error {
			got := b.counts()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("requests %v, want %v", got, want)
			}
			return nil
		}
	}
	empty := tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, menuSpec),
		Steps: []tfresource.TestStep{
			{
				Config:           "resource \"kazoo_menu\" \"m\" {\n  name    = \"Main menu\"\n  retries = 5\n}",
				Check:            tfresource.ComposeTestCheckFunc(capture, expect(map[string]int{"PUT": 1})),
				ConfigPlanChecks: empty,
				ConfigStateChecks: []statecheck.StateCheck{
					// KAZOO's defaults are mirrored.
					statecheck.ExpectKnownValue("kazoo_menu.m", tfjsonpath.New("max_extension_length"), knownvalue.Int64Exact(4)),
				},
			},
			{
				PreConfig:        func() { b.counts(); b.setKey(id, "ui_metadata", map[string]any{"origin": "ui"}) },
				Config:           `resource "kazoo_menu" "m" { name = "Main menu 2" }`,
				Check:            expect(map[string]int{"GET": 2, "POST": 1}), // refresh, then GET + POST
				ConfigPlanChecks: empty,
				ConfigStateChecks: []statecheck.StateCheck{
					// retries was managed and removed: back to KAZOO's default.
					statecheck.ExpectKnownValue("kazoo_menu.m", tfjsonpath.New("retries"), knownvalue.Int64Exact(3)),
				},
			},
			{
				PreConfig: func() { b.counts() },
				Config:    `resource "kazoo_menu" "m" { name = "Main menu 2" }`,
				Check: func(*terraform.State) error {
					if b.doc(id)["ui_metadata"] == nil {
						return fmt.Errorf("ui_metadata did not survive the POST: %v", b.doc(id))
					}
					return nil
				},
			},
		},
	})
}

// A create whose answer is lost after KAZOO stored the document adopts it: no duplicate, no
// error.
func TestAccCreateAdoptsLostAnswer(t *testing.T) {
	b := newMemBackend("menus")
	b.loseNextPut = true
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, menuSpec),
		Steps: []tfresource.TestStep{{
			Config: `resource "kazoo_menu" "m" { name = "Adopted" }`,
			Check: func(*terraform.State) error {
				got := b.counts()
				if got["PUT"] != 1 || got["GET"] != 1 {
					return fmt.Errorf("requests %v, want one PUT and the GET that finds the document", got)
				}
				if n := len(b.docs); n != 1 {
					return fmt.Errorf("%d documents, want 1", n)
				}
				return nil
			},
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// A create whose outcome stays unknown (KAZOO stored the document, then could not be reached
// to confirm it) fails, and the next apply leaves exactly one document. Before Terraform 1.16
// the failed create keeps the document's id in the state, tainted: the next apply deletes what
// the first one may have made and creates it again. Terraform 1.16 cannot keep that state, so the
// id goes to the journal of pending creates instead: the next apply creates the document with
// the same id and adopts the copy KAZOO holds (a PUT answered 409, then a GET).
func TestAccCreateWithUnknownOutcomeLeavesNoDuplicate(t *testing.T) {
	b := newMemBackend("menus")
	b.down = true
	config := `resource "kazoo_menu" "m" { name = "Maybe stored" }`
	var firstID string
	keepsState, err := acctest.CLIBelow(1, 16)()
	if err != nil {
		t.Fatal(err)
	}
	second := []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_menu.m", plancheck.ResourceActionDestroyBeforeCreate)}
	if !keepsState {
		second = []plancheck.PlanCheck{plancheck.ExpectResourceAction("kazoo_menu.m", plancheck.ResourceActionCreate)}
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, menuSpec),
		Steps: []tfresource.TestStep{
			{Config: config, ExpectError: regexp.MustCompile(`(?s)Error creating kazoo_menu.*connection refused`)},
			{
				PreConfig: func() {
					b.mu.Lock()
					defer b.mu.Unlock()
					b.down = false
					for id := range b.docs {
						firstID = id
					}
					b.requests = map[string]int{}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply:             second,
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					b.mu.Lock()
					defer b.mu.Unlock()
					if n := len(b.docs); n != 1 {
						return fmt.Errorf("%d documents in KAZOO for one resource", n)
					}
					if _, ok := b.docs[firstID]; !keepsState && !ok {
						return fmt.Errorf("the document %s the failed create stored was not adopted: %v", firstID, b.docs)
					}
					return nil
				},
				ConfigStateChecks: func() []statecheck.StateCheck {
					if keepsState {
						return nil
					}
					return []statecheck.StateCheck{statecheck.ExpectKnownValue("kazoo_menu.m", tfjsonpath.New("id"),
						knownvalue.StringFunc(func(v string) error {
							if v != firstID {
								return fmt.Errorf("id %s, want the journalled %s", v, firstID)
							}
							return nil
						}))}
				}(),
			},
		},
	})
}

// Device updates always carry device_type (KAZOO refuses a device update without it), and
// accept_charges reaches the request.
func TestAccAlwaysSendAndAcceptCharges(t *testing.T) {
	b := newMemBackend("devices")
	b.patch = true
	spec := engine.Spec{TypeName: "device", Description: "test", Collection: "devices", Schema: "devices", Patch: true,
		AlwaysSend: []string{"device_type"},
		// A hook sees every write: here it marks creates and updates.
		Hooks: engine.Hooks{BeforeWrite: func(_ context.Context, doc map[string]any, patch bool) error {
			doc["written_by"] = map[bool]string{false: "create", true: "update"}[patch]
			return nil
		}}}
	cfg := func(name string) string {
		return fmt.Sprintf(`resource "kazoo_device" "d" {
  name           = %q
  device_type    = "softphone"
  accept_charges = true
}`, name)
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, spec),
		Steps: []tfresource.TestStep{
			{
				Config: cfg("one"),
				Check: func(*terraform.State) error {
					w := b.lastWrite()
					if w.method != "PUT" || w.acceptCharges == nil || !*w.acceptCharges {
						return fmt.Errorf("create %s with accept_charges %v, want PUT with true", w.method, w.acceptCharges)
					}
					if w.body["written_by"] != "create" {
						return fmt.Errorf("the create hook did not run: %v", w.body)
					}
					return nil
				},
			},
			{
				// A conflicting concurrent write (409) is resolved by sending the patch again.
				PreConfig: func() { b.counts(); b.conflictOnce = true },
				Config:    cfg("two"),
				Check: func(*terraform.State) error {
					if got := b.counts(); got["PATCH"] != 2 {
						return fmt.Errorf("requests %v, want the PATCH sent twice", got)
					}
					w := b.lastWrite()
					want := map[string]any{"name": "two", "device_type": "softphone", "written_by": "update"}
					if w.method != "PATCH" || fmt.Sprint(w.body) != fmt.Sprint(want) {
						return fmt.Errorf("update sent %s %v, want PATCH %v", w.method, w.body, want)
					}
					if w.acceptCharges == nil || !*w.acceptCharges {
						return fmt.Errorf("update without accept_charges")
					}
					return nil
				},
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A singleton (one document per account, such as limits) is created by GET + overlay + POST,
// read and updated at the account's path, imported by account id, and only forgotten on
// destroy when KAZOO cannot delete it.
func TestAccSingleton(t *testing.T) {
	b := newMemBackend("limits")
	b.virtual = true
	spec := engine.Spec{TypeName: "limits", Description: "test", Collection: "limits", Schema: "limits",
		Scope: engine.ScopeSingleton, CreateWithPost: true, NoDelete: true}
	addr := "kazoo_limits.l"
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, spec),
		Steps: []tfresource.TestStep{
			{
				Config: `resource "kazoo_limits" "l" { twoway_trunks = 5 }
data "kazoo_limits" "l" { depends_on = [kazoo_limits.l] }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(testAccount)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("twoway_trunks"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue("data.kazoo_limits.l", tfjsonpath.New("twoway_trunks"), knownvalue.Int64Exact(5)),
				},
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: testAccount,
				ImportStateVerifyIgnore: []string{"accept_charges", "extra_json"}},
			{
				PreConfig: func() { b.counts() },
				Config:    `resource "kazoo_limits" "l" { twoway_trunks = 7 }`,
				Check: func(*terraform.State) error {
					if got := b.counts(); got["POST"] != 1 {
						return fmt.Errorf("requests %v, want one POST", got)
					}
					return nil
				},
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: `# nothing`,
				Check: func(*terraform.State) error {
					if got := b.counts(); got["DELETE"] != 0 {
						return fmt.Errorf("a document KAZOO cannot delete got %d DELETEs", got["DELETE"])
					}
					return nil
				},
			},
		},
	})
}

// A keyed document (such as a phone number) is named by the user's value: PUT to its own path,
// the key forces a new document when it changes, and import takes the key.
func TestAccKeyed(t *testing.T) {
	b := newMemBackend("phone_numbers")
	b.patch = true
	spec := engine.Spec{TypeName: "phone_number", Description: "test", Collection: "phone_numbers", Schema: "phone_numbers",
		Patch: true, Scope: engine.ScopeKeyed, KeyAttr: "number", KeyDescription: "The number, in E.164."}
	addr := "kazoo_phone_number.n"
	cfg := func(number, carrier string) string {
		return fmt.Sprintf(`resource "kazoo_phone_number" "n" {
  number       = %q
  carrier_name = %q
}`, number, carrier)
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(b, spec),
		Steps: []tfresource.TestStep{
			{
				Config: cfg("+12025550111", "local"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("+12025550111")),
				},
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: testAccount + "/+12025550111",
				ImportStateVerifyIgnore: []string{"accept_charges", "extra_json"}},
			{
				Config:           cfg("+12025550111", "other"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
			},
			{
				Config:           cfg("+12025550112", "other"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: func(*terraform.State) error {
					// The engine escapes "+" in paths (%2B), as KAZOO needs.
					if _, ok := b.docs["%2B12025550112"]; !ok || len(b.docs) != 1 {
						return fmt.Errorf("documents after replacing the number: %v", b.docs)
					}
					return nil
				},
			},
		},
	})
}
