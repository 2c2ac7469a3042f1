// Command terraform-provider-kazoo serves the KAZOO provider to Terraform and OpenTofu.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/provider"
)

// Generate the documentation (run by `go generate ./...`; CI checks that it leaves no diff).
//go:generate ./scripts/generate-docs.sh

// version is set at release time through -ldflags "-X main.version=...".
var version = "dev"

// envCPUProfile names a directory where each provider process writes a CPU profile
// (cpu-<pid>.pprof) of its whole life and a heap profile (heap-<pid>.pprof) when it ends:
// a developer's tool for profiling a real Terraform run.
const envCPUProfile = "KAZOO_PROVIDER_CPUPROFILE_DIR"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers such as delve")
	flag.Parse()
	if err := serve(debug); err != nil {
		log.Fatal(err.Error())
	}
}

func serve(debug bool) error {
	quietSDKLogs(os.Getenv, os.Setenv)
	if dir := os.Getenv(envCPUProfile); dir != "" {
		stop, err := startCPUProfile(dir)
		if err != nil {
			return err
		}
		defer stop()
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve("registry.terraform.io/kazoo-community/kazoo", provider.NewProtocol6Server(version), opts...)
}

// logSettings are the variables through which a user asks for logs that include the
// provider's (Terraform passes its environment to the provider process).
var logSettings = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_KAZOO", "TF_LOG_SDK",
	"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"}

// quietSDKLogs turns off the log lines of terraform-plugin-framework and
// terraform-plugin-go unless the user asked for logs. Without it they are
// formatted as JSON and written to Terraform for every attribute of every
// resource even when Terraform drops them (no TF_LOG): a fifth of the
// provider's CPU in a large plan. With TF_LOG (or any of logSettings) set,
// nothing changes.
func quietSDKLogs(getenv func(string) string, set func(string, string) error) {
	for _, name := range logSettings {
		if getenv(name) != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"} {
		_ = set(name, "off")
	}
}

// startCPUProfile profiles this process into dir until stop is called.
func startCPUProfile(dir string) (stop func(), err error) {
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", envCPUProfile, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", envCPUProfile, err)
	}
	// The heap at its largest: a heap profile whenever the heap grew past its last peak.
	go func() {
		var peak uint64
		var ms runtime.MemStats
		for range time.Tick(time.Second) {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak+peak/10 {
				peak = ms.HeapInuse
				if h, err := os.Create(filepath.Join(dir, fmt.Sprintf("peak-%d.pprof", os.Getpid()))); err == nil {
					_ = pprof.Lookup("heap").WriteTo(h, 0)
					_ = h.Close()
				}
			}
		}
	}()
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
		// The heap profile shows what is still live at the end (two cycles: the profile lags one).
		runtime.GC()
		runtime.GC()
		if h, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid()))); err == nil {
			_ = pprof.Lookup("heap").WriteTo(h, 0)
			_ = h.Close()
		}
	}, nil
}
