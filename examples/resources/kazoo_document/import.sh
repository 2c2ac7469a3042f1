# A document is imported as "<account_id>/<collection>/<id>"; the collection may itself have
# slashes ("lists/<list_id>/entries"). Only the keys the configuration's data names are managed.
terraform import kazoo_document.duo fedcba9876543210fedcba9876543210/multi_factor/0123456789abcdef0123456789abcdef
