# A phone number is imported by the number in the provider's account,
terraform import kazoo_phone_number.main +14155550100

# or as "<account_id>/<number>".
terraform import kazoo_phone_number.main fedcba9876543210fedcba9876543210/+14155550100
