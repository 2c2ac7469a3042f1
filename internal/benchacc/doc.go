// Package benchacc measures the provider's performance against the Crossbar simulator.
//
// Its tests are the figures of BENCHMARKS.md:
//
//   - TestAccBenchApply (TF_ACC=1) applies a configuration of many resources with the real
//     Terraform CLI, driven through terraform-exec, against an in-process simulator with
//     KAZOO's rate-limit bucket on or off. It times the apply, a no-change plan, an update of
//     every device and the destroy, counts every request by method and route, the logins and
//     the 429 answers of each phase, and fails when the provider spends more requests or
//     logins than it should.
//   - The Benchmark functions time the engine's per-resource work (a device read, planned,
//     created) through the provider's gRPC surface with an in-memory backend, so that the
//     JSON ⇄ Terraform conversion is measured without HTTP.
//
// The package has no non-test code besides this comment; see scripts/bench-apply.sh.
package benchacc
