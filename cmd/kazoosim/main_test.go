package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the tests run this package's main in a child process (the test binary
// re-executed), so that a real process can be killed with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("KAZOOSIM_RUN_MAIN") == "1" {
		os.Args = append([]string{"kazoosim"}, strings.Fields(os.Getenv("KAZOOSIM_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type proc struct {
	cmd    *exec.Cmd
	banner map[string]string
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KAZOOSIM_RUN_MAIN=1", "KAZOOSIM_ARGS="+strings.Join(args, " "))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no banner: %v", err)
	}
	var b map[string]string
	if err := json.Unmarshal([]byte(line), &b); err != nil {
		t.Fatalf("banner %q: %v", line, err)
	}
	return &proc{cmd: cmd, banner: b}
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var env map[string]any
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s %s: %s", method, url, raw)
	}
	return res.StatusCode, env
}

func TestBannerAndPrimerFlow(t *testing.T) {
	p := start(t, "-addr", "127.0.0.1:0", "-username", "admin", "-password", "secret", "-account-name", "master", "-bucket-size", "0")
	keys := make([]string, 0, len(p.banner))
	for k := range p.banner {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"account_id", "account_name", "api_key", "password", "url", "username"}) {
		t.Fatalf("banner keys: %v", keys)
	}
	if !strings.HasPrefix(p.banner["url"], "http://127.0.0.1:") || p.banner["password"] != "secret" ||
		len(p.banner["api_key"]) != 64 || len(p.banner["account_id"]) != 32 {
		t.Fatalf("banner: %v", p.banner)
	}
	// The primer: API key → token → GET the account.
	st, env := call(t, "PUT", p.banner["url"]+"/v2/api_auth", "", `{"data":{"api_key":"`+p.banner["api_key"]+`"}}`)
	if st != 201 {
		t.Fatalf("api_auth: %d %v", st, env)
	}
	token := env["auth_token"].(string)
	st, env = call(t, "GET", p.banner["url"]+"/v2/accounts/"+p.banner["account_id"], token, "")
	if st != 200 || env["data"].(map[string]any)["name"] != "master" {
		t.Fatalf("GET account: %d %v", st, env)
	}
}

func TestDataSurvivesKill9(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sim.db")
	p := start(t, "-addr", "127.0.0.1:0", "-data", db)
	url, key, acct := p.banner["url"], p.banner["api_key"], p.banner["account_id"]
	_, env := call(t, "PUT", url+"/v2/api_auth", "", `{"data":{"api_key":"`+key+`"}}`)
	token := env["auth_token"].(string)
	dev := strings.Repeat("ab", 16)
	st, _ := call(t, "PUT", url+"/v2/accounts/"+acct+"/devices", token, `{"data":{"id":"`+dev+`","name":"durable"}}`)
	if st != 201 {
		t.Fatalf("create: %d", st)
	}
	st, _ = call(t, "PATCH", url+"/v2/accounts/"+acct+"/devices/"+dev, token, `{"data":{"name":"patched"}}`)
	if st != 200 {
		t.Fatalf("patch: %d", st)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	// Restarted without credentials: the data file remembers the master account.
	q := start(t, "-addr", "127.0.0.1:0", "-data", db)
	if q.banner["account_id"] != acct || q.banner["api_key"] != key || q.banner["password"] != p.banner["password"] {
		t.Fatalf("master changed across restart: %v vs %v", q.banner, p.banner)
	}
	// Tokens stay valid: the signing key is in the data file too.
	st, env = call(t, "GET", q.banner["url"]+"/v2/accounts/"+acct+"/devices/"+dev, token, "")
	if st != 200 || env["data"].(map[string]any)["name"] != "patched" {
		t.Fatalf("after kill -9: %d %v", st, env)
	}
}

func TestGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, io.Discard) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, `{"url":"http://127.0.0.1:`) {
		t.Fatalf("banner %q: %v", line, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-fault-rate", "2"},
		{"-account-id", "nothex"},
		{"-api-key", "short"},
		{"-bucket-size", "-1"},
		{"extra"},
	} {
		if err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
