package kazoosim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// simT is a simulator under test with a logged-in master token.
type simT struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	token string
}

func newSim(t testing.TB, opts Options) *simT {
	t.Helper()
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	st := &simT{t: t, srv: srv, ts: ts}
	st.token = st.login(srv.Master().APIKey)
	return st
}

func (st *simT) master() string { return st.srv.Master().AccountID }

func (st *simT) login(apiKey string) string {
	st.t.Helper()
	r := st.do("PUT", "/v2/api_auth", "", map[string]any{"data": map[string]any{"api_key": apiKey}})
	r.want(201)
	return r.env.AuthToken
}

// resp is a decoded response.
type resp struct {
	t      testing.TB
	status int
	header http.Header
	raw    []byte
	env    struct {
		Status       string          `json:"status"`
		Error        string          `json:"error"`
		Message      string          `json:"message"`
		Data         json.RawMessage `json:"data"`
		Revision     string          `json:"revision"`
		RequestID    string          `json:"request_id"`
		AuthToken    string          `json:"auth_token"`
		Node         string          `json:"node"`
		Timestamp    string          `json:"timestamp"`
		Version      string          `json:"version"`
		PageSize     *int            `json:"page_size"`
		StartKey     string          `json:"start_key"`
		NextStartKey string          `json:"next_start_key"`
	}
}

func (r *resp) want(status int) *resp {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// data decodes the envelope's data as a map.
func (r *resp) data() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.env.Data, &m); err != nil {
		r.t.Fatalf("data is not an object: %s", r.raw)
	}
	return m
}

func (r *resp) list() []any {
	r.t.Helper()
	var l []any
	if err := json.Unmarshal(r.env.Data, &l); err != nil {
		r.t.Fatalf("data is not an array: %s", r.raw)
	}
	return l
}

// hasError asserts a validation error rule on a path.
func (r *resp) hasError(path, rule string) {
	r.t.Helper()
	if r.status != 400 || r.env.Message != "validation error" {
		r.t.Fatalf("want 400 validation error, got %d %s", r.status, r.raw)
	}
	d := r.data()
	p, ok := d[path].(map[string]any)
	if !ok {
		r.t.Fatalf("no error on %q: %s", path, r.raw)
	}
	if _, ok := p[rule]; !ok {
		r.t.Fatalf("no %q error on %q: %s", rule, path, r.raw)
	}
}

func (st *simT) do(method, path, token string, body any, hdr ...string) *resp {
	st.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			st.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, st.ts.URL+path, rd)
	if err != nil {
		st.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := st.ts.Client().Do(req)
	if err != nil {
		st.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := &resp{t: st.t, status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.env); err != nil {
			st.t.Fatalf("bad JSON %s: %v", raw, err)
		}
	}
	return r
}

// as is do with the master token.
func (st *simT) as(method, path string, data any) *resp {
	st.t.Helper()
	var body any
	if data != nil {
		body = map[string]any{"data": data}
	}
	return st.do(method, path, st.token, body)
}

func (st *simT) acct(rest string) string { return "/v2/accounts/" + st.master() + rest }

// child creates a sub-account of parent and returns its id and API key.
func (st *simT) child(parent, name string) (string, string) {
	st.t.Helper()
	r := st.as("PUT", "/v2/accounts/"+parent, map[string]any{"name": name}).want(201)
	id := r.data()["id"].(string)
	k := st.as("GET", "/v2/accounts/"+id+"/api_key", nil).want(200)
	return id, k.data()["api_key"].(string)
}

type obj = map[string]any

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonNumber(s string) json.Number { return json.Number(s) }
