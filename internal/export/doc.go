// Package export writes Terraform configuration for what an existing KAZOO account tree holds:
// one resource block and one import block per document, so that `terraform plan` only imports.
//
// It has no description of the resources of its own. The engine's specs say which collections
// exist and how documents are addressed; the engine's schema says which attributes exist, which
// are computed by KAZOO, secret or JSON; the engine's own Read turns a document into the state an
// import gives; KAZOO's schema facts (kazooschema) say which values are defaults; and
// engine.Override.RefersTo says which attributes hold ids of other documents, which become
// references (kazoo_user.alice.id) when those documents are exported too.
//
// Reading goes through an engine.Backend (the provider's client: same login, retries and rate
// limit). Read walks the tree and reads each document once; Generate turns what it read into
// configuration; Output.WriteDir writes the files.
package export
