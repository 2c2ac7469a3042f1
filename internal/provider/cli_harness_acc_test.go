package provider_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// Some commands are beyond terraform-plugin-testing's steps (`terraform query
// -generate-config-out`, `terraform apply -invoke`). cliWorkdir runs them with terraform-exec on
// the CLI under test, against the provider served in-process the way the testing framework
// serves it (a reattached debug server, registry.terraform.io/hashicorp/kazoo).

// providerAddr is the address a configuration without required_providers gives "kazoo".
const providerAddr = "registry.terraform.io/hashicorp/kazoo"

// serveProvider serves the provider in-process until the test ends and returns how the CLI
// reaches it.
func serveProvider(t *testing.T) tfexec.ReattachInfo {
	t.Helper()
	srv, err := acctest.ProtoV6ProviderFactories["kazoo"]()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve(providerAddr, func() tfprotov6.ProviderServer { return srv },
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
			// Logs go where terraform-plugin-testing sends the provider's (TF_ACC_LOG_PATH).
			tf6server.WithLoggingSink(t))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider's debug server did not start")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	return tfexec.ReattachInfo{providerAddr: tfexec.ReattachConfig{
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            true,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}}
}

// cliWorkdir is a working directory with the CLI under test and the provider reattached.
type cliWorkdir struct {
	t        *testing.T
	dir      string
	tf       *tfexec.Terraform
	reattach tfexec.ReattachInfo
}

func newCLIWorkdir(t *testing.T, files map[string]string) *cliWorkdir {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(dir+"/"+name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tf, err := tfexec.NewTerraform(dir, bin)
	if err != nil {
		t.Fatal(err)
	}
	w := &cliWorkdir{t: t, dir: dir, tf: tf, reattach: serveProvider(t)}
	if err := tf.Init(context.Background(), tfexec.Reattach(w.reattach)); err != nil {
		t.Fatalf("terraform init: %v", err)
	}
	return w
}

// run runs the CLI with args in the working directory (for what terraform-exec has no
// method for, such as apply -invoke) and returns its combined output.
func (w *cliWorkdir) run(args ...string) (string, error) {
	w.t.Helper()
	reattach, err := json.Marshal(w.reattach)
	if err != nil {
		w.t.Fatal(err)
	}
	cmd := exec.Command(w.tf.ExecPath(), args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattach), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
