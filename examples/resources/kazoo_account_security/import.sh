# The authentication settings are imported by the id of their account.
terraform import kazoo_account_security.auth fedcba9876543210fedcba9876543210
