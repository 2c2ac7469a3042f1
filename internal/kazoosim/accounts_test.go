package kazoosim

import (
	"strings"
	"testing"
)

func TestAccountCreateWithClientID(t *testing.T) {
	st := newSim(t, Options{})
	id := strings.Repeat("c", 32)
	r := st.as("PUT", st.acct(""), obj{"id": id, "name": "Child Co", "realm": "child co.example.com", "superduper_admin": true}).want(201)
	d := r.data()
	if d["id"] != id || d["realm"] != "childco.example.com" {
		t.Fatalf("create: %v", d)
	}
	// Leaked computed fields, defaults, and no privilege escalation through echoed fields.
	if d["superduper_admin"] != false || d["billing_mode"] != "manual" || d["timezone"] != defaultTimezone ||
		d["enabled"] != true || d["reseller_id"] != st.master() {
		t.Fatalf("computed fields: %v", d)
	}
	// cb_accounts:create_account_definition/1 answers through handle_json_success/3 on a
	// PUT, so there is a Location header (FACTS.md says otherwise).
	if r.header.Get("Location") != st.acct("/"+id) {
		t.Fatalf("Location %q", r.header.Get("Location"))
	}
	raw, _, _ := st.srv.st.get(accountsDB, id)
	if tree := strSlice(raw["pvt_tree"]); len(tree) != 1 || tree[0] != st.master() {
		t.Fatalf("pvt_tree: %v", raw["pvt_tree"])
	}
	// PUT /v2/accounts creates under the caller's account.
	r = st.do("PUT", "/v2/accounts", st.token, obj{"data": obj{"name": "Other"}}).want(201)
	if r.data()["reseller_id"] != st.master() {
		t.Fatalf("PUT /v2/accounts: %s", r.raw)
	}
	st.as("PUT", st.acct(""), obj{"id": id, "name": "again"}).want(409)
	st.as("PUT", st.acct(""), obj{"id": "not-hex", "name": "bad id"}).hasError("id", "pattern")
	st.as("PUT", st.acct(""), obj{}).hasError("name", "required")
}

func TestAccountUniqueNameAndRealm(t *testing.T) {
	st := newSim(t, Options{})
	st.as("PUT", st.acct(""), obj{"name": "Acme Inc", "realm": "acme.example.com"}).want(201)
	st.as("PUT", st.acct(""), obj{"name": "acme-inc"}).hasError("name", "unique")
	st.as("PUT", st.acct(""), obj{"name": "Other", "realm": "ACME.example.com"}).hasError("realm", "unique")
	id := st.as("PUT", st.acct(""), obj{"name": "Second"}).want(201).data()["id"].(string)
	st.as("PATCH", "/v2/accounts/"+id, obj{"name": "Acme Inc"}).hasError("name", "unique")
	// Saving an account under its own name is fine.
	st.as("PATCH", "/v2/accounts/"+id, obj{"name": "Second", "timezone": "Europe/Paris"}).want(200)
}

func TestAccountUpdateSemantics(t *testing.T) {
	st := newSim(t, Options{})
	id, key := st.child(st.master(), "Semantics")
	st.as("PATCH", "/v2/accounts/"+id, obj{"ui_metadata": obj{"x": 1}, "language": "fr-fr"}).want(200)
	r := st.as("GET", "/v2/accounts/"+id, nil).want(200)
	if r.data()["language"] != "fr-fr" || r.data()["ui_metadata"] == nil {
		t.Fatalf("PATCH: %s", r.raw)
	}
	realm := r.data()["realm"]
	// POST replaces the public fields.
	r = st.as("POST", "/v2/accounts/"+id, obj{"name": "Semantics", "realm": realm}).want(200)
	if _, ok := r.data()["ui_metadata"]; ok {
		t.Fatalf("POST kept ui_metadata: %s", r.raw)
	}
	// An account cannot disable itself; an ancestor can.
	tok := st.login(key)
	r = st.do("PATCH", "/v2/accounts/"+id, tok, obj{"data": obj{"enabled": false}}).want(200)
	if r.data()["enabled"] != true {
		t.Fatalf("account disabled itself: %s", r.raw)
	}
	st.as("PATCH", "/v2/accounts/"+id, obj{"enabled": false}).want(200)
	if r := st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}); r.status != 423 {
		t.Fatalf("disabled account logged in: %s", r.raw)
	}
}

func TestAccountDeleteRules(t *testing.T) {
	st := newSim(t, Options{})
	parent, _ := st.child(st.master(), "Parent")
	kid, _ := st.child(parent, "Kid")
	r := st.as("DELETE", "/v2/accounts/"+parent, nil).want(500)
	if r.env.Message != "account_has_descendants" {
		t.Fatalf("delete with children: %s", r.raw)
	}
	r = st.as("DELETE", "/v2/accounts/"+kid, nil).want(200)
	if r.data()["_read_only"].(map[string]any)["deleted"] != true {
		t.Fatalf("delete body: %s", r.raw)
	}
	st.as("GET", "/v2/accounts/"+kid, nil).want(404)
	st.as("GET", "/v2/accounts/"+kid+"/devices", nil).want(404)
	st.as("DELETE", "/v2/accounts/"+parent, nil).want(200)
	st.as("DELETE", st.acct(""), nil).want(405)
	// Names of deleted accounts are free again.
	st.as("PUT", st.acct(""), obj{"name": "Kid"}).want(201)
}

func TestChildrenAndDescendants(t *testing.T) {
	st := newSim(t, Options{})
	a, _ := st.child(st.master(), "A")
	a1, _ := st.child(a, "A1")
	st.child(a1, "A1x")
	st.child(st.master(), "B")
	rows := st.as("GET", st.acct("/children"), nil).want(200).list()
	if len(rows) != 2 {
		t.Fatalf("children of master: %v", rows)
	}
	// Descending by name: B before A.
	first := rows[0].(map[string]any)
	if first["name"] != "B" || rows[1].(map[string]any)["descendants_count"] != 2.0 {
		t.Fatalf("children rows: %v", rows)
	}
	for _, k := range []string{"id", "name", "realm", "descendants_count", "flags"} {
		if _, ok := first[k]; !ok {
			t.Fatalf("children row lacks %s: %v", k, first)
		}
	}
	rows = st.as("GET", "/v2/accounts/"+a+"/descendants", nil).want(200).list()
	if len(rows) != 2 {
		t.Fatalf("descendants of A: %v", rows)
	}
	if _, ok := rows[0].(map[string]any)["tree"]; !ok {
		t.Fatalf("descendants row lacks tree: %v", rows[0])
	}
	if n := len(st.as("GET", st.acct("/descendants"), nil).list()); n != 4 {
		t.Fatalf("descendants of master: %d", n)
	}
	// Ancestors, most distant first; siblings share the parent (the account included).
	for _, which := range []string{"parents", "tree"} {
		rows = st.as("GET", "/v2/accounts/"+a1+"/"+which, nil).want(200).list()
		if len(rows) != 2 || rows[0].(map[string]any)["id"] != st.master() || rows[1].(map[string]any)["name"] != "A" {
			t.Fatalf("%s of A1: %v", which, rows)
		}
	}
	if rows = st.as("GET", "/v2/accounts/"+a+"/siblings", nil).want(200).list(); len(rows) != 2 {
		t.Fatalf("siblings of A: %v", rows)
	}
}

func TestMalformedAccountID(t *testing.T) {
	st := newSim(t, Options{})
	// Checked before credentials (api_resource:malformed_request/2).
	r := st.do("GET", "/v2/accounts/nothex/devices", "", nil).want(404)
	if r.env.Message != "bad identifier" || string(r.env.Data) != `{"message":"invalid account_id 'nothex'"}` {
		t.Fatalf("malformed id: %s", r.raw)
	}
	st.do("GET", "/v2/accounts/"+strings.Repeat("9", 32)+"/users", "", nil).want(404)
	st.as("GET", "/v2/accounts/"+strings.Repeat("9", 32), nil).want(404)
}
