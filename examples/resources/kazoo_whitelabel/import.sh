# The branding is imported by the id of its account. Logo and icon are not read back: set
# logo_file and icon_file, and the next apply uploads them.
terraform import kazoo_whitelabel.brand fedcba9876543210fedcba9876543210
