# User logins get 2-hour tokens and are all logged; API-key logins get 15-minute tokens.
resource "kazoo_account_security" "auth" {
  auth_modules = {
    cb_user_auth = {
      enabled                 = true
      token_auth_expiry_s     = 7200
      log_successful_attempts = true
      log_failed_attempts     = true
    }
    cb_api_auth = {
      token_auth_expiry_s = 900
    }
  }
}
