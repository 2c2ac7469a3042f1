package kazoosim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzWrites sends arbitrary bodies to the write paths: the simulator must answer every one
// with a Crossbar envelope and a status Crossbar uses, never panic or store an invalid
// document. Run: go test -fuzz FuzzWrites -fuzztime 30s ./internal/kazoosim/
func FuzzWrites(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"name":"d"}}`, `{"data":{"name":"d","sip":{"username":"u","realm":"r"}}}`,
		`{"data":{"first_name":"a","last_name":"b","username":"A@B"}}`, `{"data":{"numbers":["4155550100"]}}`,
		`{"data":[1,2]}`, `{"data":null}`, `{"data":{"name":null}}`, `[]`, `{`, ``, `{"data":{"enabled":"true","name":"x"}}`,
		`{"data":{"name":"x","flow":{"module":"a","data":{},"children":{"_":{"module":"b","data":{}}}}}}`,
	} {
		for _, coll := range []string{"devices", "users", "callflows"} {
			f.Add(coll, "PUT", seed)
			f.Add(coll, "PATCH", seed)
		}
	}
	srv, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	tok, _ := srv.issueToken(srv.Master().AccountID, "", "cb_api_auth")
	acct := "/v2/accounts/" + srv.Master().AccountID
	// One document per collection for the PATCHes to land on.
	ids := map[string]string{}
	for coll, body := range map[string]string{"devices": `{"data":{"name":"seed"}}`,
		"users": `{"data":{"first_name":"s","last_name":"s"}}`, "callflows": `{"data":{"numbers":["9999"]}}`} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("PUT", acct+"/"+coll, bytes.NewBufferString(body))
		req.Header.Set("X-Auth-Token", tok)
		srv.ServeHTTP(rec, req)
		var env struct{ Data map[string]any }
		_ = json.Unmarshal(rec.Body.Bytes(), &env)
		ids[coll], _ = env.Data["id"].(string)
	}
	allowed := map[int]bool{200: true, 201: true, 400: true, 404: true, 405: true, 409: true, 413: true}
	f.Fuzz(func(t *testing.T, coll, method, body string) {
		if ids[coll] == "" || (method != "PUT" && method != "PATCH") {
			return
		}
		path := acct + "/" + coll
		if method == "PATCH" {
			path += "/" + ids[coll]
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, bytes.NewBufferString(body))
		req.Header.Set("X-Auth-Token", tok)
		srv.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("%s %s %q: status %d %s", method, coll, body, rec.Code, rec.Body)
		}
		var env map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("not JSON: %s", rec.Body)
		}
		if rec.Code >= 400 && (env["status"] != "error" || env["error"] == nil || env["message"] == nil) {
			t.Fatalf("error envelope: %s", rec.Body)
		}
		if rec.Code < 300 {
			// What was stored must itself be valid: GET it back and re-validate.
			data, _ := env["data"].(map[string]any)
			id, _ := data["id"].(string)
			get := httptest.NewRecorder()
			greq := httptest.NewRequest(http.MethodGet, acct+"/"+coll+"/"+id, nil)
			greq.Header.Set("X-Auth-Token", tok)
			srv.ServeHTTP(get, greq)
			if get.Code != 200 {
				t.Fatalf("stored document unreadable: %d %s", get.Code, get.Body)
			}
		}
	})
}
