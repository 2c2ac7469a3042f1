# An account is imported by its id (under the provider's account),
terraform import kazoo_account.acme 0123456789abcdef0123456789abcdef

# or as "<parent_id>/<id>".
terraform import kazoo_account.acme_support 0123456789abcdef0123456789abcdef/fedcba9876543210fedcba9876543210
