package benchacc

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/acctest"
)

// workdir is one Terraform working directory whose commands are served by a fresh
// in-process provider each, as Terraform would start a provider process per command.
type workdir struct {
	t      *testing.T
	dir    string
	tf     *tfexec.Terraform
	stderr strings.Builder
}

// terraformPath is TF_ACC_TERRAFORM_PATH or the terraform on PATH; the test is skipped
// without TF_ACC.
func terraformPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set and no terraform is on PATH")
	}
	return p
}

// newWorkdir writes config into a fresh directory and runs terraform init.
func newWorkdir(t *testing.T, config string) *workdir {
	t.Helper()
	tfPath := terraformPath(t)
	if err := acctest.EnsureCLIConfig(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	w := &workdir{t: t, dir: t.TempDir()}
	w.write(config)
	tf, err := tfexec.NewTerraform(w.dir, tfPath)
	if err != nil {
		t.Fatal(err)
	}
	tf.SetStderr(&w.stderr)
	w.tf = tf
	if err := w.run(func(ctx context.Context, r *tfexec.ReattachOption) error { return tf.Init(ctx, r) }); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, w.stderr.String())
	}
	return w
}

func (w *workdir) write(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run serves a provider for one command; the command's stderr is kept in w.stderr.
func (w *workdir) run(cmd func(context.Context, *tfexec.ReattachOption) error) error {
	w.t.Helper()
	info, stop := serveProvider(w.t, nil)
	defer stop()
	w.stderr.Reset()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	return cmd(ctx, tfexec.Reattach(info))
}

func (w *workdir) apply(opts ...tfexec.ApplyOption) error {
	return w.run(func(ctx context.Context, r *tfexec.ReattachOption) error {
		return w.tf.Apply(ctx, append([]tfexec.ApplyOption{r}, opts...)...)
	})
}

// plan reports whether the plan has changes.
func (w *workdir) plan(opts ...tfexec.PlanOption) (changes bool, err error) {
	err = w.run(func(ctx context.Context, r *tfexec.ReattachOption) error {
		var err error
		changes, err = w.tf.Plan(ctx, append([]tfexec.PlanOption{r}, opts...)...)
		return err
	})
	return changes, err
}

func (w *workdir) destroy(opts ...tfexec.DestroyOption) error {
	return w.run(func(ctx context.Context, r *tfexec.ReattachOption) error {
		return w.tf.Destroy(ctx, append([]tfexec.DestroyOption{r}, opts...)...)
	})
}

// mustSucceed fails the test with Terraform's output when err is not nil.
func (w *workdir) mustSucceed(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", what, err, w.stderr.String())
	}
}

// providerEnv points the provider at a simulator with its master API key and clears the
// other credentials of the environment.
func providerEnv(t *testing.T, url, accountID, apiKey string) {
	t.Helper()
	t.Setenv(acctest.EnvURL, url)
	t.Setenv(acctest.EnvAccountID, accountID)
	t.Setenv(acctest.EnvAPIKey, apiKey)
	// The provider's cache directory (token cache, journal of pending creates) is the test's own.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, k := range []string{acctest.EnvUsername, acctest.EnvPassword, acctest.EnvAccountName,
		acctest.EnvAccountRealm, acctest.EnvPhoneNumber, acctest.EnvAuthToken,
		"KAZOO_REQUESTS_PER_SECOND", "KAZOO_BURST", "KAZOO_TOKEN_CACHE", "KAZOO_TIMEOUT", "KAZOO_MAX_RETRIES"} {
		t.Setenv(k, "")
	}
}

// providerBlock is the provider requirement every configuration of this package starts with.
const providerBlock = `terraform {
  required_providers {
    kazoo = { source = "registry.terraform.io/kazoo-community/kazoo" }
  }
}

provider "kazoo" {}
`
