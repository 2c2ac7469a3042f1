# A media document is imported by its id in the provider's account,
terraform import kazoo_media.closed 0123456789abcdef0123456789abcdef

# or as "<account_id>/<id>". The audio itself is not read back: set source_file, and the next
# apply uploads it.
terraform import kazoo_media.closed fedcba9876543210fedcba9876543210/0123456789abcdef0123456789abcdef
