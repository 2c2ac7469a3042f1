# A calling card authorisation is imported by its id in the provider's account,
terraform import kazoo_cccp.road_warrior 0123456789abcdef0123456789abcdef

# or as "<account_id>/<id>".
terraform import kazoo_cccp.road_warrior fedcba9876543210fedcba9876543210/0123456789abcdef0123456789abcdef
