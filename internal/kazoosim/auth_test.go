package kazoosim

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestAPIAuthEnvelope(t *testing.T) {
	st := newSim(t, Options{})
	r := st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": st.srv.Master().APIKey}}, "X-Request-ID", "req-1").want(201)
	if r.env.Status != "success" || r.env.AuthToken == "" || r.env.RequestID != "req-1" ||
		r.header.Get("X-Request-ID") != "req-1" || r.env.Version != Version || r.env.Node == "" ||
		r.env.Revision != "" {
		// A login answer has no document behind it, so no revision (crossbar_util:response/2).
		t.Fatalf("envelope: %s", r.raw)
	}
	if _, err := time.Parse(time.RFC3339, r.env.Timestamp); err != nil {
		t.Fatalf("timestamp %q: %v", r.env.Timestamp, err)
	}
	d := r.data()
	if d["account_id"] != st.master() || d["account_name"] != "master" || d["is_master_account"] != true {
		t.Fatalf("auth data: %v", d)
	}
	if _, ok := d["owner_id"]; ok {
		t.Fatal("API-key tokens have no owner_id")
	}
	if strings.Count(r.env.AuthToken, ".") != 2 {
		t.Fatalf("token is not a JWT: %s", r.env.AuthToken)
	}
}

func TestAPIAuthErrors(t *testing.T) {
	st := newSim(t, Options{})
	cases := []struct {
		name    string
		body    any
		status  int
		message string
	}{
		{"unknown key", obj{"data": obj{"api_key": strings.Repeat("a", 64)}}, 404, "bad identifier"},
		{"short key", obj{"data": obj{"api_key": "abc"}}, 400, "validation error"},
		{"missing key", obj{"data": obj{}}, 400, "validation error"}, // cb_api_auth:validate/1 validates first
		{"invalid json", `{"data":`, 400, "validation error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := st.do("PUT", "/v2/api_auth", "", tc.body).want(tc.status)
			if r.env.Status != "error" || r.env.Message != tc.message || r.env.Error != itoa(int64(tc.status)) {
				t.Fatalf("envelope: %s", r.raw)
			}
			if r.env.AuthToken != "undefined" {
				t.Fatalf("4.3 renders a missing token as undefined: %s", r.raw)
			}
		})
	}
	r := st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": strings.Repeat("b", 64)}})
	if string(r.env.Data) != `["`+strings.Repeat("b", 64)+`"]` {
		t.Fatalf("bad identifier data: %s", r.env.Data)
	}
	r = st.do("PUT", "/v2/api_auth", "", `{"data":`)
	if !strings.Contains(string(r.env.Data), `"json":{"invalid":{"message":`) || !strings.Contains(string(r.env.Data), `"target":"body"`) {
		t.Fatalf("invalid JSON data: %s", r.env.Data)
	}
}

func TestUserAuth(t *testing.T) {
	st := newSim(t, Options{Username: "Admin", Password: "s3cret", AccountName: "Master Co"})
	md5c := md5.Sum([]byte("admin:s3cret"))
	sha := sha1.Sum([]byte("admin:s3cret"))
	realm := st.as("GET", st.acct(""), nil).want(200).data()["realm"].(string)
	cases := []struct {
		name   string
		data   obj
		status int
	}{
		{"md5 by name", obj{"credentials": hex.EncodeToString(md5c[:]), "account_name": "Master Co"}, 201},
		{"name is normalized", obj{"credentials": hex.EncodeToString(md5c[:]), "account_name": "master co"}, 201},
		{"sha by realm", obj{"credentials": hex.EncodeToString(sha[:]), "method": "sha", "account_realm": realm}, 201},
		{"realm alias", obj{"credentials": hex.EncodeToString(md5c[:]), "realm": realm}, 201},
		{"wrong password", obj{"credentials": md5hex("admin:nope"), "account_name": "Master Co"}, 401},
		{"sha hash with md5 method", obj{"credentials": hex.EncodeToString(sha[:]), "account_name": "Master Co"}, 401},
		{"unknown account", obj{"credentials": hex.EncodeToString(md5c[:]), "account_name": "nobody"}, 401},
		{"credentials required", obj{"account_name": "Master Co"}, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := st.do("PUT", "/v2/user_auth", "", obj{"data": tc.data}).want(tc.status)
			if tc.status == 201 {
				d := r.data()
				if d["account_id"] != st.master() || d["owner_id"] == nil || d["owner_id"] == "" {
					t.Fatalf("user auth data: %v", d)
				}
				st.do("GET", st.acct(""), r.env.AuthToken, nil).want(200)
			}
		})
	}
	// By phone number: the number belongs to the account.
	st.as("PUT", st.acct("/phone_numbers/%2B14155550100"), obj{}).want(201)
	st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": hex.EncodeToString(md5c[:]), "phone_number": "+14155550100"}}).want(201)
	if got := st.srv.Stats().Logins; got < 5 {
		t.Fatalf("logins counted: %d", got)
	}
}

func TestTokens401(t *testing.T) {
	// Long enough for the checks below on a loaded machine; the expiry is waited for.
	st := newSim(t, Options{TokenTTL: 3 * time.Second})
	issued := time.Now()
	path := st.acct("")
	r := st.do("GET", path, "", nil).want(401)
	if r.env.Message != "invalid_credentials" || string(r.env.Data) != `{"message":"invalid credentials"}` {
		t.Fatalf("missing token: %s", r.raw)
	}
	// Forged: same claims, another key.
	other, err := New(Options{AccountID: st.master()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	forged, _ := other.issueToken(st.master(), "", "cb_api_auth")
	st.do("GET", path, forged, nil).want(401)
	st.do("GET", path, "not-a-jwt", nil).want(401)
	// Tampered payload.
	parts := strings.Split(st.token, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"account_id":"` + st.master() + `","iss":"kazoo","exp":9999999999}`))
	st.do("GET", path, strings.Join(parts, "."), nil).want(401)
	// X-Auth-Account-ID must name the token's account.
	st.do("GET", path, st.token, nil, "X-Auth-Account-ID", strings.Repeat("0", 32)).want(401)
	st.do("GET", path, st.token, nil, "X-Auth-Account-ID", st.master()).want(200)
	// The token may also travel in the envelope.
	st.do("PATCH", path, "", obj{"auth_token": st.token, "data": obj{"language": "en-us"}}).want(200)
	// A valid token works through the header and the query string.
	st.do("GET", path, st.token, nil).want(200)
	st.do("GET", path+"?auth_token="+st.token, "", nil).want(200)
	// Expired.
	time.Sleep(time.Until(issued.Add(3100 * time.Millisecond)))
	r = st.do("GET", path, st.token, nil).want(401)
	if r.env.Message != "invalid credentials" || string(r.env.Data) != "{}" {
		t.Fatalf("expired token: %s", r.raw)
	}
}

func TestAuthRefresh(t *testing.T) {
	st := newSim(t, Options{})
	r := st.do("PUT", "/v2/auth", st.token, obj{"action": "refresh_token", "data": obj{}}).want(201)
	if r.env.AuthToken == "" || r.env.AuthToken == st.token {
		t.Fatalf("no new token: %s", r.raw)
	}
	st.do("GET", st.acct(""), r.env.AuthToken, nil).want(200)
	st.do("PUT", "/v2/auth", "", obj{"action": "refresh_token", "data": obj{}}).want(401)
	st.do("PUT", "/v2/auth", st.token, obj{"action": "other", "data": obj{}}).want(400)
}

func TestBasicAuth(t *testing.T) {
	st := newSim(t, Options{Username: "admin", Password: "pw"})
	cred := base64.StdEncoding.EncodeToString([]byte(st.master() + ":" + md5hex("admin:pw")))
	st.do("GET", st.acct(""), "", nil, "Authorization", "Basic "+cred).want(200)
	bad := base64.StdEncoding.EncodeToString([]byte(st.master() + ":" + md5hex("admin:no")))
	st.do("GET", st.acct(""), "", nil, "Authorization", "Basic "+bad).want(401)
}

func TestAPIKeyEndpoint(t *testing.T) {
	st := newSim(t, Options{})
	r := st.as("GET", st.acct("/api_key"), nil).want(200)
	if r.data()["api_key"] != st.srv.Master().APIKey {
		t.Fatalf("api_key: %s", r.raw)
	}
	childID, childKey := st.child(st.master(), "child one")
	// An API-key token names no user, so it is no account admin (cb_context:is_account_admin/1).
	st.do("PUT", "/v2/accounts/"+childID+"/api_key", st.login(childKey), nil).want(403)
	m := st.srv.Master()
	adminTok := st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex(m.Username + ":" + m.Password),
		"account_name": m.AccountName}}).want(201).env.AuthToken
	r = st.do("PUT", "/v2/accounts/"+childID+"/api_key", adminTok, nil).want(201)
	newKey := r.data()["api_key"].(string)
	if newKey == childKey || len(newKey) != 64 {
		t.Fatalf("key not regenerated: %s", r.raw)
	}
	st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": childKey}}).want(404)
	st.login(newKey)
	if v := st.as("GET", "/v2/accounts/"+childID+"?include_api_key=true", nil).want(200).data()["api_key"]; v != newKey {
		t.Fatalf("include_api_key: %v", v)
	}
}

func TestAccountTreeAuthorization(t *testing.T) {
	st := newSim(t, Options{})
	a, aKey := st.child(st.master(), "reseller a")
	a1, _ := st.child(a, "a one")
	b, _ := st.child(st.master(), "sibling b")
	tokA := st.login(aKey)
	cases := []struct {
		path   string
		status int
	}{
		{"/v2/accounts/" + a, 200},
		{"/v2/accounts/" + a1, 200},
		{"/v2/accounts/" + a1 + "/devices", 200},
		{"/v2/accounts/" + st.master(), 403},
		{"/v2/accounts/" + b, 403},
		{"/v2/accounts/" + b + "/users", 403},
		{"/v2/accounts/" + st.master() + "/children", 403},
	}
	for _, tc := range cases {
		r := st.do("GET", tc.path, tokA, nil).want(tc.status)
		if tc.status == 403 && (r.env.Message != "forbidden" || string(r.env.Data) != `{"message":"forbidden"}`) {
			t.Fatalf("403 envelope: %s", r.raw)
		}
	}
	// The device_type rule applies to a non-superduper token.
	st.do("PUT", "/v2/accounts/"+a1+"/devices", tokA, obj{"data": obj{"id": strings.Repeat("d", 32), "name": "d", "device_type": "sip_device"}}).want(201)
	r := st.do("POST", "/v2/accounts/"+a1+"/devices/"+strings.Repeat("d", 32), tokA, obj{"data": obj{"name": "d"}})
	r.hasError("device_type", "invalid")
	st.do("PATCH", "/v2/accounts/"+a1+"/devices/"+strings.Repeat("d", 32), tokA, obj{"data": obj{"name": "renamed"}}).want(200)
	st.do("PATCH", "/v2/accounts/"+a1+"/devices/"+strings.Repeat("d", 32), tokA, obj{"data": obj{"device_type": "softphone"}}).hasError("device_type", "invalid")
	// The superduper admin may change it.
	st.as("PATCH", "/v2/accounts/"+a1+"/devices/"+strings.Repeat("d", 32), obj{"device_type": "softphone"}).want(200)
}

// TestSecurityTokenExpiry: /security sets how long an account's tokens live, inherited by
// its descendants (crossbar_auth token_auth_expiry_s).
func TestSecurityTokenExpiry(t *testing.T) {
	st := newSim(t, Options{TokenTTL: 2 * time.Hour})
	r := st.as("GET", st.acct("/security"), nil).want(200)
	inherited := r.data()["inherited_config"].(map[string]any)["auth_modules"].(map[string]any)
	if inherited["cb_api_auth"].(map[string]any)["token_auth_expiry_s"] != 7200.0 || len(r.data()["account"].(map[string]any)) != 0 {
		t.Fatalf("defaults: %s", r.raw)
	}
	parent, _ := st.child(st.master(), "short tokens")
	kid, kidKey := st.child(parent, "inherits")
	st.as("POST", "/v2/accounts/"+parent+"/security", obj{}).hasError("auth_modules", "required")
	st.as("POST", "/v2/accounts/"+parent+"/security", obj{"auth_modules": obj{"cb_api_auth": obj{"token_auth_expiry_s": 1}}}).want(200)
	st.as("PATCH", "/v2/accounts/"+parent+"/security", obj{"auth_modules": obj{"cb_user_auth": obj{"enabled": true}}}).want(200)
	own := st.as("GET", "/v2/accounts/"+parent+"/security", nil).want(200).data()["account"].(map[string]any)["auth_modules"].(map[string]any)
	if own["cb_api_auth"] == nil || own["cb_user_auth"] == nil {
		t.Fatalf("PATCH did not merge: %v", own)
	}
	tok := st.login(kidKey)
	st.do("GET", "/v2/accounts/"+kid, tok, nil).want(200)
	time.Sleep(2100 * time.Millisecond)
	st.do("GET", "/v2/accounts/"+kid, tok, nil).want(401)
	// The master's own tokens keep the simulator's lifetime.
	st.do("GET", st.acct(""), st.token, nil).want(200)
	st.as("DELETE", "/v2/accounts/"+parent+"/security", nil).want(200)
	st.as("DELETE", "/v2/accounts/"+parent+"/security", nil).want(404)
}
