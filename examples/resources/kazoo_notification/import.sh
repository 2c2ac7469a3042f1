# An account's version of a template is imported by the template's name,
terraform import kazoo_notification.voicemail voicemail_to_email

# or as "<account_id>/<template_id>".
terraform import kazoo_notification.voicemail fedcba9876543210fedcba9876543210/voicemail_to_email
