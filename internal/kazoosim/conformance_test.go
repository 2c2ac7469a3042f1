package kazoosim

import (
	"regexp"
	"strings"
	"testing"
)

// conformance is one behaviour of KAZOO 4.3's Crossbar, checked black-box over HTTP. source
// names the 4.3 file and function (branch 4.3 of 2600hz/kazoo) the behaviour follows.
type conformance struct {
	name   string
	source string
	opts   Options
	run    func(t *testing.T, st *simT)
}

// TestConformance43 runs the simulator through the behaviours read from KAZOO 4.3's source.
// Each case starts its own simulator, so cases cannot lean on one another.
func TestConformance43(t *testing.T) {
	for _, c := range conformanceCases {
		t.Run(c.name, func(t *testing.T) {
			if c.source == "" {
				t.Fatal("a conformance case must cite the 4.3 source it follows")
			}
			st := newSim(t, c.opts)
			c.run(t, st)
		})
	}
}

var hex32Re = regexp.MustCompile(`^[0-9a-f]{32}$`)

var conformanceCases = []conformance{
	// Envelope and HTTP.
	{name: "request id made up as 32 hex characters when the client sends none",
		source: "applications/crossbar/src/api_resource.erl get_request_id/1 (kz_datamgr:get_uuid/0)",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct(""), nil).want(200)
			if !hex32Re.MatchString(r.env.RequestID) || r.header.Get("X-Request-ID") != r.env.RequestID {
				t.Fatalf("request id %q, header %q", r.env.RequestID, r.header.Get("X-Request-ID"))
			}
			r = st.do("GET", st.acct(""), st.token, nil, "X-Request-ID", "mine-1").want(200)
			if r.env.RequestID != "mine-1" || r.header.Get("X-Request-ID") != "mine-1" {
				t.Fatalf("client request id not echoed: %s", r.raw)
			}
		}},
	{name: "a document answer carries its revision as ETag",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1; api_resource.erl generate_etag/2",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			if !strings.HasPrefix(r.env.Revision, "1-") || r.header.Get("ETag") != `"`+r.env.Revision+`"` {
				t.Fatalf("revision %q, ETag %q", r.env.Revision, r.header.Get("ETag"))
			}
		}},
	{name: "a non-empty list answer has an automatic ETag, the md5 of the answer, as its revision",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1 ('automatic'); api_resource.erl generate_etag/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			r := st.as("GET", st.acct("/menus"), nil).want(200)
			if !hex32Re.MatchString(r.env.Revision) || r.header.Get("ETag") != `"`+r.env.Revision+`"` {
				t.Fatalf("revision %q, ETag %q", r.env.Revision, r.header.Get("ETag"))
			}
		}},
	{name: "an empty list answer has no ETag and no revision",
		source: "applications/crossbar/src/crossbar_doc.erl rev_to_etag/1 ([] -> undefined); api_util.erl do_create_resp_envelope/1",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct("/menus"), nil).want(200)
			if r.header.Get("ETag") != "" || strings.Contains(string(r.raw), `"revision"`) {
				t.Fatalf("empty list: ETag %q, body %s", r.header.Get("ETag"), r.raw)
			}
		}},
	{name: "a write without Content-Type is tagged X-RFC2616",
		source: "applications/crossbar/src/api_resource.erl known_content_type/3",
		run: func(t *testing.T, st *simT) {
			r := st.do("PUT", st.acct("/menus"), st.token, obj{"data": obj{"name": "m"}}).want(201)
			if r.header.Get("X-RFC2616") != "Section 14.17 (Try it, you'll like it)" {
				t.Fatalf("X-RFC2616 %q", r.header.Get("X-RFC2616"))
			}
			r = st.do("PUT", st.acct("/menus"), st.token, obj{"data": obj{"name": "n"}}, "Content-Type", "application/json").want(201)
			if r.header.Get("X-RFC2616") != "" {
				t.Fatal("X-RFC2616 set although the request had a Content-Type")
			}
			r = st.do("GET", st.acct("/menus"), st.token, nil).want(200)
			if r.header.Get("X-RFC2616") != "" {
				t.Fatal("X-RFC2616 set on a GET")
			}
		}},
	{name: "a write whose Content-Type the resource does not accept answers 415",
		source: "applications/crossbar/src/api_util.erl is_known_content_type/4 (crossbar.hrl ?CONTENT_ACCEPTED)",
		run: func(t *testing.T, st *simT) {
			st.do("PUT", st.acct("/menus"), st.token, `{"data":{"name":"m"}}`, "Content-Type", "text/plain").want(415)
			st.do("PUT", st.acct("/menus"), st.token, `{"data":{"name":"m"}}`, "Content-Type", "application/json; charset=utf-8").want(201)
		}},
	{name: "jsonp wraps the answer in the named function, errors included",
		source: "applications/crossbar/src/api_util.erl create_resp_content/2 (?JSONP_CONTENT_TYPE)",
		run: func(t *testing.T, st *simT) {
			r := st.do("GET", st.acct("")+"?jsonp=cb", st.token, nil).want(200)
			if r.header.Get("Content-Type") != "application/javascript" || !strings.HasPrefix(string(r.raw), `cb({`) ||
				!strings.HasSuffix(string(r.raw), `});`) {
				t.Fatalf("jsonp answer %q (%s)", r.raw, r.header.Get("Content-Type"))
			}
			r = st.do("GET", st.acct("/menus/nope")+"?jsonp=cb", st.token, nil).want(404)
			if !strings.HasPrefix(string(r.raw), `cb({`) {
				t.Fatalf("jsonp error %q", r.raw)
			}
		}},
	{name: "Accept: text/csv answers a list as CSV, a column per flattened field",
		source: "applications/crossbar/src/api_resource.erl to_csv/2; api_util.erl create_csv_resp_content/2; core/kazoo_csv/src/kz_csv.erl jobjs_to_file/1, cell_to_binary/1",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": `say "hi"`}).want(201)
			r := st.do("GET", st.acct("/menus"), st.token, nil, "Accept", "text/csv").want(200)
			if r.header.Get("Content-Type") != "text/csv" || !strings.HasPrefix(r.header.Get("Content-Disposition"), `attachment; filename="`) {
				t.Fatalf("headers %v", r.header)
			}
			lines := strings.Split(strings.TrimSpace(string(r.raw)), "\n")
			if len(lines) != 2 || !strings.Contains(lines[0], `"ID"`) || !strings.Contains(lines[0], `"name"`) ||
				!strings.Contains(lines[1], `"say ""hi"""`) {
				t.Fatalf("csv %q", r.raw)
			}
			st.do("GET", st.acct("/menus")+"?accept=csv", st.token, nil).want(200)
		}},
	{name: "an envelope whose data is neither object nor array is a validation error on data",
		source: "applications/crossbar/src/api_util.erl ?ENVELOPE_SCHEMA, set_request_data_in_context/4 (cb_context:failed/2)",
		run: func(t *testing.T, st *simT) {
			r := st.do("PUT", st.acct("/menus"), st.token, `{"data":"menu"}`)
			r.hasError("data", "type")
			if !strings.Contains(string(r.env.Data), `"value":"menu"`) {
				t.Fatalf("envelope: %s", r.raw)
			}
			st.do("PUT", st.acct("/menus"), st.token, `{"data":null}`).hasError("data", "type")
			st.do("PUT", st.acct("/menus"), st.token, `[{"data":{}}]`).hasError("json", "invalid")
		}},
	{name: "api_auth validates its input before looking at the key: a missing key is 400, not 401",
		source: "applications/crossbar/src/modules/cb_api_auth.erl validate/1 (cb_context:validate_request_data api_auth, then on_successful_validation/1)",
		run: func(t *testing.T, st *simT) {
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{}}).hasError("api_key", "required")
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": ""}}).hasError("api_key", "minLength")
			st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": strings.Repeat("a", 64), "x": 1}}).hasError("x", "additionalProperties")
			r := st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": strings.Repeat("a", 64)}}).want(404)
			if r.env.Message != "bad identifier" || string(r.env.Data) != `["`+strings.Repeat("a", 64)+`"]` {
				t.Fatalf("unknown key: %s", r.raw)
			}
		}},
	{name: "a module KAZOO does not load by default answers 404 not_found",
		source: "applications/crossbar/src/crossbar.hrl ?DEFAULT_MODULES (no cb_lists, no cb_cccps); api_resource.erl maybe_allow_method/4",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct("/lists"), nil).want(404)
			if r.env.Message != "not_found" {
				t.Fatalf("not loaded: %s", r.raw)
			}
			st.as("PUT", st.acct("/cccps"), obj{"cid": "4155550100"}).want(404)
		}},
	{name: "a module named in ExtraModules is served",
		source: "applications/crossbar/src/crossbar_config.erl autoload_modules/1",
		opts:   Options{ExtraModules: []string{"cb_lists", "cccps"}},
		run: func(t *testing.T, st *simT) {
			st.as("GET", st.acct("/lists"), nil).want(200)
			st.as("GET", st.acct("/cccps"), nil).want(200)
		}},

	{name: "the first page has no start_key; a later page echoes its start_key and page_size counts its rows",
		source: "applications/crossbar/src/crossbar_doc.erl update_pagination_envelope_params/5, handle_datamgr_pagination_success/2",
		run: func(t *testing.T, st *simT) {
			for i := 0; i < 3; i++ {
				st.as("PUT", st.acct("/menus"), obj{"name": "m" + itoa(int64(i))}).want(201)
			}
			r := st.as("GET", st.acct("/menus?page_size=2"), nil).want(200)
			if strings.Contains(string(r.raw), `"start_key"`) || *r.env.PageSize != 2 || r.env.NextStartKey == "" {
				t.Fatalf("first page: %s", r.raw)
			}
			r2 := st.as("GET", st.acct("/menus?page_size=2&start_key="+r.env.NextStartKey), nil).want(200)
			if r2.env.StartKey != r.env.NextStartKey || *r2.env.PageSize != 1 || r2.env.NextStartKey != "" {
				t.Fatalf("second page: %s", r2.raw)
			}
		}},
	{name: "a page_size that is not a positive integer falls back to the default on crossbar_doc listings",
		source: "applications/crossbar/src/cb_context.erl pagination_page_size/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			for _, v := range []string{"0", "-3", "abc"} {
				if r := st.as("GET", st.acct("/menus?page_size="+v), nil).want(200); *r.env.PageSize != 1 {
					t.Fatalf("page_size=%s: %s", v, r.raw)
				}
			}
		}},
	{name: "a start_key that is not an encoded key is used as a raw view key, not refused",
		source: "applications/crossbar/src/api_util.erl decode_start_key/1; api_resource.erl maybe_decode_start_key/1",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/menus"), obj{"name": "m"}).want(201)
			st.as("GET", st.acct("/menus?start_key=not-a-key"), nil).want(200)
		}},
	{name: "crossbar_view listings refuse a bad page_size with 404 faulty_request",
		source: "applications/crossbar/src/crossbar_view.erl get_page_size_from_request/1, build_general_load_params/3",
		run: func(t *testing.T, st *simT) {
			for v, msg := range map[string]string{"abc": "invalid page size", "0": "page size must be at least 1"} {
				r := st.as("GET", st.acct("/webhooks?page_size="+v), nil).want(404)
				if r.env.Message != "faulty_request" || !strings.Contains(string(r.env.Data), msg) {
					t.Fatalf("page_size=%s: %s", v, r.raw)
				}
			}
		}},

	// Auth and accounts.
	{name: "GET /v2/account is the token's own account",
		source: "applications/crossbar/src/api_util.erl parse_path_tokens/3 (\"account\" alias)",
		run: func(t *testing.T, st *simT) {
			if d := st.as("GET", "/v2/account", nil).want(200).data(); d["id"] != st.master() {
				t.Fatalf("alias: %v", d)
			}
			st.as("GET", "/v2/account/children", nil).want(200)
			st.do("GET", "/v2/account", "", nil).want(401)
		}},
	{name: "/parents and /tree list the ancestors from the requester's account down, with realm and flags",
		source: "applications/crossbar/src/modules/cb_accounts.erl load_account_tree/2, get_authorized_account_tree/1, format_account_tree_results/2",
		run: func(t *testing.T, st *simT) {
			a, aKey := st.child(st.master(), "a")
			b, _ := st.child(a, "b")
			rows := st.as("GET", "/v2/accounts/"+b+"/parents", nil).want(200).list()
			if len(rows) != 2 {
				t.Fatalf("master's view: %v", rows)
			}
			first := rows[0].(map[string]any)
			if first["id"] != st.master() || first["realm"] == nil || first["flags"] == nil {
				t.Fatalf("row: %v", first)
			}
			r := st.do("GET", "/v2/accounts/"+b+"/tree", st.login(aKey), nil).want(200)
			if rows := r.list(); len(rows) != 1 || rows[0].(map[string]any)["id"] != a {
				t.Fatalf("a's view hides the master: %v", rows)
			}
		}},
	{name: "an account create answers a Location header",
		source: "applications/crossbar/src/modules/cb_accounts.erl create_account_definition/1 (crossbar_doc:handle_json_success/3 PUT, api_util:fix_header/3)",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct(""), obj{"name": "child"}).want(201)
			if r.header.Get("Location") != st.acct("/"+r.data()["id"].(string)) {
				t.Fatalf("Location %q", r.header.Get("Location"))
			}
		}},
	{name: "only a user token of an admin may regenerate an API key",
		source: "applications/crossbar/src/modules/cb_accounts.erl validate_account_path/4 (api_key, PUT); cb_context.erl is_account_admin/1; kzd_user.erl is_account_admin/2",
		opts:   Options{Username: "admin", Password: "pw", AccountName: "master"},
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/api_key"), nil).want(403)
			tok := st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex("admin:pw"), "account_name": "master"}}).want(201).env.AuthToken
			r := st.do("PUT", st.acct("/api_key"), tok, nil).want(201)
			if len(r.data()["api_key"].(string)) != 64 || r.env.Revision == "" {
				t.Fatalf("regenerated: %s", r.raw)
			}
			user := st.as("PUT", st.acct("/users"), obj{"first_name": "u", "last_name": "u", "username": "plain", "password": "pw2", "priv_level": "user"}).want(201)
			_ = user
			tok2 := st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex("plain:pw2"), "account_name": "master"}}).want(201).env.AuthToken
			st.do("PUT", st.acct("/api_key"), tok2, nil).want(403)
		}},
	{name: "move: superduper admins only, never below itself, descendants follow",
		source: "applications/crossbar/src/modules/cb_accounts.erl validate_account_path/4 (move), validate_move/4 (allow_move superduper_admin); crossbar_util.erl move_account/2",
		run: func(t *testing.T, st *simT) {
			a, aKey := st.child(st.master(), "a")
			b, _ := st.child(st.master(), "b")
			c, _ := st.child(a, "c")
			st.as("POST", "/v2/accounts/"+a+"/move", obj{}).hasError("to", "required")
			st.do("POST", "/v2/accounts/"+c+"/move", st.login(aKey), obj{"data": obj{"to": a}}).want(403)
			st.as("POST", "/v2/accounts/"+a+"/move", obj{"to": c}).want(403)
			st.as("POST", "/v2/accounts/"+a+"/move", obj{"to": b}).want(200)
			rows := st.as("GET", "/v2/accounts/"+c+"/parents", nil).want(200).list()
			if len(rows) != 3 || rows[1].(map[string]any)["id"] != b || rows[2].(map[string]any)["id"] != a {
				t.Fatalf("after move: %v", rows)
			}
		}},

	{name: "search: accounts below the requester by name prefix (digits only past v), users by name in an account",
		source: "applications/crossbar/src/modules/cb_search.erl validate_search/2,3,4, search/5, get_start_key/3, get_end_key/3; core/kazoo_apps/priv/couchdb/views/search.json",
		run: func(t *testing.T, st *simT) {
			st.child(st.master(), "Acme 1")
			st.child(st.master(), "Acme Corp")
			l := st.as("GET", "/v2/search?t=account&q=name&v=acme", nil).want(200).list()
			if len(l) != 1 || l[0].(map[string]any)["name"] != "Acme 1" {
				t.Fatalf("accounts: %v", l)
			}
			st.as("GET", "/v2/search?q=name&v=x", nil).hasError("t", "required")
			st.as("GET", "/v2/search?t=account&v=x", nil).hasError("q", "required")
			st.as("GET", "/v2/search?t=account&q=color&v=x", nil).hasError("q", "enum")
			st.as("GET", "/v2/search?t=account&q=name", nil).hasError("v", "required")
			st.as("PUT", st.acct("/users"), obj{"first_name": "Ann", "last_name": "Lee"}).want(201)
			if l := st.as("GET", st.acct("/search?t=user&q=name&v=Ann%20Lee"), nil).want(200).list(); len(l) != 1 || l[0].(map[string]any)["name"] != "Ann Lee" {
				t.Fatalf("users: %v", l)
			}
		}},

	// Validation.
	{name: "every rule a value breaks is reported, not only the first",
		source: "core/kazoo_schemas/src/kz_json_schema.erl ?DEFAULT_OPTIONS ({allowed_errors, infinity})",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/devices"), obj{"name": "d", "sip": obj{"realm": "a!"}})
			r.hasError("sip.realm", "minLength")
			r.hasError("sip.realm", "pattern")
		}},
	{name: "webhook uri: http or https only, not localhost, 127.0.0.1 or 0.0.0.0",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (webhooks.uri), is_valid_client_url/1; core/kazoo_web/src/kz_http_util.erl ?INVALID_HOSTS, ?INVALID_NETWORK_CIDRS",
		run: func(t *testing.T, st *simT) {
			for _, u := range []string{"ftp://example.com/h", "http://localhost/h", "http://LOCALHOST:8080/h", "https://127.0.0.1/h", "http://0.0.0.0/h", "example.com/h"} {
				r := st.as("PUT", st.acct("/webhooks"), obj{"name": "w", "uri": u, "hook": "channel_create"})
				r.hasError("uri", "error")
				if !strings.Contains(string(r.env.Data), "invalid client URL") {
					t.Fatalf("%s: %s", u, r.raw)
				}
			}
			st.as("PUT", st.acct("/webhooks"), obj{"name": "w", "uri": "http://127.0.0.2/h", "hook": "channel_create"}).want(201)
		}},
	{name: "callflow pivot and webhook URLs are client URLs too",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (callflows.pivot.voice_url, callflows.webhook.uri)",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/callflows"), obj{"numbers": []any{"3000"}, "flow": obj{"module": "pivot",
				"data": obj{"voice_url": "http://localhost/x"}, "children": obj{"_": obj{"module": "webhook", "data": obj{"uri": "gopher://x"}}}}})
			r.hasError("flow.data.voice_url", "error")
			r.hasError("flow.children._.data.uri", "error")
		}},
	{name: "record_call URL: http, https or ftp, on callflow nodes and call_recording",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (callflows.record_call.url, call_recording.parameters.url), storage_url_validation/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/callflows"), obj{"numbers": []any{"3001"}, "flow": obj{"module": "record_call",
				"data": obj{"action": "start", "url": "http://127.0.0.1/rec"}}}).hasError("flow.data.url", "error")
			st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b",
				"call_recording": obj{"inbound": obj{"onnet": obj{"enabled": true, "url": "sftp://x/y"}}}}).hasError("call_recording.inbound.onnet.url", "error")
			st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b",
				"call_recording": obj{"inbound": obj{"onnet": obj{"enabled": true, "url": "ftp://u:p@rec.example.com/y"}}}}).want(201)
		}},
	{name: "faxbox callback URLs are client URLs",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (faxbox.notifications.inbound.callback.url)",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/faxboxes"), obj{"name": "f", "notifications": obj{"inbound": obj{"callback": obj{"url": "http://localhost/cb"}}}}).
				hasError("notifications.inbound.callback.url", "error")
		}},
	{name: "a callflow node whose module has no schema is refused",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (callflows.action.module)",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/callflows"), obj{"numbers": []any{"3002"}, "flow": obj{"module": "no_such_module", "data": obj{}}})
			r.hasError("flow.module", "error")
			if !strings.Contains(string(r.env.Data), "unable to find callflow schema for module no_such_module") {
				t.Fatalf("message: %s", r.raw)
			}
		}},
	{name: "callflow node data is validated against its module's schema",
		source: "core/kazoo_schemas/src/kz_json_schema_extensions.erl extra_validation/3 (callflows.action.data), validate_module_data/3",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/callflows"), obj{"numbers": []any{"3003"}, "flow": obj{"module": "user", "data": obj{"timeout": "soon"}}}).
				hasError("flow.data.timeout", "type")
		}},
	{name: "device sip.ip must be an IPv4 address no other device has, with sip.method ip",
		source: "applications/crossbar/src/modules_v2/cb_devices_v2.erl validate_device_creds/2, check_device_ip/3, check_device_ip_unique/3",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/devices"), obj{"name": "d", "sip": obj{"method": "ip", "ip": "10.0.0.300"}})
			r.hasError("sip.ip", "type")
			st.as("PUT", st.acct("/devices"), obj{"name": "d1", "sip": obj{"method": "ip", "ip": "10.0.0.3"}}).want(201)
			st.as("PUT", st.acct("/devices"), obj{"name": "d2", "sip": obj{"method": "ip", "ip": "10.0.0.3"}}).hasError("sip.ip", "unique")
		}},

	// Objects.
	{name: "whitelabel logo and icon: image uploads, 404 before any, 415 for other types",
		source: "applications/crossbar/src/modules/cb_whitelabel.erl content_types_accepted/3, load_whitelabel_binary/2, update_whitelabel_binary/3",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/whitelabel"), obj{"domain": "brand.example.com"}).want(201)
			r := st.as("GET", st.acct("/whitelabel/logo"), nil).want(404)
			if string(r.env.Data) != `["logo"]` {
				t.Fatalf("before upload: %s", r.raw)
			}
			st.do("POST", st.acct("/whitelabel/logo"), st.token, []byte("PNG"), "Content-Type", "image/png").want(200)
			st.do("POST", st.acct("/whitelabel/logo"), st.token, []byte("ICO"), "Content-Type", "image/x-icon").want(415)
			st.do("POST", st.acct("/whitelabel/icon"), st.token, []byte("ICO"), "Content-Type", "image/x-icon").want(200)
			r = st.do("GET", st.acct("/whitelabel/logo"), st.token, nil).want(200)
			if string(r.raw) != "PNG" || r.header.Get("Content-Type") != "image/png" {
				t.Fatalf("logo %q %s", r.raw, r.header.Get("Content-Type"))
			}
		}},
	{name: "whitelabel by domain needs no token, for the logo too",
		source: "applications/crossbar/src/modules/cb_whitelabel.erl authenticate/2, authorize/3, find_whitelabel/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/whitelabel"), obj{"domain": "Brand.Example.com", "company_name": "B"}).want(201)
			st.do("POST", st.acct("/whitelabel/logo"), st.token, []byte("GIF"), "Content-Type", "image/gif").want(200)
			if d := st.do("GET", "/v2/whitelabel/brand.example.com", "", nil).want(200).data(); d["company_name"] != "B" {
				t.Fatalf("by domain: %v", d)
			}
			if r := st.do("GET", "/v2/whitelabel/brand.example.com/logo", "", nil).want(200); string(r.raw) != "GIF" {
				t.Fatalf("logo by domain %q", r.raw)
			}
			r := st.do("GET", "/v2/whitelabel/nope.example.com", "", nil).want(404)
			if !strings.Contains(string(r.env.Data), `"cause":"nope.example.com"`) {
				t.Fatalf("unknown domain: %s", r.raw)
			}
		}},
	{name: "a whitelabel domain another account uses is refused with KAZOO's message",
		source: "applications/crossbar/src/modules/cb_whitelabel.erl validate_unique_domain/2",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/whitelabel"), obj{"domain": "brand.example.com"}).want(201)
			a, _ := st.child(st.master(), "a")
			r := st.as("PUT", "/v2/accounts/"+a+"/whitelabel", obj{"domain": "BRAND.example.com"})
			r.hasError("domain", "unique")
			if !strings.Contains(string(r.env.Data), "White label domain is already in use") {
				t.Fatalf("message: %s", r.raw)
			}
		}},
	{name: "resource_templates: template_name required, kept in the reseller's database, writes by the reseller only",
		source: "applications/crossbar/src/modules/cb_resource_templates.erl check_template_name/1, determine_template_database/1, is_allowed_to_update/1",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/resource_templates"), obj{"name": "t"})
			r.hasError("template_name", "required")
			id := st.as("PUT", st.acct("/resource_templates"), obj{"name": "t", "template_name": "carrier"}).want(201).data()["id"].(string)
			a, aKey := st.child(st.master(), "a")
			tok := st.login(aKey)
			l := st.do("GET", "/v2/accounts/"+a+"/resource_templates", tok, nil).want(200).list()
			if len(l) != 1 || l[0].(map[string]any)["id"] != id {
				t.Fatalf("a sees its reseller's templates: %v", l)
			}
			st.do("PUT", "/v2/accounts/"+a+"/resource_templates", tok, obj{"data": obj{"template_name": "x"}}).hasError("Account", "forbidden")
		}},
	{name: "a directory read lists the users whose directories map names it",
		source: "applications/crossbar/src/modules/cb_directories.erl load_directory_users/2, normalize_users_results/2 (view directories/users_listing)",
		run: func(t *testing.T, st *simT) {
			dir := st.as("PUT", st.acct("/directories"), obj{"name": "d"}).want(201).data()["id"].(string)
			u := st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b", "directories": obj{dir: "cf1"}}).want(201).data()["id"].(string)
			users := st.as("GET", st.acct("/directories/"+dir), nil).want(200).data()["users"].([]any)
			if len(users) != 1 || users[0].(map[string]any)["user_id"] != u || users[0].(map[string]any)["callflow_id"] != "cf1" {
				t.Fatalf("users: %v", users)
			}
		}},
	{name: "notifications: system templates listed, read when not overridden, back after DELETE of an override",
		source: "applications/crossbar/src/modules/cb_notifications.erl summary_account/2, merge_available/2, read_account/3, maybe_read_from_parent/4, delete_doc/2",
		run: func(t *testing.T, st *simT) {
			d := st.as("GET", st.acct("/notifications/voicemail_to_email"), nil).want(200).data()
			if d["account_overridden"] != nil || d["friendly_name"] != "Voicemail To Email" {
				t.Fatalf("system template: %v", d)
			}
			st.as("PUT", st.acct("/notifications"), obj{"id": "voicemail_to_email", "to": obj{"type": "original"}, "from": "a@example.com", "subject": "mine"}).want(201)
			if d := st.as("GET", st.acct("/notifications/voicemail_to_email"), nil).want(200).data(); d["account_overridden"] != true || d["subject"] != "mine" {
				t.Fatalf("override: %v", d)
			}
			overridden := 0
			for _, row := range st.as("GET", st.acct("/notifications"), nil).want(200).list() {
				if row.(map[string]any)["account_overridden"] == true {
					overridden++
				}
			}
			if overridden != 1 {
				t.Fatalf("overridden rows: %d", overridden)
			}
			st.as("DELETE", st.acct("/notifications/voicemail_to_email"), nil).want(200)
			if d := st.as("GET", st.acct("/notifications/voicemail_to_email"), nil).want(200).data(); d["subject"] != nil {
				t.Fatalf("after DELETE: %v", d)
			}
			st.as("GET", st.acct("/notifications/no_such_template"), nil).want(404)
		}},
	{name: "list rows leave out the fields a document lacks rather than answering null",
		source: "core/kazoo_apps/priv/couchdb/account/resources.json resource_templates view; CouchDB drops undefined members of emitted values",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/webhooks"), obj{"name": "w", "uri": "http://example.com/h", "hook": "channel_create"}).want(201)
			r := st.as("GET", st.acct("/webhooks"), nil).want(200)
			if strings.Contains(string(r.env.Data), "null") {
				t.Fatalf("null in rows: %s", r.env.Data)
			}
		}},
	{name: "conference rows and reads carry empty realtime figures in _read_only; writes do not",
		source: "applications/crossbar/src/modules/cb_conferences.erl add_realtime/2 (empty_realtime_data/0), enrich_conference/2",
		run: func(t *testing.T, st *simT) {
			r := st.as("PUT", st.acct("/conferences"), obj{"name": "c"}).want(201)
			if r.data()["_read_only"] != nil {
				t.Fatalf("write answer: %s", r.raw)
			}
			id := r.data()["id"].(string)
			ro := st.as("GET", st.acct("/conferences/"+id), nil).want(200).data()["_read_only"].(map[string]any)
			if ro["members"] != float64(0) || ro["is_locked"] != false || ro["participants"] == nil {
				t.Fatalf("read: %v", ro)
			}
			row := st.as("GET", st.acct("/conferences"), nil).want(200).list()[0].(map[string]any)
			if ro, ok := row["_read_only"].(map[string]any); !ok || ro["duration"] != float64(0) || ro["participants"] != nil {
				t.Fatalf("row: %v", row)
			}
		}},
	{name: "phone number classifiers, and one number classified",
		source: "applications/crossbar/src/modules_v2/cb_phone_numbers_v2.erl validate/2 (classifiers), classify_number/2; core/kazoo_number_manager/src/converters/knm_converters.erl ?DEFAULT_CLASSIFIERS",
		run: func(t *testing.T, st *simT) {
			all := st.as("GET", st.acct("/phone_numbers/classifiers"), nil).want(200).data()
			if len(all) != 7 || all["did_us"].(map[string]any)["friendly_name"] != "US DID" {
				t.Fatalf("classifiers: %v", all)
			}
			c := st.as("GET", st.acct("/phone_numbers/classifiers/8005551234"), nil).want(200).data()
			if c["name"] != "tollfree_us" || c["e164"] != "+18005551234" || c["number"] != "8005551234" {
				t.Fatalf("classified: %v", c)
			}
		}},
	{name: "activate moves an existing number into the account, in service",
		source: "applications/crossbar/src/modules_v2/cb_phone_numbers_v2.erl put/3 (activate: knm_number:move/3)",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/phone_numbers/%2B14155550150/activate"), obj{}).want(404)
			st.as("PUT", st.acct("/phone_numbers/%2B14155550150"), obj{}).want(201)
			d := st.as("PUT", st.acct("/phone_numbers/%2B14155550150/activate"), obj{}).want(200).data()
			if d["state"] != "in_service" {
				t.Fatalf("activated: %v", d)
			}
		}},
	{name: "the account's number listing filters the stored documents: filter__id picks one number, filter_state is renamed",
		source: "applications/crossbar/src/modules_v2/cb_phone_numbers_v2.erl summary/1, view_account_phone_numbers/1 (crossbar_doc:load_view: include_docs when filtering), rename_qs_filters/1; crossbar_filter.erl should_filter/3; core/kazoo_number_manager/src/knm_phone_number.erl to_json/1, sanitize_public_fields/1",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/phone_numbers/%2B14155550152"), obj{}).want(201)
			st.as("PUT", st.acct("/phone_numbers/%2B14155550153"), obj{}).want(201)
			d := st.as("GET", st.acct("/phone_numbers?filter__id=%2B14155550153"), nil).want(200).data()
			if n, _ := d["numbers"].(map[string]any); len(n) != 1 || n["+14155550153"] == nil {
				t.Fatalf("filtered listing: %v", d)
			}
			// The listing's name for the state is renamed to the stored key; create_with_state
			// is never stored.
			for q, want := range map[string]int{"filter_state=reserved": 2, "filter_pvt_state=reserved": 2, "filter_state=in_service": 0,
				"filter_create_with_state=reserved": 0} {
				d := st.as("GET", st.acct("/phone_numbers?"+q), nil).want(200).data()
				if n, _ := d["numbers"].(map[string]any); len(n) != want {
					t.Errorf("%s: %d numbers, want %d: %v", q, len(n), want, d)
				}
			}
		}},
	{name: "DELETE releases a number to available and, being local, removes it",
		source: "core/kazoo_number_manager/src/knm_numbers.erl release/2, unwind_maybe_disconnect/1, delete_maybe_age/1; knm_config.erl released_state/0",
		run: func(t *testing.T, st *simT) {
			st.as("PUT", st.acct("/phone_numbers/%2B14155550151"), obj{}).want(201)
			if d := st.as("DELETE", st.acct("/phone_numbers/%2B14155550151"), nil).want(200).data(); d["state"] != "available" {
				t.Fatalf("released: %v", d)
			}
			st.as("GET", st.acct("/phone_numbers/%2B14155550151"), nil).want(404)
			a, _ := st.child(st.master(), "a")
			st.as("PUT", "/v2/accounts/"+a+"/phone_numbers/%2B14155550151", obj{}).want(201)
		}},
	{name: "a faxbox gets an SMTP address, shown in reads and list rows",
		source: "applications/crossbar/src/modules/cb_faxboxes.erl generate_email_address/1, leak_private_fields/1, normalize_view_results/2",
		run: func(t *testing.T, st *simT) {
			d := st.as("PUT", st.acct("/faxboxes"), obj{"name": "f"}).want(201).data()
			addr, _ := d["smtp_email_address"].(string)
			if !regexp.MustCompile(`^[0-9a-f]{8}\.fax\.kazoo\.io$`).MatchString(addr) {
				t.Fatalf("address %q", addr)
			}
			row := st.as("GET", st.acct("/faxboxes"), nil).want(200).list()[0].(map[string]any)
			if row["smtp_email_address"] != addr || row["name"] != "f" {
				t.Fatalf("row: %v", row)
			}
		}},
	{name: "connectivity gets the account's realm as account.auth_realm",
		source: "applications/crossbar/src/modules/cb_connectivity.erl create/1, update/2 (kzd_connectivity:set_account_auth_realm/2)",
		run: func(t *testing.T, st *simT) {
			realm := st.as("GET", st.acct(""), nil).want(200).data()["realm"]
			d := st.as("PUT", st.acct("/connectivity"), obj{"name": "pbx", "account": obj{"auth_realm": "other.example.com"}}).want(201).data()
			if d["account"].(map[string]any)["auth_realm"] != realm {
				t.Fatalf("auth_realm: %v", d["account"])
			}
		}},
	{name: "GET /v2/webhooks lists the available hooks without a token; other methods are refused",
		source: "applications/crossbar/src/modules/cb_webhooks.erl authenticate/3, is_authorize/3, summary_available/1",
		run: func(t *testing.T, st *simT) {
			l := st.do("GET", "/v2/webhooks", "", nil).want(200).list()
			if len(l) == 0 || l[0].(map[string]any)["name"] == nil {
				t.Fatalf("hooks: %v", l)
			}
			st.do("PUT", "/v2/webhooks", "", obj{"data": obj{}}).want(401)
			st.do("PUT", "/v2/webhooks", st.token, obj{"data": obj{}}).want(403)
		}},
	{name: "voicemail messages: metadata checked, month-prefixed id as media_id, multipart audio, listed per box",
		source: "applications/crossbar/src/modules/cb_vmboxes.erl validate_new_message/2, create_new_message_document/2, maybe_save_attachment/1, load_message_summary/2; core/kazoo_documents/src/kzd_box_message.erl new/2",
		run: func(t *testing.T, st *simT) {
			box := st.as("PUT", st.acct("/vmboxes"), obj{"name": "b", "mailbox": "2100"}).want(201).data()["id"].(string)
			st.as("PUT", st.acct("/vmboxes/"+box+"/messages"), obj{"length": "long"}).hasError("length", "type")
			body := "--XX\r\nContent-Type: application/json\r\n\r\n{\"data\":{\"caller_id_number\":\"4155550100\",\"folder\":\"saved\"}}\r\n" +
				"--XX\r\nContent-Type: audio/mpeg\r\n\r\nID3audio\r\n--XX--\r\n"
			d := st.do("PUT", st.acct("/vmboxes/"+box+"/messages"), st.token, body, "Content-Type", "multipart/form-data; boundary=XX").want(201).data()
			id := d["id"].(string)
			meta := d["metadata"].(map[string]any)
			if !regexp.MustCompile(`^\d{6}-[0-9a-f]{32}$`).MatchString(id) || meta["media_id"] != id || meta["folder"] != "saved" || meta["caller_id_number"] != "4155550100" {
				t.Fatalf("message: %v", d)
			}
			rows := st.as("GET", st.acct("/vmboxes/"+box+"/messages"), nil).want(200).list()
			if len(rows) != 1 || rows[0].(map[string]any)["media_id"] != id {
				t.Fatalf("rows: %v", rows)
			}
			if r := st.do("GET", st.acct("/vmboxes/"+box+"/messages/"+id+"/raw"), st.token, nil).want(200); string(r.raw) != "ID3audio" {
				t.Fatalf("audio %q", r.raw)
			}
		}},
	{name: "cccps: on PUT the cid is normalized and unique, else the pin is; errors under cccp; POST checks the schema only",
		source: "applications/cccp/src/cb_cccps.erl validate_cccps/2, check_cid/1, check_pin/1, error_cid_exists/2, error_number_is_not_reconcilable/2",
		opts:   Options{ExtraModules: []string{"cb_cccps"}},
		run: func(t *testing.T, st *simT) {
			d := st.as("PUT", st.acct("/cccps"), obj{"cid": "4155550100", "pin": "1234"}).want(201).data()
			if d["cid"] != "+14155550100" {
				t.Fatalf("cid: %v", d)
			}
			r := st.as("PUT", st.acct("/cccps"), obj{"cid": "+14155550100"})
			r.hasError("cccp", "unique")
			if !strings.Contains(string(r.env.Data), "CID already exists") {
				t.Fatalf("cid taken: %s", r.raw)
			}
			st.as("PUT", st.acct("/cccps"), obj{"cid": "12"}).hasError("cccp", "unique")
			st.as("PUT", st.acct("/cccps"), obj{"pin": "1234"}).hasError("cccp", "unique")
			id := d["id"].(string)
			st.as("POST", st.acct("/cccps/"+id), obj{"cid": "+14155550100", "pin": "1234"}).want(200)
		}},
	{name: "blacklist numbers are rewritten to E.164",
		source: "applications/crossbar/src/modules/cb_blacklists.erl format_numbers/1",
		run: func(t *testing.T, st *simT) {
			d := st.as("PUT", st.acct("/blacklists"), obj{"name": "b", "numbers": obj{"4155550100": obj{}}}).want(201).data()
			if _, ok := d["numbers"].(map[string]any)["+14155550100"]; !ok {
				t.Fatalf("numbers: %v", d["numbers"])
			}
		}},
	{name: "a conference id with no document reads as an ad-hoc conference without a revision",
		source: "applications/crossbar/src/modules/cb_conferences.erl maybe_load_conference/2, maybe_build_conference/2, build_conference/2",
		run: func(t *testing.T, st *simT) {
			r := st.as("GET", st.acct("/conferences/"+strings.Repeat("a", 32)), nil).want(200)
			d := r.data()
			if r.env.Revision != "" || r.header.Get("ETag") != "" || d["id"] != strings.Repeat("a", 32) || d["member"] == nil || d["_read_only"] == nil {
				t.Fatalf("ad-hoc: %s", r.raw)
			}
			st.as("DELETE", st.acct("/conferences/"+strings.Repeat("a", 32)), nil).want(404)
		}},
	{name: "media /raw accepts KAZOO's audio, video and base64 types only, 415 otherwise",
		source: "applications/crossbar/src/modules/cb_media.erl content_types_accepted_for_upload/2 (?MEDIA_MIME_TYPES)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			for _, ct := range []string{"audio/mpeg", "audio/x-wav", "video/mp4"} {
				st.do("POST", st.acct("/media/"+id+"/raw"), st.token, []byte("bytes"), "Content-Type", ct).want(200)
			}
			for _, ct := range []string{"application/json", "text/plain", "audio/flac", "multipart/form-data; boundary=x"} {
				st.do("POST", st.acct("/media/"+id+"/raw"), st.token, []byte("bytes"), "Content-Type", ct).want(415)
			}
		}},
	{name: "media /raw before any upload is 404 bad identifier naming the media",
		source: "applications/crossbar/src/modules/cb_media.erl load_media_binary/2 (crossbar_util:response_bad_identifier/2)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			r := st.as("GET", st.acct("/media/"+id+"/raw"), nil).want(404)
			if r.env.Message != "bad identifier" || string(r.env.Data) != `["`+id+`"]` {
				t.Fatalf("raw before upload: %s", r.raw)
			}
		}},
	{name: "media /raw takes base64 bodies and stores the decoded bytes",
		source: "applications/crossbar/src/api_util.erl get_req_data/4 (application/base64 -> decode_base64/3)",
		run: func(t *testing.T, st *simT) {
			id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
			st.do("POST", st.acct("/media/"+id+"/raw"), st.token, "data:audio/mpeg;base64,SUQzAwAAAA==", "Content-Type", "application/base64").want(200)
			r := st.do("GET", st.acct("/media/"+id+"/raw"), st.token, nil).want(200)
			if r.header.Get("Content-Type") != "audio/mpeg" || string(r.raw) != "ID3\x03\x00\x00\x00" {
				t.Fatalf("decoded upload %q %s", r.raw, r.header.Get("Content-Type"))
			}
		}},
}
