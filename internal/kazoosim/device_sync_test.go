package kazoosim

import "testing"

func TestDeviceSync(t *testing.T) {
	st := newSim(t, Options{})
	id := st.as("PUT", st.acct("/devices"), obj{"name": "desk"}).want(201).data()["id"].(string)
	st.srv.ResetStats()

	r := st.as("POST", st.acct("/devices/"+id+"/sync"), nil).want(202)
	if r.env.Status != "accepted" || string(r.env.Data) != `"sync request sent"` {
		t.Fatalf("sync answer: %s", r.raw)
	}
	st.as("POST", st.acct("/devices/0123456789abcdef0123456789abcdef/sync"), nil).want(404)
	st.as("GET", st.acct("/devices/"+id+"/sync"), nil).want(405)
	st.do("POST", st.acct("/devices/"+id+"/sync"), "", nil).want(401)

	const key = "POST /v2/accounts/{ACCOUNT_ID}/devices/{ID}/sync"
	if got := st.srv.Stats().Requests[key]; got != 3 {
		t.Fatalf("stats count %d for %q, want 3 (the 202, the 404 and the 401): %v", got, key, st.srv.Stats().Requests)
	}
}
