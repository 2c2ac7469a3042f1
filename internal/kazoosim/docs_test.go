package kazoosim

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// contains reports whether got holds every key of want with an equal value, recursively for
// objects; it returns the first difference.
func subset(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %v", path, got)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s.%s: missing", path, k)
			}
			if d := subset(wv, gv, path+"."+k); d != "" {
				return d
			}
		}
		return ""
	default:
		if !reflect.DeepEqual(want, got) {
			return fmt.Sprintf("%s: want %v, got %v", path, want, got)
		}
		return ""
	}
}

// TestDocumentedExchanges replays request/response pairs from Crossbar's API documentation
// (4.3): the request as documented, and the documented response fields that KAZOO 4.3's schemas
// and modules produce. Values the documentation shows as placeholders ({ACCOUNT_ID}) are left out.
func TestDocumentedExchanges(t *testing.T) {
	st := newSim(t, Options{})
	cases := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"users.md create", "PUT", "/users", `{"data":{"first_name":"User", "last_name":"Three"}}`, 201,
			`{"call_restriction":{},"contact_list":{},"enabled":true,"first_name":"User",
			  "hotdesk":{"enabled":false,"keep_logged_in_elsewhere":false,"require_pin":false},
			  "last_name":"Three","music_on_hold":{},"priv_level":"user","require_password_update":false,
			  "ringtones":{},"verified":false,"vm_to_email_enabled":true}`},
		{"devices.md create", "PUT", "/devices", `{"data":{"name":"New Device"}}`, 201,
			`{"call_restriction":{},"contact_list":{},"enabled":true,"exclude_from_queues":false,
			  "music_on_hold":{},"mwi_unsolicited_updates":true,"name":"New Device","register_overwrite_notify":false,
			  "ringtones":{},"sip":{"method":"password"},"suppress_unregister_notifications":false}`},
		{"devices.md authn-by-ip", "PUT", "/devices",
			`{"data":{"enabled":true,"name":"authn_by_ip","sip":{"invite_format":"e164", "ip":"10.0.0.1","method":"ip"}}}`, 201,
			`{"enabled":true,"name":"authn_by_ip","sip":{"invite_format":"e164","ip":"10.0.0.1","method":"ip"}}`},
		{"groups.md create", "PUT", "/groups",
			`{"data":{"music_on_hold":{},"name":"Test group","endpoints":{"df9274b450ea6795cdb381055c3f9b45":{"type":"user","weight":1},"dd03d7442a4bec5c092ea6a0e6d579ef":{"type":"device","weight":2}}}}`, 201,
			`{"music_on_hold":{},"name":"Test group","endpoints":{"df9274b450ea6795cdb381055c3f9b45":{"type":"user","weight":1},"dd03d7442a4bec5c092ea6a0e6d579ef":{"type":"device","weight":2}}}`},
		{"temporal_rules.md create", "PUT", "/temporal_rules",
			`{"data":{"time_window_start":0,"time_window_stop":86400,"days":[25],"name":"Christmas","cycle":"yearly","month":12,"ordinal":"every"}}`, 201,
			`{"time_window_start":0,"time_window_stop":86400,"days":[25],"name":"Christmas","cycle":"yearly","start_date":62586115200,"month":12,"ordinal":"every","interval":1}`},
		{"accounts.md create", "PUT", "", `{"data":{"name":"child account"}}`, 201,
			`{"billing_mode":"manual","call_restriction":{},"enabled":true,"is_reseller":false,"music_on_hold":{},
			  "name":"child account","preflow":{},"ringtones":{},"superduper_admin":false,"timezone":"America/Los_Angeles",
			  "wnm_allow_additions":false}`},
		{"phone_numbers.md add", "PUT", "/phone_numbers/%2B14158867900", `{"data": {"my_own_field": {}}}`, 201,
			`{"_read_only":{"state":"reserved"},"id":"+14158867900","state":"reserved","my_own_field":{}}`},
		{"phone_numbers.md exists", "PUT", "/phone_numbers/%2B14158867900", `{"data": {}}`, 409,
			`{"cause":"+14158867900","code":409,"error":"number_exists","message":"number +14158867900 already exists"}`},
		{"whitelabeling.md create", "PUT", "/whitelabel", `{"data": {"domain": "some.realm.com"}}`, 201,
			`{"domain":"some.realm.com","hide_credits":false,"hide_powered":false,"hide_registration":false}`},
		{"basics.md 404", "GET", "/devices/0123456789abcdef0123456789abcdef", ``, 404,
			`{"cause":"0123456789abcdef0123456789abcdef","message":"bad identifier"}`},
		{"limits.md defaults", "GET", "/limits", ``, 200, `{"allow_prepay":true}`},
		{"metaflows.md defaults", "POST", "/metaflows", `{"data":{"numbers":{"2":{"module":"transfer","data":{"takeback_dtmf":"*1"}}}}}`, 200,
			`{"binding_digit":"*","numbers":{"2":{"module":"transfer","data":{"takeback_dtmf":"*1"}}}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			r := st.do(tc.method, st.acct(tc.path), st.token, body).want(tc.status)
			var want, got any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatalf("bad expectation: %v", err)
			}
			_ = json.Unmarshal(r.env.Data, &got)
			if d := subset(want, got, "data"); d != "" {
				t.Fatalf("%s\n%s", d, r.raw)
			}
		})
	}
}

// TestDocumentedVerbInEnvelope: groups.md updates through POST with "verb" in the envelope.
func TestDocumentedVerbInEnvelope(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/groups"), obj{"name": "Test group", "endpoints": obj{}}).want(201).data()["id"].(string)
	r := st.do("POST", st.acct("/groups/"+id), st.token, `{"data":{"ui_metadata":{"ui":"kazoo-ui"}},"verb":"PATCH"}`).want(200)
	if r.data()["name"] != "Test group" || r.data()["ui_metadata"] == nil {
		t.Fatalf("tunnelled PATCH: %s", r.raw)
	}
	st.do("POST", st.acct("/groups/"+id), st.token, `{"data":{},"verb":"DELETE"}`).want(200)
	st.as("GET", st.acct("/groups/"+id), nil).want(404)
}

// TestDocumentedUnauthenticated: how_to_authenticate.md's 401 body.
func TestDocumentedUnauthenticated(t *testing.T) {
	st := newSim(t, Options{})
	r := st.do("GET", st.acct("/users"), "", nil).want(401)
	var env map[string]any
	_ = json.Unmarshal(r.raw, &env)
	for _, k := range []string{"data", "error", "message", "status", "timestamp", "version", "node", "request_id", "auth_token"} {
		if _, ok := env[k]; !ok {
			t.Fatalf("401 lacks %s: %s", k, r.raw)
		}
	}
	if env["status"] != "error" || env["error"] != "401" || env["message"] != "invalid_credentials" ||
		!strings.Contains(string(r.raw), `"data":{"message":"invalid credentials"}`) {
		t.Fatalf("401: %s", r.raw)
	}
}
