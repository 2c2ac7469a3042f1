// Command kazoo-export writes Terraform configuration, with import blocks, for what an existing
// KAZOO account (and with -recursive its sub-accounts) holds, so that the provider can take it
// over: `terraform plan` then only imports.
//
//	kazoo-export -account-id <32 hex> [-recursive] [-out DIR] [-types user,device,…] [-split account|type] [-force]
//
// It reads KAZOO's URL and credentials from the same KAZOO_* environment variables as the
// provider, and talks to KAZOO through the provider's client (same login, retries and rate
// limit).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/export"
	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// version is set by the release build.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kazoo-export:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("kazoo-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	accountID := fs.String("account-id", os.Getenv("KAZOO_ACCOUNT_ID"), "the account to export (32 hex; default KAZOO_ACCOUNT_ID, else the account the credentials log into)")
	recursive := fs.Bool("recursive", false, "export the account's sub-accounts, and theirs, too")
	out := fs.String("out", ".", "the directory to write the configuration into")
	types := fs.String("types", "", "comma-separated resource types to export (user,device,…); default every type")
	split := fs.String("split", export.SplitAccount, "one file per account (account) or per resource type (type)")
	force := fs.Bool("force", false, "write into -out even when it already holds Terraform files (they are overwritten or left beside)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kazoo-export -account-id <32 hex> [-recursive] [-out DIR] [-types user,device,…] [-split account|type]\n\n"+
			"Writes Terraform configuration with import blocks for an existing KAZOO account tree.\n"+
			"KAZOO's URL and credentials come from the provider's KAZOO_* environment variables.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(stderr, "kazoo-export", version)
		return nil
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: every option is a flag (see -help)", fs.Args())
	}
	if *accountID != "" && !client.IsAccountID(*accountID) {
		return fmt.Errorf("-account-id %q is not a KAZOO account id (32 lowercase hexadecimal characters)", *accountID)
	}
	if *split != export.SplitAccount && *split != export.SplitType {
		return fmt.Errorf("-split %q: use %q or %q", *split, export.SplitAccount, export.SplitType)
	}
	if !*force {
		if existing := terraformFiles(*out); len(existing) > 0 {
			return fmt.Errorf("%s already holds Terraform files (%s): export into an empty directory, or pass -force to write over them",
				*out, strings.Join(existing, ", "))
		}
	}
	cfg, err := provider.ClientConfigFromEnv()
	if err != nil {
		return err
	}
	cfg.UserAgent = "kazoo-export/" + version
	c, err := client.New(cfg)
	if err != nil {
		return err
	}
	if err := c.Login(ctx); err != nil {
		return err
	}
	if *accountID == "" {
		*accountID = c.AccountID()
	}
	var typeList []string
	if *types != "" {
		typeList = strings.Split(*types, ",")
	}
	start := time.Now()
	tree, err := export.Read(ctx, engine.ClientBackend(c), provider.Engines(), export.Options{
		AccountID: *accountID, Recursive: *recursive, Types: typeList, Progress: stderr,
	})
	if err != nil {
		return err
	}
	for _, s := range tree.Skipped {
		fmt.Fprintln(stderr, "skipped", s)
	}
	output, err := export.Generate(ctx, tree, *split)
	if err != nil {
		return err
	}
	for _, p := range output.Problems {
		fmt.Fprintln(stderr, "not exported:", p)
	}
	if err := output.WriteDir(*out); err != nil {
		return err
	}
	st := c.Stats()
	fmt.Fprintf(stderr, "%s\n%d requests to KAZOO (%d listings, %d document reads, %d logins) in %s; configuration written to %s\n",
		output.Stats.Summary(), st.Total(), tree.Listings, tree.Reads, st.Logins, time.Since(start).Round(10*time.Millisecond), *out)
	return nil
}

// terraformFiles lists the configuration and variable files in dir.
func terraformFiles(dir string) []string {
	var out []string
	for _, pattern := range []string{"*.tf", "*.tfvars", "*.tf.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range m {
			out = append(out, filepath.Base(p))
		}
	}
	return out
}
