// Command kazoosim serves the Crossbar simulator (internal/kazoosim) over HTTP.
//
//	kazoosim -addr 127.0.0.1:8000 -data ./kazoosim.db \
//	         -account-id <32 hex> -api-key <64 chars> -username admin -password secret -account-name master \
//	         -token-ttl 1h -bucket-size 100 -bucket-rate 10 -latency 0 -fault-rate 0 -fault-seed 1
//
// On start it prints one JSON line with the URL and the master account's credentials, then
// serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazoosim"
)

// banner is the one line printed on start; other tooling parses it.
type banner struct {
	URL         string `json:"url"`
	AccountID   string `json:"account_id"`
	APIKey      string `json:"api_key"`
	Username    string `json:"username"`
	Password    string `json:"password"`
	AccountName string `json:"account_name"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kazoosim:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kazoosim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr      = fs.String("addr", "127.0.0.1:8000", "listen address (host:port; port 0 picks a free one)")
		data      = fs.String("data", "", "bbolt file for durable storage (empty: memory only)")
		opts      kazoosim.Options
		bucket    = fs.Int("bucket-size", 100, "rate-limit bucket per client IP and account (0 disables)")
		rateFlag  = fs.Float64("bucket-rate", 10, "bucket refill rate, tokens per second")
		faultRate = fs.Float64("fault-rate", 0, "fraction of non-auth requests answered with an injected fault")
		faultSeed = fs.Int64("fault-seed", 1, "seed of the fault sequence")
		charges   = fs.Bool("require-accept-charges", false, "answer 402 to billable creates that do not accept charges")
		logFlag   = fs.Bool("log", false, "log every request (method, path, status, duration, request id) to stderr")
		modules   = fs.String("modules", "", "extra Crossbar modules to load besides KAZOO 4.3's default ones, comma-separated ("+strings.Join(kazoosim.OptionalModules(), ",")+")")
	)
	fs.StringVar(&opts.AccountID, "account-id", "", "master account id, 32 lowercase hex characters (default: random, or the data file's)")
	fs.StringVar(&opts.APIKey, "api-key", "", "master account API key, 64 characters (default: random, or the data file's)")
	fs.StringVar(&opts.Username, "username", "", "master admin username (default admin)")
	fs.StringVar(&opts.Password, "password", "", "master admin password (default: random, or the data file's)")
	fs.StringVar(&opts.AccountName, "account-name", "", "master account name (default master)")
	fs.DurationVar(&opts.TokenTTL, "token-ttl", time.Hour, "lifetime of issued tokens")
	fs.DurationVar(&opts.Latency, "latency", 0, "delay added to every response")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *faultRate < 0 || *faultRate > 1 {
		return errors.New("-fault-rate must be between 0 and 1")
	}
	if *bucket < 0 || *rateFlag < 0 {
		return errors.New("-bucket-size and -bucket-rate must not be negative")
	}
	opts.DataPath = *data
	opts.BucketSize = *bucket
	opts.BucketRate = *rateFlag
	opts.FaultRate = *faultRate
	opts.FaultSeed = *faultSeed
	opts.RequireAcceptCharges = *charges
	if *modules != "" {
		opts.ExtraModules = strings.Split(*modules, ",")
	}
	if *logFlag {
		opts.AccessLog = func(method, path string, status int, elapsed time.Duration, requestID string) {
			fmt.Fprintf(stderr, "%s %s %s %d %s %s\n", time.Now().UTC().Format(time.RFC3339), method, path, status,
				elapsed.Round(time.Microsecond), requestID)
		}
	}

	srv, err := kazoosim.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	m := srv.Master()
	line, err := json.Marshal(banner{
		URL:         "http://" + ln.Addr().String(),
		AccountID:   m.AccountID,
		APIKey:      m.APIKey,
		Username:    m.Username,
		Password:    m.Password,
		AccountName: m.AccountName,
	})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, string(line)); err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	return nil
}
