# A user is imported by its id in the provider's account,
terraform import kazoo_user.alice 0123456789abcdef0123456789abcdef

# or as "<account_id>/<id>". KAZOO never returns passwords: set password or password_wo again.
terraform import kazoo_user.alice fedcba9876543210fedcba9876543210/0123456789abcdef0123456789abcdef
