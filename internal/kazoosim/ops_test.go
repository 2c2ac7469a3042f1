package kazoosim

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	st := newSim(t, Options{BucketSize: 100, BucketRate: 0.001})
	// The bucket is the client IP's and the path's account: 100 requests, then 429.
	path := st.acct("")
	for i := 0; i < 100; i++ {
		st.do("GET", path, st.token, nil).want(200)
	}
	r := st.do("GET", path, st.token, nil).want(429)
	if r.env.Message != "too_many_requests" || string(r.env.Data) != `{"message":"too many requests"}` || r.env.Error != "429" {
		t.Fatalf("429 envelope: %s", r.raw)
	}
	if r.header.Get("Retry-After") != "" {
		t.Fatal("KAZOO sends no Retry-After")
	}
}

// TestRateLimitLogins: a login takes 35 tokens (or what is left) from the bucket of requests
// that name no account, before its credentials are read.
func TestRateLimitLogins(t *testing.T) {
	st := newSim(t, Options{BucketSize: 100, BucketRate: 0.001}) // newSim logged in once: 65 left
	key := st.srv.Master().APIKey
	bad := obj{"data": obj{"api_key": strings.Repeat("f", 64)}}
	st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}).want(201) // 30 left
	st.do("PUT", "/v2/api_auth", "", bad).want(404)                              // takes the last 30
	st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}).want(429)
	st.do("PUT", "/v2/user_auth", "", obj{"data": obj{"credentials": md5hex("admin:x"), "account_name": "master"}}).want(429)
	// Requests naming an account use that account's bucket, untouched by logins.
	st.do("GET", st.acct(""), st.token, nil).want(200)
}

func TestRateLimitRefill(t *testing.T) {
	st := newSim(t, Options{BucketSize: 100, BucketRate: 50})
	key := st.srv.Master().APIKey
	for i := 0; i < 2; i++ {
		st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}).want(201)
	}
	st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}).want(429)
	time.Sleep(800 * time.Millisecond) // 50/s refills 40 tokens
	st.do("PUT", "/v2/api_auth", "", obj{"data": obj{"api_key": key}}).want(201)
}

func TestRateLimitPerAccount(t *testing.T) {
	st := newSim(t, Options{BucketSize: 100, BucketRate: 0.001})
	child, childKey := st.child(st.master(), "own bucket") // 1 request on the master's bucket, 1 on the child's
	childTok := st.login(childKey)
	for i := 0; i < 99; i++ {
		st.do("GET", st.acct(""), st.token, nil).want(200)
	}
	st.do("GET", st.acct(""), st.token, nil).want(429)
	// Another account's path has its own bucket, whoever asks.
	st.do("GET", "/v2/accounts/"+child, childTok, nil).want(200)
	st.do("GET", "/v2/accounts/"+child, st.token, nil).want(200)
}

func TestStats(t *testing.T) {
	st := newSim(t, Options{})
	dev := st.as("PUT", st.acct("/devices"), obj{"name": "d"}).want(201).data()["id"].(string)
	st.as("PATCH", st.acct("/devices/"+dev), obj{"name": "e"}).want(200)
	st.as("PATCH", st.acct("/devices/"+dev), obj{"name": "f"}).want(200)
	st.as("GET", st.acct("/phone_numbers/%2B15555550100"), nil).want(404)
	r := st.do("GET", "/sim/stats", st.token, nil).want(200)
	var stats Stats
	if err := jsonUnmarshal(r.raw, &stats); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"PUT /v2/api_auth":                                     1,
		"PUT /v2/accounts/{ACCOUNT_ID}/devices":                1,
		"PATCH /v2/accounts/{ACCOUNT_ID}/devices/{ID}":         2,
		"GET /v2/accounts/{ACCOUNT_ID}/phone_numbers/{NUMBER}": 1,
	}
	for k, v := range want {
		if stats.Requests[k] != v {
			t.Fatalf("%s = %d, want %d (%v)", k, stats.Requests[k], v, stats.Requests)
		}
	}
	if stats.Logins != 1 || stats.Total != 5 {
		t.Fatalf("logins %d total %d", stats.Logins, stats.Total)
	}
	// Only the master account's token may read or reset them.
	_, childKey := st.child(st.master(), "stats child")
	childTok := st.login(childKey)
	st.do("GET", "/sim/stats", childTok, nil).want(403)
	st.do("GET", "/sim/stats", "", nil).want(401)
	st.do("POST", "/sim/stats/reset", childTok, nil).want(403)
	st.do("POST", "/sim/stats/reset", st.token, nil).want(200)
	if s := st.srv.Stats(); s.Total != 0 || s.Logins != 0 {
		t.Fatalf("after reset: %+v", s)
	}
}

func TestLatency(t *testing.T) {
	st := newSim(t, Options{Latency: 60 * time.Millisecond})
	start := time.Now()
	st.as("GET", st.acct(""), nil).want(200)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("latency not applied: %v", d)
	}
}

// faultRun replays a fixed request sequence and records each outcome.
func faultRun(t *testing.T, seed int64) []string {
	st := newSim(t, Options{FaultRate: 0.5, FaultSeed: seed})
	var out []string
	for i := 0; i < 40; i++ {
		id := fmt.Sprintf("%032x", i+1)
		req, _ := http.NewRequest("PUT", st.ts.URL+st.acct("/menus"), strings.NewReader(`{"data":{"id":"`+id+`","name":"m`+id+`"}}`))
		req.Header.Set("X-Auth-Token", st.token)
		res, err := st.ts.Client().Do(req)
		outcome := ""
		if err != nil {
			outcome = "dropped"
		} else {
			outcome = res.Status
			res.Body.Close()
		}
		// Whether the write landed, whatever the answer said.
		_, _, applied := st.srv.st.get(st.master(), id)
		out = append(out, fmt.Sprintf("%s applied=%v", outcome, applied))
	}
	return out
}

func TestFaultInjectionIsSeededAndSometimesAfterTheWrite(t *testing.T) {
	a, b := faultRun(t, 7), faultRun(t, 7)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	c := faultRun(t, 8)
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Fatal("different seeds gave the same faults")
	}
	seen := map[string]bool{}
	for _, o := range append(a, c...) {
		seen[o] = true
	}
	for _, want := range []string{"201 Created applied=true", "500 Internal Server Error applied=false",
		"500 Internal Server Error applied=true", "503 Service Unavailable applied=false",
		"429 Too Many Requests applied=false", "dropped applied=false", "dropped applied=true"} {
		if !seen[want] {
			t.Errorf("never saw %q in %v", want, seen)
		}
	}
	// Logins are never faulted.
	st := newSim(t, Options{FaultRate: 1})
	for i := 0; i < 10; i++ {
		st.login(st.srv.Master().APIKey)
	}
}

func TestConcurrentPatchesNeverLoseAWrite(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/devices"), obj{"name": "shared"}).want(201).data()["id"].(string)
	const writers = 16
	var wg sync.WaitGroup
	statuses := make([]int, writers)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := st.do("PATCH", st.acct("/devices/"+id), st.token, obj{"data": obj{fmt.Sprintf("k%d", i): i}})
			statuses[i] = r.status
		}(i)
	}
	wg.Wait()
	final := st.as("GET", st.acct("/devices/"+id), nil).want(200).data()
	ok := 0
	for i, s := range statuses {
		switch s {
		case 200:
			ok++
			if _, found := final[fmt.Sprintf("k%d", i)]; !found {
				t.Fatalf("acknowledged write k%d lost: %v", i, final)
			}
		case 409:
		default:
			t.Fatalf("unexpected status %d", s)
		}
	}
	if ok == 0 {
		t.Fatal("no write succeeded")
	}
	t.Logf("%d of %d concurrent PATCHes succeeded, the rest got 409", ok, writers)
}

func TestConflictIs409(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/devices"), obj{"name": "x"}).want(201).data()["id"].(string)
	d, rev, _ := st.srv.st.get(st.master(), id)
	if _, err := st.srv.st.put(st.master(), id, d, rev); err != nil {
		t.Fatal(err)
	}
	// The same stale revision now conflicts, as a CouchDB save would.
	if _, err := st.srv.st.put(st.master(), id, d, rev); err != errConflict {
		t.Fatalf("stale save: %v", err)
	}
	r := &resp{}
	_ = r
	e := storeError(errConflict)
	if e.status != 409 || e.message != "datastore_conflict" {
		t.Fatalf("409 mapping: %+v", e)
	}
}

func TestIfMatch(t *testing.T) {
	st := newSim(t, Options{})
	r := st.as("PUT", st.acct("/devices"), obj{"name": "x"}).want(201)
	id := r.data()["id"].(string)
	st.do("PATCH", st.acct("/devices/"+id), st.token, obj{"data": obj{"name": "y"}}, "If-Match", `"1-stale"`).want(412)
	st.do("PATCH", st.acct("/devices/"+id), st.token, obj{"data": obj{"name": "y"}}, "If-Match", `"`+r.env.Revision+`"`).want(200)
}

func TestBodyErrors(t *testing.T) {
	st := newSim(t, Options{})
	r := st.do("PUT", st.acct("/devices"), st.token, `{"data":{"name":`).want(400)
	if !strings.Contains(string(r.env.Data), `"json":{"invalid"`) {
		t.Fatalf("invalid JSON: %s", r.raw)
	}
	st.do("PUT", st.acct("/devices"), st.token, `{"data":"text"}`).want(400)
	st.do("PUT", st.acct("/devices"), st.token, `[1,2]`).want(400)
	big := `{"data":{"name":"` + strings.Repeat("x", maxUploadSize) + `"}}`
	r = st.do("PUT", st.acct("/devices"), st.token, big).want(413)
	if !strings.Contains(string(r.env.Data), `"file":{"maxSize"`) {
		t.Fatalf("413: %s", r.raw)
	}
}

func TestVerbTunnelling(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/devices"), obj{"name": "x"}).want(201).data()["id"].(string)
	st.do("POST", st.acct("/devices/"+id+"?verb=DELETE"), st.token, nil).want(200)
	st.as("GET", st.acct("/devices/"+id), nil).want(404)
}

func TestAcceptChargesMode(t *testing.T) {
	st := newSim(t, Options{RequireAcceptCharges: true})
	r := st.as("PUT", st.acct("/devices"), obj{"name": "billable"}).want(402)
	if r.env.Message != "accept charges" || !strings.Contains(string(r.env.Data), `"devices":{"sip_device"`) {
		t.Fatalf("402: %s", r.raw)
	}
	st.do("PUT", st.acct("/devices"), st.token, obj{"data": obj{"name": "billable"}, "accept_charges": true}).want(201)
	st.do("PUT", st.acct("/devices?accept_charges=true"), st.token, obj{"data": obj{"name": "billable2"}}).want(201)
	st.as("PUT", st.acct("/menus"), obj{"name": "free"}).want(201)
	st.as("PUT", st.acct("/phone_numbers/%2B14155550199"), obj{}).want(402)
}

func TestPhoneNumbers(t *testing.T) {
	st := newSim(t, Options{})
	r := st.as("PUT", st.acct("/phone_numbers/%2B14155550100"), obj{"my_own_field": obj{}}).want(201)
	d := r.data()
	if d["id"] != "+14155550100" || d["state"] != "reserved" || d["_read_only"] == nil {
		t.Fatalf("create: %s", r.raw)
	}
	// A literal + in the path works too.
	st.as("GET", st.acct("/phone_numbers/+14155550100"), nil).want(200)
	r = st.as("PUT", st.acct("/phone_numbers/%2B14155550100"), obj{}).want(409)
	if r.env.Message != "number_exists" {
		t.Fatalf("409: %s", r.raw)
	}
	// Another account cannot take it either.
	child, _ := st.child(st.master(), "numbers child")
	st.as("PUT", "/v2/accounts/"+child+"/phone_numbers/%2B14155550100", obj{}).want(409)
	st.as("PUT", st.acct("/phone_numbers/%2B14155550101"), obj{"create_with_state": "in_service"}).want(201)
	st.as("PUT", st.acct("/phone_numbers/%2B14155550102"), obj{"create_with_state": "bogus"}).hasError("create_with_state", "enum")
	// The listing is a map keyed by number.
	r = st.as("GET", st.acct("/phone_numbers"), nil).want(200)
	nums := r.data()["numbers"].(map[string]any)
	if len(nums) != 2 || nums["+14155550101"].(map[string]any)["state"] != "in_service" || r.data()["cascade_quantity"] != 0.0 {
		t.Fatalf("listing: %s", r.raw)
	}
	r = st.as("GET", st.acct("/phone_numbers?filter_state=in_service"), nil).want(200)
	if nums := r.data()["numbers"].(map[string]any); len(nums) != 1 || nums["+14155550101"] == nil {
		t.Fatalf("phone_numbers.md: ?filter_state=in_service: %s", r.raw)
	}
	r = st.as("GET", st.acct("/phone_numbers?page_size=1"), nil).want(200)
	if len(r.data()["numbers"].(map[string]any)) != 1 || r.env.NextStartKey == "" {
		t.Fatalf("paged listing: %s", r.raw)
	}
	// PATCH merges, POST replaces public fields.
	st.as("PATCH", st.acct("/phone_numbers/%2B14155550100"), obj{"cnam": obj{"display_name": "ACME"}}).want(200)
	r = st.as("GET", st.acct("/phone_numbers/%2B14155550100"), nil).want(200)
	if r.data()["my_own_field"] == nil || r.data()["cnam"] == nil {
		t.Fatalf("PATCH: %s", r.raw)
	}
	r = st.as("POST", st.acct("/phone_numbers/%2B14155550100"), obj{"cnam": obj{"display_name": "ACME"}}).want(200)
	if _, ok := r.data()["my_own_field"]; ok {
		t.Fatalf("POST kept a field: %s", r.raw)
	}
	st.as("PATCH", st.acct("/phone_numbers/%2B14155550100"), obj{"e911": obj{"street_address": "1 Main"}}).hasError("e911.locality", "required")
	st.as("DELETE", st.acct("/phone_numbers/%2B14155550100"), nil).want(200)
	st.as("GET", st.acct("/phone_numbers/%2B14155550100"), nil).want(404)
	// A released number can be added again.
	st.as("PUT", "/v2/accounts/"+child+"/phone_numbers/%2B14155550100", obj{}).want(201)
}

func TestSingletons(t *testing.T) {
	st := newSim(t, Options{})
	// limits: defaults before the first POST; no PUT, PATCH or DELETE.
	r := st.as("GET", st.acct("/limits"), nil).want(200)
	if r.data()["allow_prepay"] != true {
		t.Fatalf("limits defaults: %s", r.raw)
	}
	st.as("POST", st.acct("/limits"), obj{"twoway_trunks": 5, "allow_postpay": true}).want(200)
	r = st.as("GET", st.acct("/limits"), nil).want(200)
	if r.data()["twoway_trunks"] != 5.0 || r.data()["allow_postpay"] != false || r.data()["max_postpay_amount"] != 0.0 {
		t.Fatalf("limits: %s", r.raw)
	}
	for _, m := range []string{"PUT", "PATCH", "DELETE"} {
		st.as(m, st.acct("/limits"), obj{}).want(405)
	}
	st.as("POST", st.acct("/limits"), obj{"twoway_trunks": -1}).hasError("twoway_trunks", "minimum")
	// Under a reseller, only the reseller (or a superduper admin) sets limits; accounts whose
	// reseller is the master account may set their own.
	c, cKey := st.child(st.master(), "limits reseller")
	st.as("PUT", "/v2/accounts/"+c+"/reseller", nil).want(201)
	g, gKey := st.child(c, "limits grandchild")
	st.do("POST", "/v2/accounts/"+g+"/limits", st.login(gKey), obj{"data": obj{"twoway_trunks": 9}}).want(403)
	st.do("POST", "/v2/accounts/"+g+"/limits", st.login(cKey), obj{"data": obj{"twoway_trunks": 9}}).want(200)
	st.do("POST", "/v2/accounts/"+c+"/limits", st.login(cKey), obj{"data": obj{"twoway_trunks": 9}}).want(200)
	if st.as("GET", "/v2/accounts/"+g, nil).want(200).data()["reseller_id"] != c {
		t.Fatal("reseller_id does not name the reseller")
	}
	// Promotion rules.
	st.as("PUT", "/v2/accounts/"+c+"/reseller", nil).want(500) // it has a descendant now
	st.as("PUT", st.acct("/reseller"), nil).want(403)
	st.do("PUT", "/v2/accounts/"+g+"/reseller", st.login(cKey), nil).want(403)

	// whitelabel: PUT creates, GET/POST/DELETE, no PATCH; domain unique across accounts.
	st.as("GET", st.acct("/whitelabel"), nil).want(404)
	st.as("POST", st.acct("/whitelabel"), obj{"domain": "x.example.com"}).want(404)
	r = st.as("PUT", st.acct("/whitelabel"), obj{"domain": "portal.example.com", "company_name": "ACME"}).want(201)
	if r.data()["hide_powered"] != false {
		t.Fatalf("whitelabel defaults: %s", r.raw)
	}
	st.as("PUT", st.acct("/whitelabel"), obj{"domain": "portal.example.com"}).want(409)
	st.as("PATCH", st.acct("/whitelabel"), obj{}).want(405)
	st.as("PUT", "/v2/accounts/"+c+"/whitelabel", obj{"domain": "PORTAL.example.com"}).hasError("domain", "unique")
	st.as("POST", st.acct("/whitelabel"), obj{"domain": "portal.example.com", "company_name": "ACME 2"}).want(200)
	st.as("DELETE", st.acct("/whitelabel"), nil).want(200)
	st.as("GET", st.acct("/whitelabel"), nil).want(404)

	// metaflows: on the account document.
	r = st.as("POST", st.acct("/metaflows"), obj{"numbers": obj{"2": obj{"module": "transfer", "data": obj{}}}}).want(200)
	if r.data()["binding_digit"] != "*" {
		t.Fatalf("metaflows defaults: %s", r.raw)
	}
	if st.as("GET", st.acct("/metaflows"), nil).want(200).data()["numbers"] == nil {
		t.Fatal("metaflows not stored")
	}
	st.as("PUT", st.acct("/metaflows"), obj{}).want(405)
	st.as("DELETE", st.acct("/metaflows"), nil).want(200)
	if len(st.as("GET", st.acct("/metaflows"), nil).want(200).data()) != 0 {
		t.Fatal("metaflows not deleted")
	}
}

func TestMediaRaw(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/media"), obj{"name": "greeting", "media_source": "upload"}).want(201).data()["id"].(string)
	st.as("GET", st.acct("/media/"+id+"/raw"), nil).want(404)
	audio := []byte("RIFF....WAVEfmt fake audio")
	r := st.do("POST", st.acct("/media/"+id+"/raw"), st.token, audio, "Content-Type", "audio/wav").want(200)
	if r.data()["content_length"] != float64(len(audio)) {
		t.Fatalf("upload: %s", r.raw)
	}
	r = st.do("GET", st.acct("/media/"+id+"/raw"), st.token, nil).want(200)
	if string(r.raw) != string(audio) || r.header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("download: %q %s", r.raw, r.header.Get("Content-Type"))
	}
	st.do("POST", st.acct("/media/"+id+"/raw"), st.token, `{"data":{}}`, "Content-Type", "application/json").want(415)
	st.as("PATCH", st.acct("/media/"+id), obj{"name": "x"}).want(405)
}

func TestCORSPreflight(t *testing.T) {
	st := newSim(t, Options{})
	r := st.do("OPTIONS", st.acct("/devices"), "", nil).want(200)
	if !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "X-Auth-Token") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "PATCH") {
		t.Fatalf("preflight headers: %v", r.header)
	}
}

func TestAccessLog(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	st := newSim(t, Options{AccessLog: func(method, path string, status int, _ time.Duration, id string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf("%s %s %d %s", method, path, status, id))
	}})
	st.do("GET", st.acct("")+"?auth_token="+st.token, "", nil, "X-Request-ID", "logged-1").want(200)
	mu.Lock()
	defer mu.Unlock()
	last := lines[len(lines)-1]
	if last != "GET "+st.acct("")+" 200 logged-1" || strings.Contains(strings.Join(lines, "\n"), st.token) {
		t.Fatalf("access log: %q", lines)
	}
}

func TestSchemasEndpoint(t *testing.T) {
	st := newSim(t, Options{})
	names := st.do("GET", "/v2/schemas", "", nil).want(200).list()
	found := false
	for _, n := range names {
		found = found || n == "devices"
	}
	if !found {
		t.Fatalf("schema names: %v", names)
	}
	d := st.do("GET", "/v2/schemas/vmboxes", "", nil).want(200).data()
	if d["id"] != "vmboxes" || d["properties"] == nil {
		t.Fatalf("schema: %v", d)
	}
	st.do("GET", "/v2/schemas/nope", "", nil).want(404)
	r := st.do("PUT", "/v2/schemas/vmboxes/validation", "", obj{"data": obj{"name": "v", "mailbox": "100"}}).want(200)
	if r.data()["check_if_owner"] != true {
		t.Fatalf("validation answer lacks defaults: %s", r.raw)
	}
	st.do("PUT", "/v2/schemas/vmboxes/validation", "", obj{"data": obj{"name": "v"}}).hasError("mailbox", "required")
}

func TestUserDevicesAndDeviceStatus(t *testing.T) {
	st := newSim(t, Options{})
	u := st.as("PUT", st.acct("/users"), obj{"first_name": "a", "last_name": "b"}).want(201).data()["id"].(string)
	st.as("PUT", st.acct("/devices"), obj{"name": "mine", "owner_id": u}).want(201)
	st.as("PUT", st.acct("/devices"), obj{"name": "other"}).want(201)
	rows := st.as("GET", st.acct("/users/"+u+"/devices"), nil).want(200).list()
	if len(rows) != 1 || rows[0].(map[string]any)["name"] != "mine" {
		t.Fatalf("user devices: %v", rows)
	}
	st.as("GET", st.acct("/users/"+strings.Repeat("0", 32)+"/devices"), nil).want(404)
	if rows := st.as("GET", st.acct("/devices/status"), nil).want(200).list(); len(rows) != 0 {
		t.Fatalf("device status: %v", rows)
	}
}

func TestPrettyPrint(t *testing.T) {
	st := newSim(t, Options{})
	if r := st.do("GET", st.acct("?pretty_print=true"), st.token, nil).want(200); !strings.Contains(string(r.raw), "\n    \"data\": {") {
		t.Fatalf("not pretty: %.80s", r.raw)
	}
	if r := st.do("GET", st.acct(""), st.token, nil, "X-Pretty-Print", "true").want(200); !strings.Contains(string(r.raw), "\n    ") {
		t.Fatalf("header ignored: %.80s", r.raw)
	}
	if r := st.do("GET", st.acct(""), st.token, nil).want(200); strings.Contains(string(r.raw), "\n    ") {
		t.Fatalf("pretty by default: %.80s", r.raw)
	}
}
