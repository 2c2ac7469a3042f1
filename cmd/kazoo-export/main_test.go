package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// startSim serves a simulator and points the KAZOO_* environment at it, as an operator would.
func startSim(t *testing.T) (*client.Client, kazoosim.Master) {
	t.Helper()
	sim, err := kazoosim.New(kazoosim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(func() { ts.Close(); _ = sim.Close() })
	m := sim.Master()
	for _, k := range []string{"KAZOO_USERNAME", "KAZOO_PASSWORD", "KAZOO_ACCOUNT_NAME", "KAZOO_ACCOUNT_REALM",
		"KAZOO_PHONE_NUMBER", "KAZOO_AUTH_TOKEN", "KAZOO_ACCOUNT_ID"} {
		t.Setenv(k, "")
	}
	t.Setenv("KAZOO_URL", ts.URL)
	t.Setenv("KAZOO_API_KEY", m.APIKey)
	t.Setenv("KAZOO_REQUESTS_PER_SECOND", "0") // the simulator has no rate limit either
	c, err := client.New(client.Config{URL: ts.URL, APIKey: m.APIKey, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, m
}

func put(t *testing.T, c *client.Client, path string, doc map[string]any) string {
	t.Helper()
	env, err := c.Put(context.Background(), path, doc)
	if err != nil {
		t.Fatalf("PUT %s: %v", path, err)
	}
	var got struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(env.Data, &got)
	return got.ID
}

func TestRunWritesConfiguration(t *testing.T) {
	c, m := startSim(t)
	child := put(t, c, client.AccountPath(m.AccountID), map[string]any{"name": "Tea Party"})
	user := put(t, c, client.AccountPath(child, "users"), map[string]any{"first_name": "Alice", "last_name": "Liddell"})
	put(t, c, client.AccountPath(child, "devices"), map[string]any{"name": "Desk", "owner_id": user,
		"sip": map[string]any{"username": "alice", "password": "s3cret-sip-pass"}})

	out := t.TempDir()
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-account-id", m.AccountID, "-recursive", "-out", out, "-split", "type"}, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{
		"read 1 kazoo_account", "read 1 kazoo_user in \"Tea Party\"", "read 1 kazoo_device in \"Tea Party\"",
		// The simulator's master account has an administrator, whose account_id stays
		// literal, as does the sub-account's parent_id: the master account is not exported.
		"4 objects exported (1 kazoo_account, 1 kazoo_device, 2 kazoo_user); 3 references resolved, 2 ids left literal; 1 secrets",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	// Every request is accounted for: the login aside, listings and one read per document
	// (the four objects, the master account read for its name, and per account each kind of
	// document KAZOO keeps one of).
	singletons := 0
	for _, e := range provider.Engines() {
		if e.Spec().Scope == engine.ScopeSingleton {
			singletons++
		}
	}
	m2 := regexp.MustCompile(`(\d+) requests to KAZOO \((\d+) listings, (\d+) document reads, 1 logins\)`).FindStringSubmatch(log)
	if m2 == nil || atoi(m2[3]) != 5+2*singletons || atoi(m2[1]) != atoi(m2[2])+atoi(m2[3]) {
		t.Errorf("the summary does not count the requests as expected (%d reads of documents kept one per account):\n%s", 2*singletons, log)
	}
	for _, name := range []string{"account.tf", "user.tf", "device.tf", "provider.tf", "variables.tf", "secrets.auto.tfvars", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	device, _ := os.ReadFile(filepath.Join(out, "device.tf"))
	if !regexp.MustCompile(`owner_id\s+= kazoo_user.alice_liddell.id`).Match(device) ||
		!regexp.MustCompile(`account_id\s+= kazoo_account.tea_party.id`).Match(device) {
		t.Errorf("device.tf lacks the references:\n%s", device)
	}
	if strings.Contains(string(device), "s3cret-sip-pass") {
		t.Errorf("device.tf holds the SIP password:\n%s", device)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestRunKeepsExistingConfiguration(t *testing.T) {
	_, m := startSim(t)
	out := t.TempDir()
	mine := []byte("# my own\n")
	if err := os.WriteFile(filepath.Join(out, "main.tf"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-account-id", m.AccountID, "-out", out}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "main.tf") || !strings.Contains(err.Error(), "-force") {
		t.Errorf("err = %v, want a refusal naming main.tf and -force", err)
	}
	if err := run(context.Background(), []string{"-account-id", m.AccountID, "-out", out, "-force"}, &stderr); err != nil {
		t.Fatalf("with -force: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "main.tf")); !bytes.Equal(got, mine) {
		t.Errorf("main.tf changed: %q", got)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	startSim(t)
	for _, args := range [][]string{
		{"-account-id", "NOT-AN-ID"},
		{"-split", "owner"},
		{"-types", "nosuchtype"},
		{"extra-argument"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, &stderr); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestRunWithoutCredentialsSaysWhatToSet(t *testing.T) {
	startSim(t)
	t.Setenv("KAZOO_API_KEY", "")
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-out", t.TempDir()}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "KAZOO_API_KEY") {
		t.Errorf("err = %v, want one naming the credential variables", err)
	}
}
