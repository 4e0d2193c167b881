# The configuration tests/sdk/test_terraform_replay.py replays (terraform-provider-alicloud cannot be
# downloaded here, so its calls are replayed over HTTP instead; see README.md beside this file).
# The values are the ones the replay sends; `terraform fmt -check` keeps the file well formed.

provider "alicloud" {
  region     = "cn-hangzhou"
  access_key = "LTAI5tTestRootKey0001"
  secret_key = "TestRootSecret0123456789abcdef"
  endpoints {
    ecs = "127.0.0.1:8787"
    vpc = "127.0.0.1:8787"
  }
}

resource "alicloud_vpc" "main" {
  vpc_name    = "tf-replay"
  cidr_block  = "172.16.0.0/12"
  description = "made by the Terraform call replay"
  tags = {
    env = "replay"
  }
}

resource "alicloud_vswitch" "main" {
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.0.0/24"
  zone_id      = "cn-hangzhou-i"
  vswitch_name = "tf-replay"
  description  = "the replay's subnet"
  tags = {
    env = "replay"
  }
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-replay"
  description         = "ssh from anywhere"
  vpc_id              = alicloud_vpc.main.id
  tags = {
    env = "replay"
  }
}

resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "22/22"
  priority          = 1
  security_group_id = alicloud_security_group.main.id
  cidr_ip           = "0.0.0.0/0"
  description       = "ssh"
}

resource "alicloud_ecs_key_pair" "main" {
  key_pair_name = "tf-replay"
  tags = {
    env = "replay"
  }
}

resource "alicloud_instance" "main" {
  availability_zone    = "cn-hangzhou-i"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  instance_type        = "ecs.g7.large"
  image_id             = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
  instance_name        = "tf-replay"
  description          = "made by the Terraform call replay"
  system_disk_category = "cloud_essd"
  system_disk_size     = 40
  user_data            = base64encode("#!/bin/sh\necho terraform > /tmp/hello\n")
  tags = {
    env = "replay"
  }
}

resource "alicloud_ecs_key_pair_attachment" "main" {
  key_pair_name = alicloud_ecs_key_pair.main.key_pair_name
  instance_ids  = [alicloud_instance.main.id]
}
