package kazoosim

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStoreRevisionsAndConflicts(t *testing.T) {
	st, err := openStore("")
	if err != nil {
		t.Fatal(err)
	}
	rev1, err := st.put("db", "a", Doc{"x": 1}, "")
	if err != nil || !strings.HasPrefix(rev1, "1-") || len(rev1) != 34 {
		t.Fatalf("first revision %q: %v", rev1, err)
	}
	if _, err := st.put("db", "a", Doc{"x": 2}, ""); err != errConflict {
		t.Fatalf("create over an existing document: %v", err)
	}
	rev2, err := st.put("db", "a", Doc{"x": 2}, rev1)
	if err != nil || !strings.HasPrefix(rev2, "2-") {
		t.Fatalf("second revision %q: %v", rev2, err)
	}
	if _, err := st.put("db", "a", Doc{"x": 3}, rev1); err != errConflict {
		t.Fatalf("stale revision accepted: %v", err)
	}
	d, rev, ok := st.get("db", "a")
	if !ok || rev != rev2 || d["x"] != jsonNumber("2") || d["_id"] != "a" || d["_rev"] != rev2 {
		t.Fatalf("get: %v %q", d, rev)
	}
	// get hands out copies; peek shares one decoded document per revision.
	d["x"] = "changed"
	if again, _, _ := st.get("db", "a"); again["x"] != jsonNumber("2") {
		t.Fatal("get returned shared state")
	}
	p1, _, _ := st.peek("db", "a")
	p2, _, _ := st.peek("db", "a")
	if p1["x"] != p2["x"] || p1["x"] != jsonNumber("2") {
		t.Fatal("peek")
	}
	if err := st.remove("db", "a"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := st.get("db", "a"); ok {
		t.Fatal("removed document still there")
	}
}

func TestStorePersistsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	rev, _ := st.put("acct", "doc", Doc{"name": "kept"}, "")
	_ = st.putAttachment("acct", "doc", &attachment{ContentType: "audio/wav", Data: []byte("RIFF")})
	_ = st.putMeta("k", []byte("v"))
	if err := st.close(); err != nil {
		t.Fatal(err)
	}
	st, err = openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	d, gotRev, ok := st.get("acct", "doc")
	if !ok || gotRev != rev || d["name"] != "kept" {
		t.Fatalf("after reopen: %v %q", d, gotRev)
	}
	if a, ok := st.getAttachment("acct", "doc"); !ok || string(a.Data) != "RIFF" || a.ContentType != "audio/wav" {
		t.Fatalf("attachment after reopen: %+v", a)
	}
	if v, ok := st.getMeta("k"); !ok || string(v) != "v" {
		t.Fatalf("meta after reopen: %q", v)
	}
}

func TestServerReopensWithSameMaster(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.db")
	a, err := New(Options{DataPath: path})
	if err != nil {
		t.Fatal(err)
	}
	m := a.Master()
	a.Close()
	b, err := New(Options{DataPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if b.Master() != m {
		t.Fatalf("master changed: %+v vs %+v", b.Master(), m)
	}
	b.Close()
	if _, err := New(Options{DataPath: path, AccountID: strings.Repeat("e", 32)}); err == nil {
		t.Fatal("a data file of another master account was accepted")
	}
	// A new password replaces the stored one.
	c, err := New(Options{DataPath: path, Password: "rotated"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Master().Password != "rotated" || c.findUserByHash(m.AccountID, md5hex("admin:rotated"), "md5") == nil {
		t.Fatal("password not rotated")
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(10, 100)
	if !l.allow("k", 10) || l.allow("k", 1) {
		t.Fatal("bucket size not enforced")
	}
	if !l.allow("other", 1) {
		t.Fatal("buckets are not per key")
	}
	time.Sleep(30 * time.Millisecond) // ~3 tokens back
	if !l.allow("k", 2) {
		t.Fatal("bucket does not refill")
	}
	if l.allow("k", 9) {
		t.Fatal("bucket refilled beyond its rate")
	}
	if !newLimiter(0, 10).allow("k", 1000) {
		t.Fatal("size 0 must disable limiting")
	}
}

func TestFaultSequenceIsSeeded(t *testing.T) {
	a, b := newFaults(0.3, 42), newFaults(0.3, 42)
	n := 0
	for i := 0; i < 1000; i++ {
		x, y := a.next(), b.next()
		if x != y {
			t.Fatalf("draw %d differs", i)
		}
		if x != faultNone {
			n++
		}
	}
	if n < 250 || n > 350 {
		t.Fatalf("%d faults in 1000 draws at rate 0.3", n)
	}
	if newFaults(0, 1).next() != faultNone {
		t.Fatal("rate 0 injected a fault")
	}
}
