terraform {
  required_providers {
    kazoo = {
      source = "kazoo-community/kazoo"
    }
  }
}

variable "kazoo_url" {
  description = "Crossbar base URL, e.g. http://kazoo.example.com:8000"
  type        = string
}

variable "kazoo_api_key" {
  description = "API key of the account Terraform acts as"
  type        = string
  sensitive   = true
}

# Log in with an account's API key. Every argument can instead come from its KAZOO_* environment
# variable (here KAZOO_URL and KAZOO_API_KEY), which keeps secrets out of the configuration.
provider "kazoo" {
  url     = var.kazoo_url
  api_key = var.kazoo_api_key
}
