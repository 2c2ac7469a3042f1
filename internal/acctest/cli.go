package acctest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// The CLI under test (TF_ACC_TERRAFORM_PATH), for tests and steps that need a feature only
// some CLIs have. Without TF_ACC_TERRAFORM_PATH, terraform-plugin-testing picks a Terraform of
// its own: it counts as new enough and not OpenTofu.

// CLIIsOpenTofu reports whether the CLI under test is OpenTofu.
func CLIIsOpenTofu() bool {
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		return false
	}
	out, err := exec.Command(bin, "version").Output()
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(out)), "OpenTofu")
}

// CLIBelow reports whether the CLI under test is older than major.minor (OpenTofu counts as
// its own version number, which is above every Terraform it forked from). Its signature is a
// TestStep's SkipFunc.
func CLIBelow(major, minor int) func() (bool, error) {
	return func() (bool, error) {
		bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if bin == "" {
			return false, nil
		}
		out, err := exec.Command(bin, "version", "-json").Output()
		if err != nil {
			return false, err
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			return false, err
		}
		var ma, mi int
		if _, err := fmt.Sscanf(v.Version, "%d.%d", &ma, &mi); err != nil {
			return false, err
		}
		return ma < major || (ma == major && mi < minor), nil
	}
}
