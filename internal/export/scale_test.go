package export_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/export"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// EnvScale names the number of users per account of TestExportScale's tree (80 makes about
// 1,000 objects in the three accounts). The measurement takes minutes at KAZOO's rate limit, so
// it only runs when asked:
//
//	KAZOO_EXPORT_SCALE_USERS=80 go test -run TestExportScale -v -timeout 30m ./internal/export
//
// With EnvScaleRootOnly set, only the reseller is exported (not its sub-accounts): all the
// requests then go to one account's bucket (245 users make about 1,000 objects there).
const (
	EnvScale         = "KAZOO_EXPORT_SCALE_USERS"
	EnvScaleRootOnly = "KAZOO_EXPORT_SCALE_ROOT_ONLY"
)

// TestExportScale measures an export of a large MonsterUI tree under KAZOO's default rate
// limit (a bucket of 100 refilled at 10 per second per client and account), with the
// client's own defaults: objects, seconds, requests and retries.
func TestExportScale(t *testing.T) {
	users, _ := strconv.Atoi(os.Getenv(EnvScale))
	if users <= 0 {
		t.Skipf("a measurement: set %s (81 users per account is about 1,000 objects)", EnvScale)
	}
	data := filepath.Join(t.TempDir(), "sim.db")
	opts := kazoosim.Options{DataPath: data}

	// Build the tree without a rate limit, then serve the same data under KAZOO's.
	sim, err := kazoosim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	m := sim.Master()
	fast, err := client.New(client.Config{URL: ts.URL, APIKey: m.APIKey, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("KAZOO_ACCOUNT_ID", m.AccountID) // keep the login in the master account
	start := time.Now()
	tr := buildMonsterTree(t, fast, users)
	t.Logf("built %d objects in %s", tr.Objects, time.Since(start).Round(time.Millisecond))
	ts.Close()
	if err := sim.Close(); err != nil {
		t.Fatal(err)
	}

	opts.AccountID, opts.APIKey = m.AccountID, m.APIKey
	opts.BucketSize, opts.BucketRate = 100, 10
	limited, err := kazoosim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	lts := httptest.NewServer(limited)
	defer func() { lts.Close(); _ = limited.Close() }()
	// The client's defaults, unless KAZOO_REQUESTS_PER_SECOND asks for another pace.
	rps, _ := strconv.ParseFloat(os.Getenv("KAZOO_REQUESTS_PER_SECOND"), 64)
	c, err := client.New(client.Config{URL: lts.URL, APIKey: m.APIKey, RequestsPerSecond: rps})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	start = time.Now()
	rootOnly := os.Getenv(EnvScaleRootOnly) != ""
	tree, err := export.Read(ctx, engine.ClientBackend(c), provider.Engines(),
		export.Options{AccountID: tr.Reseller, Recursive: !rootOnly, Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	out, err := export.Generate(ctx, tree, export.SplitAccount)
	if err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	st := c.Stats()
	t.Logf("exported %d objects in %s (reading %s, writing %s); %d requests (%d listings, %d document reads), %d logins, %d attempts on the wire",
		out.Stats.Objects, total.Round(time.Millisecond), read.Round(time.Millisecond), (total - read).Round(time.Millisecond),
		st.Total(), tree.Listings, tree.Reads, st.Logins, st.Attempts)
	t.Log(out.Stats.Summary())
	objects, reads := tr.Objects, tr.Objects-tr.Singletons+singletonKinds()*len(tr.Accounts)
	if rootOnly { // the reseller's documents, its limits and branding, and itself
		objects = tr.InAccount[0] + tr.Singletons + 1
		reads = objects - tr.Singletons + singletonKinds()
	}
	if out.Stats.Objects != objects || tree.Reads != reads {
		t.Errorf("exported %d objects with %d reads; want %d objects with %d reads", out.Stats.Objects, tree.Reads, objects, reads)
	}
	if retries := st.Attempts - st.Total() - st.Logins; retries > 0 {
		t.Errorf("%d requests were retried: the export tripped KAZOO's bucket", retries)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
