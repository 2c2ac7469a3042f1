package kazoosim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// getLoad sends n GETs of one device from `workers` keep-alive connections and returns the
// elapsed time. It fails the test on any non-200 answer.
func getLoad(tb testing.TB, ts *httptest.Server, path, token string, n, workers int) time.Duration {
	tb.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var next, bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Header.Set("X-Auth-Token", token)
			for next.Add(1) <= int64(n) {
				res, err := hc.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if b := bad.Load(); b > 0 {
		tb.Fatalf("%d of %d requests failed", b, n)
	}
	return time.Since(start)
}

func benchSim(tb testing.TB) (*simT, string) {
	st := newSim(tb, Options{})
	id := st.as("PUT", st.acct("/devices"), obj{"name": "bench phone", "sip": obj{"username": "bench", "password": "secretpw"},
		"caller_id": obj{"internal": obj{"name": "Bench", "number": "1000"}}}).want(201).data()["id"].(string)
	return st, st.acct("/devices/" + id)
}

// BenchmarkGetDevice measures GET /v2/accounts/{A}/devices/{ID} through real HTTP on
// loopback, rate limiting off. Run: go test -run '^$' -bench GetDevice -cpu 2 ./internal/kazoosim/
func BenchmarkGetDevice(b *testing.B) {
	st, path := benchSim(b)
	b.ReportAllocs()
	b.ResetTimer()
	elapsed := getLoad(b, st.ts, path, st.token, b.N, 8)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

// TestMemoryStaysFlat sends 100,000 GETs (20,000 with -short) and checks that the live heap
// after them is no larger than after a warm-up, give or take a few megabytes of noise.
func TestMemoryStaysFlat(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	st, path := benchSim(t)
	getLoad(t, st.ts, path, st.token, 5000, 8)
	before := liveHeap()
	elapsed := getLoad(t, st.ts, path, st.token, n, 8)
	after := liveHeap()
	t.Logf("%d GETs in %v (%.0f req/s); live heap %.1f MiB -> %.1f MiB", n, elapsed.Round(time.Millisecond),
		float64(n)/elapsed.Seconds(), float64(before)/(1<<20), float64(after)/(1<<20))
	if after > before+4<<20 {
		t.Fatalf("live heap grew from %d to %d bytes over %d requests", before, after, n)
	}
	if got := st.srv.Stats().Requests["GET /v2/accounts/{ACCOUNT_ID}/devices/{ID}"]; got != n+5000 {
		t.Fatalf("stats counted %d GETs, want %d", got, n+5000)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkPatchDevice measures PATCH of one device (validation, defaults, uniqueness checks
// and a revision-checked save) through real HTTP, from one client.
func BenchmarkPatchDevice(b *testing.B) {
	st, path := benchSim(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		st.do("PATCH", path, st.token, obj{"data": obj{"name": "bench " + itoa(int64(i))}}).want(200)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
