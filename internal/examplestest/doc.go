// Package examplestest holds the acceptance tests that keep what users copy honest: every
// configuration under examples/ is applied against the simulator (or a real KAZOO), and the
// release archives are installed by `terraform init` from a filesystem mirror. It has no
// non-test code.
package examplestest
