# A list entry is imported by its list's id and its own, "<list_id>/<id>", in the provider's account,
terraform import kazoo_list_entry.robocaller 00112233445566778899aabbccddeeff/0123456789abcdef0123456789abcdef

# or as "<account_id>/<list_id>/<id>".
terraform import kazoo_list_entry.robocaller fedcba9876543210fedcba9876543210/00112233445566778899aabbccddeeff/0123456789abcdef0123456789abcdef
