package benchacc

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// providerAddress is the provider's registry address; reattached providers are matched by it.
const providerAddress = "registry.terraform.io/kazoo-community/kazoo"

// wire counts what the simulator answered, as the simulator's own /sim/stats cannot: the
// status of each answer (429s above all) by "METHOD /route/pattern", and the most requests
// in flight at once (the concurrency Terraform's -parallelism and the client's limiter let
// through).
type wire struct {
	next http.Handler

	mu       sync.Mutex
	byStatus map[string]map[int]int // route → status → count
	requests atomic.Int64           // requests other than logins, never reset
	inFlight atomic.Int64
	maxIn    atomic.Int64
	busy     time.Duration // summed server-side handling time
}

func newWire(next http.Handler) *wire {
	return &wire{next: next, byStatus: map[string]map[int]int{}}
}

func (w *wire) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/sim/") || r.Method == http.MethodOptions {
		w.next.ServeHTTP(rw, r)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "_auth") {
		w.requests.Add(1)
	}
	n := w.inFlight.Add(1)
	for {
		m := w.maxIn.Load()
		if n <= m || w.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	start := time.Now()
	rec := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	w.next.ServeHTTP(rec, r)
	elapsed := time.Since(start)
	w.inFlight.Add(-1)

	key := r.Method + " " + routeOf(r.URL.EscapedPath())
	w.mu.Lock()
	if w.byStatus[key] == nil {
		w.byStatus[key] = map[int]int{}
	}
	w.byStatus[key][rec.status]++
	w.busy += elapsed
	w.mu.Unlock()
}

// snapshot returns the counts since the last reset and clears them.
func (w *wire) snapshot() (byStatus map[string]map[int]int, maxInFlight int, busy time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	byStatus, busy = w.byStatus, w.busy
	w.byStatus, w.busy = map[string]map[int]int{}, 0
	return byStatus, int(w.maxIn.Swap(0)), busy
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Hijack lets the simulator drop connections (fault injection) through the wrapper.
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.status, s.wrote = 0, true
	return s.ResponseWriter.(http.Hijacker).Hijack()
}

var (
	hex32       = regexp.MustCompile(`^[0-9a-f]{32}$`)
	e164OrDigit = regexp.MustCompile(`^(%2B|\+)?[0-9]+$`)
)

// routeOf names a request path the way the simulator's /sim/stats does:
// /v2/accounts/{ACCOUNT_ID}/devices/{ID}. It covers the routes a benchmark uses; a test
// compares its counts with the simulator's, so a route it names differently shows up.
func routeOf(p string) string {
	seg := strings.Split(p, "/")
	for i, s := range seg {
		switch {
		case i > 0 && seg[i-1] == "accounts" && s != "":
			seg[i] = "{ACCOUNT_ID}"
		case i > 0 && seg[i-1] == "phone_numbers" && e164OrDigit.MatchString(s):
			seg[i] = "{NUMBER}"
		case hex32.MatchString(s):
			seg[i] = "{ID}"
		}
	}
	return strings.Join(seg, "/")
}

// simulator is one in-process simulator behind a wire counter.
type simulator struct {
	srv  *kazoosim.Server
	ts   *httptest.Server
	wire *wire
}

// startSimulator starts a fresh simulator; bucket is KAZOO's token bucket size (0: off),
// refilled at KAZOO's 10 tokens a second.
func startSimulator(t testing.TB, bucket int) *simulator {
	t.Helper()
	srv, err := kazoosim.New(kazoosim.Options{
		Username: "admin", AccountName: "bench-master",
		BucketSize: bucket, BucketRate: 10,
	})
	if err != nil {
		t.Fatalf("starting the simulator: %v", err)
	}
	w := newWire(srv)
	ts := httptest.NewServer(w)
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	return &simulator{srv: srv, ts: ts, wire: w}
}

// reset clears the simulator's and the wire's counters between phases.
func (s *simulator) reset() {
	s.srv.ResetStats()
	s.wire.snapshot()
}

// walks records the provider's configurations: Terraform configures the provider once per
// graph walk (a refresh, a plan, an apply), not once per command, and each configuration logs
// in. For each it notes how many requests the simulator had answered, so that the requests of
// each walk are known.
type walks struct {
	wire  *wire
	mu    sync.Mutex
	marks []int64
}

func (k *walks) configured() {
	k.mu.Lock()
	k.marks = append(k.marks, k.wire.requests.Load())
	k.mu.Unlock()
}

func (k *walks) reset() {
	k.mu.Lock()
	k.marks = nil
	k.mu.Unlock()
}

// requests returns the requests other than logins each walk made, given the count at the end.
func (k *walks) requests() []int {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]int, len(k.marks))
	for i, m := range k.marks {
		next := k.wire.requests.Load()
		if i+1 < len(k.marks) {
			next = k.marks[i+1]
		}
		out[i] = int(next - m)
	}
	return out
}

// countingServer reports each ConfigureProvider call to walks.
type countingServer struct {
	tfprotov6.ProviderServer
	walks *walks
}

func (c countingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	c.walks.configured()
	return c.ProviderServer.ConfigureProvider(ctx, req)
}

// serveProvider serves a fresh provider in this process for one Terraform command, as
// terraform-plugin-testing does (walks, when not nil, counts its configurations), and returns the reattach information that makes Terraform
// use it instead of starting a plugin process; stop ends the server.
func serveProvider(t *testing.T, walks *walks) (info tfexec.ReattachInfo, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	factory := providerserver.NewProtocol6(provider.New("bench")())
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress,
			func() tfprotov6.ProviderServer {
				if walks == nil {
					return factory()
				}
				return countingServer{factory(), walks}
			},
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
			// As in terraform-plugin-testing: provider logs follow TF_LOG and are off without it.
			tf6server.WithLoggingSink(t),
		)
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider server did not start within 30s")
	}
	info = tfexec.ReattachInfo{providerAddress: {
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            cfg.Test,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}}
	return info, func() {
		cancel()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Error("the provider server did not stop within 10s")
		}
	}
}
