# Metaflows are imported by the id of their account.
terraform import kazoo_metaflows.features fedcba9876543210fedcba9876543210
