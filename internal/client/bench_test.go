package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// deviceStore makes the fake hold devices, so a benchmark can run a real
// create/read/update/delete cycle.
func deviceStore(f *fakeCrossbar) {
	var mu sync.Mutex
	docs := map[string]map[string]any{}
	collection := "/v2/accounts/" + testAccountID + "/devices"
	f.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		var env struct {
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(body, &env)
		id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, collection), "/")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Method == http.MethodPut && id == "":
			id, _ = env.Data["id"].(string)
			docs[id] = env.Data
			writeJSON(w, 201, map[string]any{"status": "success", "data": env.Data, "revision": "1-a"})
		case docs[id] == nil:
			writeJSON(w, 404, errorEnvelope(404, "bad_identifier", map[string]any{"cause": id}))
		case r.Method == http.MethodGet:
			writeJSON(w, 200, map[string]any{"status": "success", "data": docs[id], "revision": "1-a"})
		case r.Method == http.MethodPatch:
			for k, v := range env.Data {
				docs[id][k] = v
			}
			writeJSON(w, 200, map[string]any{"status": "success", "data": docs[id], "revision": "2-b"})
		case r.Method == http.MethodDelete:
			delete(docs, id)
			writeJSON(w, 200, map[string]any{"status": "success", "data": map[string]any{"id": id}})
		}
	}
}

// crudCycle is one resource's life: create, read, update, delete.
func crudCycle(ctx context.Context, c *Client, id string) error {
	path := AccountPath(c.AccountID(), "devices", id)
	if _, err := c.Put(ctx, AccountPath(c.AccountID(), "devices"), map[string]any{"id": id, "name": "bench"}, Idempotent()); err != nil {
		return err
	}
	if _, err := c.Get(ctx, path, nil); err != nil {
		return err
	}
	if _, err := c.Patch(ctx, path, map[string]any{"name": "renamed"}); err != nil {
		return err
	}
	_, err := c.Delete(ctx, path)
	return err
}

// BenchmarkCRUDCycle measures one create/read/update/delete cycle from 10
// goroutines sharing one client, and reports HTTP requests per cycle and the
// number of logins in the whole run (1: the token is exchanged once).
func BenchmarkCRUDCycle(b *testing.B) {
	f := newFakeCrossbar(b)
	deviceStore(f)
	c := f.client(b, nil)
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		b.Fatal(err)
	}
	c.ResetStats()
	b.SetParallelism(5) // 2 cores × 5 = Terraform's default of 10 operations
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := crudCycle(ctx, c, newRequestID()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	s := c.Stats()
	b.ReportMetric(float64(s.Attempts)/float64(b.N), "requests/op")
	b.ReportMetric(float64(s.Requests["PUT"])/float64(b.N), "PUT/op")
	b.ReportMetric(float64(s.Requests["GET"])/float64(b.N), "GET/op")
	b.ReportMetric(float64(s.Requests["PATCH"])/float64(b.N), "PATCH/op")
	b.ReportMetric(float64(s.Requests["DELETE"])/float64(b.N), "DELETE/op")
	b.ReportMetric(float64(f.loginCount()), "logins/run")
	if f.loginCount() != 1 {
		b.Fatalf("logins = %d, want 1 per run", f.loginCount())
	}
}
