package kazoosim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// A test starts the simulator in-process, logs in with the master API key and works in the
// master account, as it would against Crossbar.
func ExampleNew() {
	srv, err := kazoosim.New(kazoosim.Options{AccountName: "example"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	m := srv.Master()

	call := func(method, path, token, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("X-Auth-Token", token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		var env map[string]any
		_ = json.NewDecoder(res.Body).Decode(&env)
		return res.StatusCode, env
	}

	status, env := call("PUT", "/v2/api_auth", "", `{"data":{"api_key":"`+m.APIKey+`"}}`)
	token := env["auth_token"].(string)
	fmt.Println("login:", status)

	status, env = call("PUT", "/v2/accounts/"+m.AccountID+"/devices", token, `{"data":{"name":"Desk phone"}}`)
	device := env["data"].(map[string]any)
	fmt.Println("create:", status, device["name"], device["enabled"])

	status, env = call("PUT", "/v2/accounts/"+m.AccountID+"/devices", token, `{"data":{}}`)
	fmt.Println("invalid:", status, env["message"], env["data"])
	// Output:
	// login: 201
	// create: 201 Desk phone true
	// invalid: 400 validation error map[name:map[required:map[message:Field is required but missing value:name]]]
}
