package client

import (
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestKeepAliveReusesOneConnection(t *testing.T) {
	f := newFakeCrossbar(t)
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := f.client(t, func(cfg *Config) { cfg.URL = srv.URL })
	for range 20 {
		if _, err := c.Get(ctxT(t), AccountPath(testAccountID), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("21 sequential requests opened %d connections, want 1", n)
	}
}

func TestTLSVerificationCustomCAAndSkip(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 201, map[string]any{"status": "success", "auth_token": "tok", "data": map[string]any{"account_id": testAccountID}})
	}))
	t.Cleanup(srv.Close)
	cfg := Config{URL: srv.URL, APIKey: testAPIKey, RequestsPerSecond: -1}

	t.Run("unknown authority fails at once", func(t *testing.T) {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Login(ctxT(t))
		if !errors.Is(err, ErrUnreachable) || c.Stats().Attempts != 1 {
			t.Fatalf("err = %v after %d attempts; a certificate error is not retried", err, c.Stats().Attempts)
		}
		mustContain(t, err.Error(), "certificate")
	})
	t.Run("ca_cert_file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "ca.pem")
		block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(file, block, 0o600); err != nil {
			t.Fatal(err)
		}
		withCA := cfg
		withCA.CACertFile = file
		c, err := New(withCA)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("insecure_skip_verify", func(t *testing.T) {
		insecure := cfg
		insecure.InsecureSkipVerify = true
		c, err := New(insecure)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a CA file without certificates is refused", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "empty.pem")
		_ = os.WriteFile(file, []byte("not a certificate"), 0o600)
		bad := cfg
		bad.CACertFile = file
		if _, err := New(bad); err == nil {
			t.Fatal("accepted")
		}
	})
}
