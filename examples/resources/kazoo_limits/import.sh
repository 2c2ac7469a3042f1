# Limits are imported by the id of their account.
terraform import kazoo_limits.office fedcba9876543210fedcba9876543210
