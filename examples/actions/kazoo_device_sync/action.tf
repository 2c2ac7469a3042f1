resource "kazoo_device" "lobby" {
  name        = "Lobby phone"
  device_type = "sip_device"

  sip = {
    username = "lobby-phone"
    password = "use-a-long-random-secret"
  }

  # After the device is created or changed, have the phone read its provisioning again.
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.kazoo_device_sync.lobby]
    }
  }
}

# Also on demand: terraform apply -invoke=action.kazoo_device_sync.lobby
action "kazoo_device_sync" "lobby" {
  config {
    device_id = kazoo_device.lobby.id
  }
}
