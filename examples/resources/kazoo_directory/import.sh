# A dial-by-name directory is imported by its id in the provider's account,
terraform import kazoo_directory.staff 0123456789abcdef0123456789abcdef

# or as "<account_id>/<id>".
terraform import kazoo_directory.staff fedcba9876543210fedcba9876543210/0123456789abcdef0123456789abcdef
