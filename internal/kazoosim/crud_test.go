package kazoosim

import (
	"encoding/json"
	"fmt"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoonorm"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestDocumentLifecycle(t *testing.T) {
	st := newSim(t, Options{})
	id := strings.Repeat("a1", 16)
	r := st.as("PUT", st.acct("/devices"), obj{"id": id, "name": "desk", "sip": obj{"username": "desk1", "password": "pw123456"},
		"ui_metadata": obj{"origin": "tests"}, "pvt_secret": "x", "_rev": "9-bogus"}).want(201)
	d := r.data()
	if d["id"] != id {
		t.Fatalf("client id not honoured: %v", d["id"])
	}
	if r.header.Get("Location") != "/v2/accounts/"+st.master()+"/devices/"+id {
		t.Fatalf("Location: %q", r.header.Get("Location"))
	}
	if r.env.Revision == "" || !strings.HasPrefix(r.env.Revision, "1-") || r.header.Get("ETag") != `"`+r.env.Revision+`"` {
		t.Fatalf("revision %q etag %q", r.env.Revision, r.header.Get("ETag"))
	}
	for k := range d {
		if strings.HasPrefix(k, "pvt_") || (strings.HasPrefix(k, "_") && k != "_read_only") {
			t.Fatalf("private key %s returned", k)
		}
	}
	// Schema defaults are filled in.
	sip := d["sip"].(map[string]any)
	if d["enabled"] != true || sip["invite_format"] != "contact" || sip["method"] != "password" || sip["expire_seconds"] != 300.0 {
		t.Fatalf("defaults: %v", d)
	}
	// Unknown keys survive.
	if !reflect.DeepEqual(d["ui_metadata"], map[string]any{"origin": "tests"}) {
		t.Fatalf("extra key lost: %v", d)
	}
	// A second PUT with the same id conflicts.
	c := st.as("PUT", st.acct("/devices"), obj{"id": id, "name": "again"}).want(409)
	if c.env.Message != "datastore_conflict" || string(c.env.Data) != `{"message":"conflicting documents"}` || c.env.Error != "409" {
		t.Fatalf("409 envelope: %s", c.raw)
	}

	// PATCH merges, null deletes, arrays replace; the revision moves.
	r = st.as("PATCH", st.acct("/devices/"+id), obj{"sip": obj{"password": nil}, "ui_metadata": nil, "flags": []any{"a"}}).want(200)
	d = r.data()
	if _, ok := d["sip"].(map[string]any)["password"]; ok {
		t.Fatal("null did not delete sip.password")
	}
	if d["sip"].(map[string]any)["username"] != "desk1" || d["name"] != "desk" {
		t.Fatalf("PATCH lost fields: %v", d)
	}
	if _, ok := d["ui_metadata"]; ok {
		t.Fatal("null did not delete ui_metadata")
	}
	if !strings.HasPrefix(r.env.Revision, "2-") {
		t.Fatalf("revision after PATCH: %s", r.env.Revision)
	}
	// POST replaces public fields; private ones are kept.
	r = st.as("POST", st.acct("/devices/"+id), obj{"name": "desk2"}).want(200)
	d = r.data()
	if _, ok := d["flags"]; ok {
		t.Fatalf("POST kept a public field it did not send: %v", d)
	}
	if d["name"] != "desk2" || d["enabled"] != true {
		t.Fatalf("POST result: %v", d)
	}
	raw, _, _ := st.srv.st.get(st.master(), id)
	if raw["pvt_created"] == nil || raw["pvt_type"] != "device" {
		t.Fatalf("private fields lost: %v", raw)
	}
	// GET returns the same document.
	g := st.as("GET", st.acct("/devices/"+id), nil).want(200)
	if !reflect.DeepEqual(g.data(), d) || g.env.Revision != r.env.Revision {
		t.Fatalf("GET differs from POST result:\n%v\n%v", g.data(), d)
	}
	// DELETE is soft: the answer carries the document, later reads are 404.
	r = st.as("DELETE", st.acct("/devices/"+id), nil).want(200)
	if r.data()["_read_only"].(map[string]any)["deleted"] != true {
		t.Fatalf("delete body: %s", r.raw)
	}
	r = st.as("GET", st.acct("/devices/"+id), nil).want(404)
	if r.env.Message != "bad_identifier" || string(r.env.Data) != `{"cause":"`+id+`","message":"bad identifier"}` {
		t.Fatalf("404: %s", r.raw)
	}
	st.as("PATCH", st.acct("/devices/"+id), obj{"name": "x"}).want(404)
	st.as("DELETE", st.acct("/devices/"+id), nil).want(404)
	// The type must match the endpoint.
	u := st.as("PUT", st.acct("/users"), obj{"first_name": "A", "last_name": "B"}).want(201).data()["id"].(string)
	st.as("GET", st.acct("/devices/"+u), nil).want(404)
}

func TestValidationErrors(t *testing.T) {
	st := newSim(t, Options{})
	cases := []struct {
		coll       string
		data       obj
		path, rule string
	}{
		{"devices", obj{}, "name", "required"},
		{"devices", obj{"name": "d", "sip": obj{"username": "a"}}, "sip.username", "minLength"},
		{"devices", obj{"name": strings.Repeat("n", 129)}, "name", "maxLength"},
		{"devices", obj{"name": "d", "enabled": "perhaps"}, "enabled", "type"},
		{"users", obj{"first_name": "a"}, "last_name", "required"},
		{"users", obj{"first_name": "a", "last_name": "b", "priv_level": "god"}, "priv_level", "enum"},
		{"vmboxes", obj{"name": "v"}, "mailbox", "required"},
		{"groups", obj{"name": "g"}, "endpoints", "required"},
		{"callflows", obj{"name": "c"}, "numbers", "required"},
		{"callflows", obj{"numbers": []any{"1"}, "flow": obj{"data": obj{}}}, "flow.module", "required"},
		{"menus", obj{"name": "m", "retries": 0}, "retries", "minimum"},
		{"users", obj{"first_name": "a", "last_name": "b", "username": "has space"}, "username", "pattern"},
		{"conferences", obj{"name": "c", "conference_numbers": []any{"12a"}}, "conference_numbers.0", "pattern"},
		{"callflows", obj{"numbers": []any{"4155550100", "+14155550100"}}, "numbers", "uniqueItems"},
		{"devices", obj{"name": "d", "sip": obj{"realm": "bad realm"}}, "sip.realm", "pattern"},
		{"temporal_rules", obj{"name": "t", "cycle": "hourly"}, "cycle", "enum"},
	}
	for _, tc := range cases {
		t.Run(tc.coll+" "+tc.path+" "+tc.rule, func(t *testing.T) {
			r := st.as("PUT", st.acct("/"+tc.coll), tc.data)
			r.hasError(tc.path, tc.rule)
			if r.env.Error != "400" || r.env.Status != "error" {
				t.Fatalf("envelope: %s", r.raw)
			}
		})
	}
	// Coercion: "5" is accepted where an integer is expected.
	r := st.as("PUT", st.acct("/menus"), obj{"name": "m", "retries": "5"}).want(201)
	if r.data()["retries"] != 5.0 {
		t.Fatalf("coerced retries: %v", r.data()["retries"])
	}
}

func TestUserRules(t *testing.T) {
	st := newSim(t, Options{})
	r := st.as("PUT", st.acct("/users"), obj{"first_name": "Jo", "last_name": "Doe", "username": "Jo@Example.COM", "password": "pw"}).want(201)
	d := r.data()
	if d["username"] != "jo@example.com" {
		t.Fatalf("username not lower-cased: %v", d["username"])
	}
	if _, ok := d["password"]; ok {
		t.Fatal("password returned")
	}
	if d["priv_level"] != "user" || d["vm_to_email_enabled"] != true {
		t.Fatalf("user defaults: %v", d)
	}
	// The password works for user_auth.
	st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex("jo@example.com:pw"), "account_name": "master"}}).want(201)
	// Unique username, case-insensitively.
	st.as("PUT", st.acct("/users"), obj{"first_name": "X", "last_name": "Y", "username": "JO@example.com"}).hasError("username", "unique")
	// A POST without password keeps the credentials.
	id := d["id"].(string)
	st.as("POST", st.acct("/users/"+id), obj{"first_name": "Jo", "last_name": "Doe", "username": "jo@example.com"}).want(200)
	st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex("jo@example.com:pw"), "account_name": "master"}}).want(201)
	raw, _, _ := st.srv.st.get(st.master(), id)
	if _, ok := raw["password"]; ok {
		t.Fatal("plaintext password stored")
	}
}

func TestDeviceRules(t *testing.T) {
	st := newSim(t, Options{AccountRealm: "master.example.com"})
	st.as("PUT", st.acct("/devices"), obj{"name": "a", "sip": obj{"username": "dup"}, "mac_address": "AA-BB-CC-00-11-22"}).want(201)
	st.as("PUT", st.acct("/devices"), obj{"name": "b", "sip": obj{"username": "dup"}}).hasError("sip.username", "unique")
	st.as("PUT", st.acct("/devices"), obj{"name": "c", "mac_address": "aa:bb:cc:00:11:22"}).hasError("mac_address", "unique")
	r := st.as("PUT", st.acct("/devices"), obj{"name": "d", "sip": obj{"username": "other", "realm": "master.example.com"}}).want(201)
	if _, ok := r.data()["sip"].(map[string]any)["realm"]; ok {
		t.Fatalf("sip.realm equal to the account realm kept: %s", r.raw)
	}
	r = st.as("PUT", st.acct("/devices"), obj{"name": "e", "sip": obj{"username": "third", "realm": "elsewhere.example.com"}}).want(201)
	if r.data()["sip"].(map[string]any)["realm"] != "elsewhere.example.com" {
		t.Fatalf("foreign sip.realm dropped: %s", r.raw)
	}
}

func TestCallflowRules(t *testing.T) {
	st := newSim(t, Options{})
	user := st.as("PUT", st.acct("/users"), obj{"first_name": "Ann", "last_name": "Lee"}).want(201).data()["id"].(string)
	rule := st.as("PUT", st.acct("/temporal_rules"), obj{"name": "Office hours", "cycle": "weekly", "wdays": []any{"monday"}}).want(201).data()["id"].(string)
	box := st.as("PUT", st.acct("/vmboxes"), obj{"name": "Main box", "mailbox": "3000"}).want(201).data()["id"].(string)
	r := st.as("PUT", st.acct("/callflows"), obj{"name": "main", "numbers": []any{"4155550100", "14155550101", "1000", "+442071234567"},
		"flow": obj{"module": "user", "data": obj{"id": user}, "children": obj{"_": obj{"module": "temporal_route", "data": obj{},
			"children": obj{rule: obj{"module": "voicemail", "data": obj{"id": box}}}}}}}).want(201)
	d := r.data()
	want := []any{"+14155550100", "+14155550101", "1000", "+442071234567"}
	for in, out := range map[string]string{"011442071234567": "+442071234567", "00442071234567": "+442071234567",
		"22071234567": "+22071234567", "11234567890": "11234567890", "*97": "*97", "2000": "2000"} {
		if got := kazoonorm.E164(in); got != out {
			t.Errorf("kazoonorm.E164(%q) = %q, want %q", in, got, out)
		}
	}
	if !reflect.DeepEqual(d["numbers"], want) {
		t.Fatalf("numbers %v, want %v", d["numbers"], want)
	}
	if !reflect.DeepEqual(d["patterns"], []any{}) {
		t.Fatalf("patterns default: %v", d["patterns"])
	}
	if _, ok := d["metadata"]; ok {
		t.Fatalf("a save answers without metadata: %v", d)
	}
	g := st.as("GET", st.acct("/callflows/"+d["id"].(string)), nil).want(200).data()
	meta, _ := g["metadata"].(map[string]any)
	if m, _ := meta[user].(map[string]any); m == nil || m["pvt_type"] != "user" || m["name"] != "Ann Lee" {
		t.Fatalf("metadata: %v", g["metadata"])
	}
	if m, _ := meta[rule].(map[string]any); m == nil || m["name"] != "Office hours" || m["pvt_type"] != "temporal_rule" {
		t.Fatalf("branch metadata: %v", g["metadata"])
	}
	if m, _ := meta[box].(map[string]any); m == nil || m["name"] != "Main box" || len(meta) != 3 {
		t.Fatalf("nested metadata: %v", g["metadata"])
	}
	r = st.as("PUT", st.acct("/callflows"), obj{"name": "dup", "numbers": []any{"4155550100"}})
	r.hasError("numbers", "unique")
	if u := r.data()["numbers"].(map[string]any)["unique"].(map[string]any); u["cause"] != "+14155550100" ||
		u["message"] != "+14155550100 exists in callflow "+d["id"].(string)+" (main)" {
		t.Fatalf("unique detail: %v", u)
	}
	// A number assigned to an account outside the callflow's tree is refused.
	other, _ := st.child(st.master(), "number owner")
	neighbour, _ := st.child(st.master(), "neighbour")
	st.as("PUT", "/v2/accounts/"+other+"/phone_numbers/%2B14155559999", obj{}).want(201)
	if r := st.as("PUT", "/v2/accounts/"+neighbour+"/callflows", obj{"numbers": []any{"4155559999"}}).want(403); !strings.Contains(string(r.raw), "unauthorized to use +14155559999") {
		t.Fatalf("ownership: %s", r.raw)
	}
	// The owner itself and its ancestors (resellers) may route it.
	st.as("PUT", "/v2/accounts/"+other+"/callflows", obj{"numbers": []any{"+14155559999"}}).want(201)
	st.as("PUT", st.acct("/callflows"), obj{"numbers": []any{"+14155559999"}}).want(201)
	st.as("PUT", st.acct("/callflows"), obj{"patterns": []any{"^\\+1(\\d{10})$"}}).want(201)
	st.as("PUT", st.acct("/callflows"), obj{"patterns": []any{"^\\+1(\\d{10})$"}}).hasError("patterns", "unique")
	// A callflow may keep its own numbers on update.
	id := d["id"].(string)
	st.as("PATCH", st.acct("/callflows/"+id), obj{"name": "renamed"}).want(200)
	// The listing shows the view's fields.
	l := st.as("GET", st.acct("/callflows"), nil).want(200).list()
	found := false
	for _, row := range l {
		m := row.(map[string]any)
		if m["id"] == id {
			found = true
			if len(m["modules"].([]any)) != 3 || m["featurecode"] != false || m["name"] != "renamed" {
				t.Fatalf("callflow row: %v", m)
			}
		}
	}
	if !found {
		t.Fatal("callflow not listed")
	}
}

func TestVMBoxAndGroupRules(t *testing.T) {
	st := newSim(t, Options{})
	r := st.as("PUT", st.acct("/vmboxes"), obj{"name": "box", "mailbox": "1000"}).want(201)
	if r.data()["media_extension"] != "mp3" || r.data()["check_if_owner"] != true {
		t.Fatalf("vmbox defaults: %s", r.raw)
	}
	st.as("PUT", st.acct("/vmboxes"), obj{"name": "box2", "mailbox": "1000"}).hasError("mailbox", "unique")
	st.as("PUT", st.acct("/vmboxes"), obj{"name": "box2", "mailbox": "01000"}).hasError("mailbox", "unique")
	st.as("PUT", st.acct("/vmboxes"), obj{"name": "box4", "mailbox": "ext"}).hasError("mailbox", "unique")
	if d := st.as("PUT", st.acct("/vmboxes"), obj{"name": "box3", "mailbox": "1001", "messages": []any{obj{}}}).want(201).data(); d["messages"] != nil {
		t.Fatalf("messages stored: %v", d)
	}
	g := st.as("PUT", st.acct("/groups"), obj{"name": "sales", "endpoints": obj{strings.Repeat("e", 32): obj{"type": "user"}}}).want(201)
	if !reflect.DeepEqual(g.data()["music_on_hold"], map[string]any{}) {
		t.Fatalf("group defaults: %s", g.raw)
	}
	l := st.as("GET", st.acct("/groups"), nil).want(200).list()
	if len(l) != 1 || l[0].(map[string]any)["endpoints"] != 1.0 {
		t.Fatalf("group listing: %v", l)
	}
}

func TestMethodsPerCollection(t *testing.T) {
	st := newSim(t, Options{ExtraModules: OptionalModules()})
	for name, c := range collections {
		t.Run(name, func(t *testing.T) {
			path := st.acct("/" + name + "/" + strings.Repeat("0", 32))
			r := st.as("PATCH", path, obj{"name": "x"})
			if c.patch {
				r.want(404) // allowed, but there is no such document
			} else {
				r.want(405)
				if r.env.Message != "invalid_method" || string(r.env.Data) != `{"message":"method not allowed"}` {
					t.Fatalf("405 envelope: %s", r.raw)
				}
			}
			st.as("PUT", path, obj{}).want(405)
		})
	}
	st.as("GET", st.acct("/nonsense"), nil).want(404)
	r := st.as("GET", "/v2/nonsense", nil).want(404)
	if r.env.Message != "not_found" {
		t.Fatalf("unknown path: %s", r.raw)
	}
}

func TestEveryCollectionRoundTrips(t *testing.T) {
	st := newSim(t, Options{ExtraModules: OptionalModules()})
	minimal := map[string]obj{
		"users":               {"first_name": "a", "last_name": "b"},
		"devices":             {"name": "d"},
		"callflows":           {"numbers": []any{"2000"}},
		"vmboxes":             {"name": "v", "mailbox": "2000"},
		"groups":              {"name": "g", "endpoints": obj{}},
		"menus":               {"name": "m"},
		"media":               {"name": "m", "media_source": "upload"},
		"temporal_rules":      {"name": "t", "cycle": "weekly", "wdays": []any{"monday"}},
		"temporal_rules_sets": {"name": "s"},
		"conferences":         {"name": "c"},
		"directories":         {"name": "d"},
		"faxboxes":            {"name": "f"},
		"blacklists":          {"name": "b"},
		"lists":               {"name": "l"},
		"webhooks":            {"name": "w", "uri": "http://example.com/hook", "hook": "channel_create"},
		"resources":           {"name": "r", "gateways": []any{obj{"server": "sip.example.com"}}},
		"connectivity":        {"name": "c"},
		"cccps":               {"cid": "4155550100"},
		"clicktocall":         {"name": "c", "extension": "1000"},
		"multi_factor":        {"name": "m", "provider_name": "duo", "enabled": false},
		"notifications":       {"id": "voicemail_to_email", "to": obj{"type": "original"}, "from": "a@example.com", "subject": "hi"},
		"resource_templates":  {"name": "t", "template_name": "carrier"},
	}
	for name := range collections {
		t.Run(name, func(t *testing.T) {
			data, ok := minimal[name]
			if !ok {
				t.Fatalf("no minimal document for %s", name)
			}
			r := st.as("PUT", st.acct("/"+name), data).want(201)
			id := r.data()["id"].(string)
			st.as("GET", st.acct("/"+name+"/"+id), nil).want(200)
			l := st.as("GET", st.acct("/"+name), nil).want(200).list()
			if len(l) == 0 {
				t.Fatalf("%s not listed", name)
			}
			body := r.data()
			body["ui_note"] = "kept"
			st.as("POST", st.acct("/"+name+"/"+id), body).want(200)
			if got := st.as("GET", st.acct("/"+name+"/"+id), nil).want(200).data()["ui_note"]; got != "kept" {
				t.Fatalf("extra key after POST: %v", got)
			}
			st.as("DELETE", st.acct("/"+name+"/"+id), nil).want(200)
			if name == "notifications" {
				// Deleting an override shows the system template again.
				if d := st.as("GET", st.acct("/"+name+"/"+id), nil).want(200).data(); d["ui_note"] != nil || d["account_overridden"] != nil {
					t.Fatalf("after DELETE: %v", d)
				}
				return
			}
			if name == "conferences" {
				// An unknown conference id reads as an ad-hoc conference, without a revision.
				if r := st.as("GET", st.acct("/"+name+"/"+id), nil).want(200); r.env.Revision != "" || r.data()["ui_note"] != nil {
					t.Fatalf("ad-hoc conference: %s", r.raw)
				}
				return
			}
			st.as("GET", st.acct("/"+name+"/"+id), nil).want(404)
		})
	}
}

func TestConnectivityListsIDs(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/connectivity"), obj{"name": "pbx"}).want(201).data()["id"]
	var ids []string
	if err := json.Unmarshal(st.as("GET", st.acct("/connectivity"), nil).want(200).env.Data, &ids); err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("connectivity list: %v %v", ids, err)
	}
}

func TestListEntries(t *testing.T) {
	st := newSim(t, Options{ExtraModules: OptionalModules()})
	list := st.as("PUT", st.acct("/lists"), obj{"name": "vip"}).want(201).data()["id"].(string)
	e := st.as("PUT", st.acct("/lists/"+list+"/entries"), obj{"number": "+14155550100"}).want(201).data()
	if e["list_id"] != list {
		t.Fatalf("entry list_id: %v", e)
	}
	eid := e["id"].(string)
	st.as("PATCH", st.acct("/lists/"+list+"/entries/"+eid), obj{"displayname": "Boss"}).want(200)
	if l := st.as("GET", st.acct("/lists/"+list+"/entries"), nil).want(200).list(); len(l) != 1 {
		t.Fatalf("entries: %v", l)
	}
	other := st.as("PUT", st.acct("/lists"), obj{"name": "other"}).want(201).data()["id"].(string)
	st.as("GET", st.acct("/lists/"+other+"/entries/"+eid), nil).want(404)
	st.as("GET", st.acct("/lists/"+strings.Repeat("f", 32)+"/entries"), nil).want(404)
	st.as("DELETE", st.acct("/lists/"+list+"/entries/"+eid), nil).want(200)
}

func TestNotificationsNeedClientID(t *testing.T) {
	st := newSim(t, Options{})
	st.as("PUT", st.acct("/notifications"), obj{"to": obj{}, "from": "a@example.com", "subject": "s"}).hasError("id", "required")
}

func TestPagination(t *testing.T) {
	st := newSim(t, Options{})
	for i := 0; i < 7; i++ {
		st.as("PUT", st.acct("/menus"), obj{"id": fmt.Sprintf("%032d", i), "name": fmt.Sprintf("menu %d", i), "flags": []any{fmt.Sprint(i % 2)}}).want(201)
	}
	// Default: descending by view key, all on one page of 50.
	r := st.as("GET", st.acct("/menus"), nil).want(200)
	l := r.list()
	if len(l) != 7 || l[0].(map[string]any)["id"] != fmt.Sprintf("%032d", 6) || *r.env.PageSize != 7 || r.env.NextStartKey != "" {
		t.Fatalf("default page: %s", r.raw)
	}
	// Pages of 3, following next_start_key until it is absent.
	var seen []string
	next := ""
	pages := 0
	for {
		q := "?page_size=3"
		if next != "" {
			q += "&start_key=" + next
		}
		r = st.as("GET", st.acct("/menus"+q), nil).want(200)
		for _, row := range r.list() {
			seen = append(seen, row.(map[string]any)["id"].(string))
		}
		pages++
		if r.env.NextStartKey == "" {
			break
		}
		next = r.env.NextStartKey
	}
	if pages != 3 || len(seen) != 7 || seen[0] != fmt.Sprintf("%032d", 6) || seen[6] != fmt.Sprintf("%032d", 0) {
		t.Fatalf("pages %d seen %v", pages, seen)
	}
	// ascending=true flips the order; descending=false does not.
	if l := st.as("GET", st.acct("/menus?ascending=true"), nil).list(); l[0].(map[string]any)["id"] != fmt.Sprintf("%032d", 0) {
		t.Fatalf("ascending: %v", l[0])
	}
	if l := st.as("GET", st.acct("/menus?descending=false"), nil).list(); l[0].(map[string]any)["id"] != fmt.Sprintf("%032d", 6) {
		t.Fatalf("descending=false changed the order: %v", l[0])
	}
	// paginate=false drops the paging keys.
	r = st.as("GET", st.acct("/menus?paginate=false&page_size=2"), nil).want(200)
	if len(r.list()) != 7 || r.env.PageSize != nil || strings.Contains(string(r.raw), "start_key") {
		t.Fatalf("paginate=false: %s", r.raw)
	}
	// Filters run on the full documents, page by page.
	if l := st.as("GET", st.acct("/menus?filter_name=menu%203"), nil).list(); len(l) != 1 {
		t.Fatalf("filter_name: %v", l)
	}
	if l := st.as("GET", st.acct("/menus?filter_not_name=menu%203"), nil).list(); len(l) != 6 {
		t.Fatalf("filter_not_name: %v", l)
	}
	if l := st.as("GET", st.acct(`/menus?filter_name=["menu%201","menu%202"]`), nil).list(); len(l) != 2 {
		t.Fatalf("filter array: %v", l)
	}
	if l := st.as("GET", st.acct("/menus?has_key=nothing"), nil).list(); len(l) != 0 {
		t.Fatalf("has_key: %v", l)
	}
	r = st.as("GET", st.acct("/menus?page_size=3&filter_name=menu%200"), nil).want(200)
	if len(r.list()) != 0 || r.env.NextStartKey == "" {
		t.Fatalf("a filtered page may be empty while more pages follow: %s", r.raw)
	}
	// cb_context:pagination_page_size/2: a page size that is not a positive integer is the
	// default one, not an error.
	if r := st.as("GET", st.acct("/menus?page_size=0"), nil).want(200); *r.env.PageSize != 7 {
		t.Fatalf("page_size=0: %s", r.raw)
	}
}

// TestUserCredentialRules follows kzd_users:validate/3 with 4.3's default configuration.
func TestUserCredentialRules(t *testing.T) {
	st := newSim(t, Options{})
	login := func(user, pass string) int {
		return st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex(user + ":" + pass), "account_name": "master"}}).status
	}
	// A username needs a password.
	r := st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b", "username": "nopass"})
	r.hasError("password", "required")
	// A password without a username gets a generated one.
	d := st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b", "password": "pw"}).want(201).data()
	gen := d["username"].(string)
	if !regexp.MustCompile(`^user_[0-9a-f]{16}$`).MatchString(gen) || login(gen, "pw") != 201 {
		t.Fatalf("generated username %q", gen)
	}
	// Neither: a user without credentials.
	st.as("PUT", st.acct("/users"), obj{"first_name": "c", "last_name": "d"}).want(201)
	// Changing the username needs the password again; keeping it does not.
	id := st.as("PUT", st.acct("/users"), obj{"first_name": "e", "last_name": "f", "username": "eve", "password": "pw1"}).want(201).data()["id"].(string)
	st.as("PATCH", st.acct("/users/"+id), obj{"username": "eve2"}).hasError("password", "required")
	st.as("PATCH", st.acct("/users/"+id), obj{"first_name": "Eve"}).want(200)
	if login("eve", "pw1") != 201 {
		t.Fatal("credentials lost on an update without password")
	}
	st.as("PATCH", st.acct("/users/"+id), obj{"username": "eve2", "password": "pw2"}).want(200)
	if login("eve2", "pw2") != 201 || login("eve", "pw1") != 401 {
		t.Fatal("credentials not rehashed")
	}
	// Removing the username removes the credentials.
	st.as("PATCH", st.acct("/users/"+id), obj{"username": nil}).want(200)
	if login("eve2", "pw2") != 401 {
		t.Fatal("credentials kept without a username")
	}
	// Imported md5 credentials replace the hash when the username stays (a password given at
	// the same time wins: it is hashed last).
	imp := st.as("PUT", st.acct("/users"), obj{"first_name": "g", "last_name": "h", "username": "imp", "password": "x"}).want(201).data()["id"].(string)
	st.as("PATCH", st.acct("/users/"+imp), obj{"credentials": md5hex("imp:secret")}).want(200)
	if login("imp", "secret") != 201 || login("imp", "x") != 401 {
		t.Fatal("imported credentials not used")
	}
	// Call forwarding needs a number; KAZOO escapes the dotted key.
	st.as("PUT", st.acct("/users"), obj{"first_name": "i", "last_name": "j", "call_forward": obj{"enabled": true}}).
		hasError("call_forward%2Enumber", "required")
}

func TestDeviceCleansing(t *testing.T) {
	st := newSim(t, Options{})
	d := st.as("PUT", st.acct("/devices"), obj{"name": "a", "mac_address": "AA:BB:CC:00:11:22", "sip": obj{"username": "Phone1"}}).want(201).data()
	if d["mac_address"] != "aabbcc001122" {
		t.Fatalf("mac_address %v", d["mac_address"])
	}
	r := st.as("PUT", st.acct("/devices"), obj{"name": "b", "sip": obj{"username": "phone1"}})
	r.hasError("sip.username", "unique")
	if m := r.data()["sip.username"].(map[string]any)["unique"].(map[string]any); m["message"] != "SIP credentials already in use" || m["cause"] != "phone1" {
		t.Fatalf("unique detail: %v", m)
	}
	// Setting a device_type where there was none is a change too.
	child, key := st.child(st.master(), "device types")
	tok := st.login(key)
	id := st.do("PUT", "/v2/accounts/"+child+"/devices", tok, obj{"data": obj{"name": "x"}}).want(201).data()["id"].(string)
	st.do("PATCH", "/v2/accounts/"+child+"/devices/"+id, tok, obj{"data": obj{"device_type": "softphone"}}).hasError("device_type", "invalid")
}

func TestConferenceAndHotdeskUniqueness(t *testing.T) {
	st := newSim(t, Options{})
	st.as("PUT", st.acct("/conferences"), obj{"name": "a", "conference_numbers": []any{"3000"}, "member": obj{"numbers": []any{"3001"}}}).want(201)
	r := st.as("PUT", st.acct("/conferences"), obj{"name": "b", "moderator": obj{"numbers": []any{"3001"}}})
	r.hasError("numbers", "unique")
	if u := r.data()["numbers"].(map[string]any)["unique"].(map[string]any); u["message"] != "Numbers already in use" || u["cause"] != "3001" {
		t.Fatalf("conference numbers: %v", u)
	}
	st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b", "hotdesk": obj{"id": "42"}}).want(201)
	st.as("PUT", st.acct("/users"), obj{"first_name": "c", "last_name": "d", "hotdesk": obj{"id": "42"}}).hasError("hotdesk.id", "unique")
}
