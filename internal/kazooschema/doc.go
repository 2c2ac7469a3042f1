// Package kazooschema holds the facts of KAZOO's JSON schemas (types, limits, defaults, enums,
// patterns and references, no prose) and the code that walks them. The simulator validates
// documents with it and the provider derives its resource schemas from it, so both agree with
// KAZOO and with each other.
package kazooschema

//go:generate go run ./gen -src ../../../shared/kazoo/4.3/schemas -out schemas_gen.go
