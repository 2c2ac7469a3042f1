package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCLIKeepsFailedCreates(t *testing.T) {
	for v, want := range map[string]bool{
		"1.5.7": true, "1.11.4": true, "1.15.5": true, "1.12.6": true, // OpenTofu reports its own
		"1.16.0": false, "1.16.4": false, "1.16.0-beta1": false, "1.17.0": false,
		"": true, "not a version": true,
	} {
		if got := cliKeepsFailedCreates(v); got != want {
			t.Errorf("cliKeepsFailedCreates(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestPendingKeyIgnoresSecretsAndKeyOrder(t *testing.T) {
	a := map[string]any{"name": "desk", "sip": map[string]any{"username": "u", "password": "one"}, "pin": "1234"}
	b := map[string]any{"pin": "9999", "sip": map[string]any{"password": "two", "username": "u"}, "name": "desk"}
	ka, err := pendingKey("/v2/accounts/a/devices", a)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := pendingKey("/v2/accounts/a/devices", b)
	if ka != kb {
		t.Errorf("documents that differ only in secrets have keys %s and %s", ka, kb)
	}
	if kc, _ := pendingKey("/v2/accounts/a/users", a); kc == ka {
		t.Error("the same document in another collection has the same key")
	}
	if kd, _ := pendingKey("/v2/accounts/a/devices", map[string]any{"name": "other"}); kd == ka {
		t.Error("another document has the same key")
	}
	if a["pin"] != "1234" {
		t.Error("hashing changed the document")
	}
}

func TestPendingCreatesJournal(t *testing.T) {
	dir := t.TempDir()
	p := &pendingCreates{dir: filepath.Join(dir, "pending"), taken: map[string]bool{}}
	p.once.Do(func() {})
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

	if _, ok := p.claim("k", now); ok {
		t.Fatal("an empty journal gave an id")
	}
	for _, id := range []string{"id1", "id2", "id1"} {
		if err := p.record("k", id, now); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(p.file("k"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("journal file mode %v, want 0600", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(p.file("k")); strings.Count(string(b), `"id1"`) != 1 {
		t.Errorf("an id recorded twice is kept twice: %s", b)
	}

	// Two creates of the same document get different ids; a third gets none.
	first, ok1 := p.claim("k", now)
	second, ok2 := p.claim("k", now)
	if !ok1 || !ok2 || first != "id1" || second != "id2" {
		t.Fatalf("claims gave %q %v and %q %v, want id1 then id2", first, ok1, second, ok2)
	}
	if id, ok := p.claim("k", now); ok {
		t.Fatalf("a third claim got %q although both ids are held", id)
	}
	// A create that failed again leaves its id for the next one; a stored one removes it.
	if err := p.done("k", first, false, now); err != nil {
		t.Fatal(err)
	}
	if err := p.done("k", second, true, now); err != nil {
		t.Fatal(err)
	}
	if id, ok := p.claim("k", now); !ok || id != "id1" {
		t.Fatalf("claim after the failed create gave %q %v, want id1", id, ok)
	}
	if err := p.done("k", "id1", true, now); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.file("k")); !os.IsNotExist(err) {
		t.Errorf("the journal file outlived its last id: %v", err)
	}

	// Entries expire.
	if err := p.record("old", "id3", now); err != nil {
		t.Fatal(err)
	}
	if id, ok := p.claim("old", now.Add(pendingCreateTTL+time.Hour)); ok {
		t.Errorf("an expired entry was claimed: %s", id)
	}
}

func TestPendingCreatesOffWithoutCacheDir(t *testing.T) {
	p := &pendingCreates{taken: map[string]bool{}}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if err := p.record("k", "id", time.Now()); err == nil {
		t.Error("record without a cache directory did not fail")
	}
	if _, ok := p.claim("k", time.Now()); ok {
		t.Error("claim without a cache directory gave an id")
	}
}
