"""Real SSH on every Running Linux instance (issue 11), driven by the real OpenSSH client,
sshpass and paramiko against a live server: the login follows the key pair and password in
effect (what the last start put in effect), never merely the binding."""
from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import time

import pytest

from conftest import (ACCOUNT_ID, BIN, INSTANCE_TYPE, LINUX_IMAGE, REGION, WINDOWS_IMAGE, ApiError, Sdk, Server,
                      admin_instance, cli_instance_show, unique, wait_status)

PASSWORD = "Passw0rd!2026"
OTHER_PASSWORD = "Other#Pass99"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """A server that serves SSH, with 1 s transitions so a reboot passes visibly through Starting."""
    store = os.environ.get("LOCALECS_TEST_STORE") or f"sqlite:{tmp_path_factory.mktemp('ssh') / 'localecs.sqlite'}"
    s = Server(store, args=["--transition-delay", "1s", "--ssh", "on", "--ssh-port", str(free_port())]).start()
    yield s
    s.stop()


@pytest.fixture
def api(node) -> Sdk:
    return Sdk("v3", node.endpoint)


@pytest.fixture(scope="module")
def keydir(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("keys")


def ssh_port(node: Server) -> int:
    return int(node.args[node.args.index("--ssh-port") + 1])


def create_key(api: Sdk, keydir: pathlib.Path, name: str | None = None) -> tuple[str, pathlib.Path]:
    name = name or unique()
    body = api.call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    path = keydir / f"{name}.pem"
    path.write_text(body["PrivateKeyBody"] + ("\n" if not body["PrivateKeyBody"].endswith("\n") else ""))
    path.chmod(0o600)
    return name, path


def run_instance(api: Sdk, **extra) -> str:
    body = api.call("RunInstances", RegionId=REGION, ImageId=extra.pop("ImageId", LINUX_IMAGE), InstanceType=INSTANCE_TYPE, **extra)
    [iid] = body["InstanceIdSets"]["InstanceIdSet"]
    wait_status(api, iid, "Running")
    return iid


def public_ip(api: Sdk, iid: str) -> str:
    [item] = api.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([iid]))["Instances"]["Instance"]
    [ip] = item["PublicIpAddress"]["IpAddress"]
    return ip


def wait_listening(ip: str, port: int, up: bool = True, timeout: float = 10) -> None:
    """Until a TCP connection to ip:port is accepted (up) or refused (not up)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection((ip, port), timeout=1):
                if up:
                    return
        except ConnectionRefusedError:
            if not up:
                return
        time.sleep(0.05)
    raise AssertionError(f"{ip}:{port} still {'refuses' if up else 'accepts'} connections after {timeout} s")


def reboot(api: Sdk, iid: str, ip: str, port: int) -> None:
    api.call("RebootInstance", InstanceId=iid)
    wait_status(api, iid, "Running")
    wait_listening(ip, port)


def ssh(ip: str, port: int, known_hosts: pathlib.Path, *, key: pathlib.Path | None = None, password: str | None = None,
        command: str = "hostname", extra: list[str] | None = None, strict: str = "accept-new") -> subprocess.CompletedProcess:
    """The real OpenSSH client, with no user configuration; sshpass for passwords."""
    opts = ["-F", "/dev/null", "-o", f"UserKnownHostsFile={known_hosts}", "-o", f"StrictHostKeyChecking={strict}",
            "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "-p", str(port), *(extra or [])]
    if password is None:
        opts += ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no",
                 "-o", "KbdInteractiveAuthentication=no"]
        opts += ["-i", str(key)] if key else ["-o", "PubkeyAuthentication=no"]
        argv = ["ssh", *opts, f"root@{ip}", command]
    else:
        opts += ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1"]
        argv = ["sshpass", "-p", password, "ssh", *opts, f"root@{ip}", command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def logs_in(p: subprocess.CompletedProcess, hostname: str) -> bool:
    if p.returncode == 0:
        assert p.stdout == hostname + "\n", p
        return True
    assert p.returncode in (5, 255) and "Permission denied" in p.stderr, p   # sshpass: 5 = wrong password
    return False


def test_the_seed_story_with_openssh(api, node, keydir, tmp_path):
    """RunInstances with a key pair → key works, password refused → Password + DetachKeyPair →
    still the key until RebootInstance → then the key is refused and the password works →
    AttachKeyPair another key + reboot → only the new key."""
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    k1, k1_path = create_key(api, keydir)
    k2, k2_path = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k1, HostName="web-1")
    ip = public_ip(api, iid)
    assert ip.startswith("127.") and ip != "127.0.0.1"
    wait_listening(ip, port)

    assert logs_in(ssh(ip, port, kh, key=k1_path), "web-1")
    assert not logs_in(ssh(ip, port, kh, password=PASSWORD), "web-1")
    assert not logs_in(ssh(ip, port, kh, key=k2_path), "web-1")

    api.call("ModifyInstanceAttribute", InstanceId=iid, Password=PASSWORD)
    r = api.call("DetachKeyPair", RegionId=REGION, KeyPairName=k1, InstanceIds=json.dumps([iid]))
    assert int(r["FailCount"]) == 0
    # Bound no more, but in effect until the reboot.
    assert logs_in(ssh(ip, port, kh, key=k1_path), "web-1")
    assert not logs_in(ssh(ip, port, kh, password=PASSWORD), "web-1")

    reboot(api, iid, ip, port)
    assert not logs_in(ssh(ip, port, kh, key=k1_path), "web-1")
    assert logs_in(ssh(ip, port, kh, password=PASSWORD), "web-1")
    assert not logs_in(ssh(ip, port, kh, password=OTHER_PASSWORD), "web-1")

    api.call("AttachKeyPair", RegionId=REGION, KeyPairName=k2, InstanceIds=json.dumps([iid]))
    assert logs_in(ssh(ip, port, kh, password=PASSWORD), "web-1")   # until the reboot
    reboot(api, iid, ip, port)
    assert logs_in(ssh(ip, port, kh, key=k2_path), "web-1")
    assert not logs_in(ssh(ip, port, kh, key=k1_path), "web-1")
    # A bound key turns password login off on Linux.
    assert not logs_in(ssh(ip, port, kh, password=PASSWORD), "web-1")
    # The same host key throughout: accept-new never had to add a second line.
    assert len(kh.read_text().splitlines()) == 1


def test_exec_shell_and_refusals(api, node, keydir, tmp_path):
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    k, path = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k, HostName="box-7")
    ip = public_ip(api, iid)
    wait_listening(ip, port)

    pub = subprocess.run(["ssh-keygen", "-y", "-f", str(path)], capture_output=True, text=True, check=True).stdout.split()
    p = ssh(ip, port, kh, key=path, command="cat /root/.ssh/authorized_keys")
    assert p.returncode == 0 and p.stdout.split()[:2] == pub[:2]
    p = ssh(ip, port, kh, key=path, command="whoami; id")   # one command line: no shell operators
    assert p.returncode == 127 and "whoami;: command not found" in p.stderr
    for command, out in [("whoami", "root\n"), ("id", "uid=0(root) gid=0(root) groups=0(root)\n"), ("echo hi there", "hi there\n"),
                         ("true", "")]:
        p = ssh(ip, port, kh, key=path, command=command)
        assert (p.returncode, p.stdout) == (0, out), (command, p)
    assert "ID=\"ubuntu\"" in ssh(ip, port, kh, key=path, command="cat /etc/os-release").stdout
    assert ssh(ip, port, kh, key=path, command="uname -a").stdout.startswith("Linux box-7 ")
    p = ssh(ip, port, kh, key=path, command="ls /")
    assert (p.returncode, p.stdout, p.stderr) == (127, "", "sh: ls: command not found\n")
    assert ssh(ip, port, kh, key=path, command="exit 3").returncode == 3

    # An interactive shell with a pty: typed commands, then exit with a status.
    p = subprocess.run(["ssh", "-F", "/dev/null", "-tt", "-o", f"UserKnownHostsFile={kh}", "-o", "BatchMode=yes",
                        "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", "-i", str(path), "-p", str(port), f"root@{ip}"],
                       input="hostname\nnosuch\nexit 4\n", capture_output=True, text=True, timeout=30)
    assert p.returncode == 4, p
    assert "[root@box-7 ~]# hostname\nbox-7\n" in p.stdout and "sh: nosuch: command not found" in p.stdout

    # No file transfer, no port forwarding: refused cleanly, and the server stays up.
    (tmp_path / "f").write_text("x")
    p = subprocess.run(["scp", "-F", "/dev/null", "-o", f"UserKnownHostsFile={kh}", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                        "-i", str(path), "-P", str(port), str(tmp_path / "f"), f"root@{ip}:/tmp/f"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    paramiko = pytest.importorskip("paramiko")
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect(ip, port=port, username="root", pkey=paramiko.RSAKey.from_private_key_file(str(path)),
              allow_agent=False, look_for_keys=False, timeout=10)
    with pytest.raises(paramiko.ChannelException):   # ssh -L: a direct-tcpip channel
        c.get_transport().open_channel("direct-tcpip", ("127.0.0.1", 22), ("127.0.0.1", 5555), timeout=10)
    with pytest.raises(paramiko.SSHException):       # ssh -R: a tcpip-forward request
        c.get_transport().request_port_forward("127.0.0.1", 0)
    chan = c.get_transport().open_session()
    with pytest.raises(paramiko.SSHException):       # sftp
        chan.invoke_subsystem("sftp")
    c.close()
    assert logs_in(ssh(ip, port, kh, key=path), "box-7")


def test_paramiko_key_and_password(api, node, keydir):
    paramiko = pytest.importorskip("paramiko")
    port = ssh_port(node)
    k, path = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k, Password=PASSWORD)
    ip = public_ip(api, iid)
    wait_listening(ip, port)

    def connect(**auth):
        c = paramiko.SSHClient()
        c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        c.connect(ip, port=port, username="root", allow_agent=False, look_for_keys=False, timeout=10, **auth)
        return c

    c = connect(pkey=paramiko.RSAKey.from_private_key_file(str(path)))
    _, out, err = c.exec_command("hostname")
    assert out.read().decode().strip() == api.call("DescribeInstanceAttribute", InstanceId=iid)["HostName"]
    assert out.channel.recv_exit_status() == 0
    _, out, err = c.exec_command("frobnicate")
    assert out.channel.recv_exit_status() == 127 and b"command not found" in err.read()
    # The host key paramiko saw is the one the admin route shows.
    fp = "SHA256:" + __import__("base64").b64encode(
        __import__("hashlib").sha256(c.get_transport().get_remote_server_key().asbytes()).digest()).decode().rstrip("=")
    assert admin_instance(node, iid)["HostKeyFingerprint"] == fp
    c.close()
    # A key pair is bound: the password set at launch does not log in.
    with pytest.raises(paramiko.AuthenticationException):
        connect(password=PASSWORD)


def test_stop_refuses_and_cuts_sessions_host_key_survives_restart(api, node, keydir, tmp_path):
    paramiko = pytest.importorskip("paramiko")
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    k, path = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k)
    ip = public_ip(api, iid)
    wait_listening(ip, port)
    assert ssh(ip, port, kh, key=path).returncode == 0
    fingerprint = admin_instance(node, iid)["HostKeyFingerprint"]
    assert fingerprint.startswith("SHA256:")

    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    c.connect(ip, port=port, username="root", pkey=paramiko.RSAKey.from_private_key_file(str(path)),
              allow_agent=False, look_for_keys=False, timeout=10)
    chan = c.get_transport().open_session()
    chan.get_pty()
    chan.invoke_shell()
    chan.settimeout(10)
    assert b"# " in chan.recv(1024)

    api.call("StopInstance", InstanceId=iid)
    wait_listening(ip, port, up=False)
    # The held session was cut: the channel reaches end of file.
    deadline = time.time() + 10
    while time.time() < deadline and chan.recv(1024) != b"":
        pass
    assert chan.closed or chan.eof_received
    c.close()
    wait_status(api, iid, "Stopped")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((ip, port), timeout=2)

    api.call("StartInstance", InstanceId=iid)
    wait_status(api, iid, "Running")
    wait_listening(ip, port)
    assert public_ip(api, iid) == ip
    # known_hosts from before still holds: the same host key after stop/start ...
    assert ssh(ip, port, kh, key=path, strict="yes").returncode == 0
    # ... and after the server itself restarts; the instance is served again without a call.
    node.restart()
    wait_listening(ip, port, timeout=15)
    assert ssh(ip, port, kh, key=path, strict="yes").returncode == 0
    assert admin_instance(node, iid)["HostKeyFingerprint"] == fingerprint
    # A new instance has a new host key.
    other = run_instance(Sdk("v3", node.endpoint), KeyPairName=k)
    wait_listening(public_ip(api, other), port)
    assert ssh(public_ip(api, other), port, kh, key=path).returncode == 0
    assert admin_instance(node, other)["HostKeyFingerprint"] != fingerprint


@pytest.mark.parametrize("kind", ["rsa-1024", "rsa-4096", "ecdsa-256", "ecdsa-384", "ecdsa-521", "dsa"])
def test_every_importable_key_type_logs_in(api, node, keydir, tmp_path, kind):
    algo, _, bits = kind.partition("-")
    path = tmp_path / "id"
    gen = ["ssh-keygen", "-q", "-N", "", "-t", algo, "-f", str(path)] + (["-b", bits] if bits else [])
    subprocess.run(gen, check=True, capture_output=True)
    name = unique()
    api.call("ImportKeyPair", RegionId=REGION, KeyPairName=name, PublicKeyBody=(tmp_path / "id.pub").read_text().strip())
    iid = run_instance(api, KeyPairName=name, HostName="kt")
    ip, port = public_ip(api, iid), ssh_port(node)
    wait_listening(ip, port)
    extra = ["-o", "PubkeyAcceptedAlgorithms=+ssh-dss"] if algo == "dsa" else []
    p = ssh(ip, port, tmp_path / "kh", key=path, extra=extra)
    # ssh-dss logs in too, but OpenSSH offers it only when asked (it is off by default since 7.0,
    # and OpenSSH 9.8+ cannot offer it at all).
    assert (p.returncode, p.stdout) == (0, "kt\n"), p


def test_password_only_instance_and_no_way_in(api, node, tmp_path):
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    iid = run_instance(api, Password=PASSWORD, HostName="pw-only")
    ip = public_ip(api, iid)
    wait_listening(ip, port)
    assert logs_in(ssh(ip, port, kh, password=PASSWORD), "pw-only")
    # A new password applies from the next reboot, like a key.
    api.call("ModifyInstanceAttribute", InstanceId=iid, Password=OTHER_PASSWORD, InstanceName="renamed", Description="a box")
    assert logs_in(ssh(ip, port, kh, password=PASSWORD), "pw-only")
    # A session held across the reboot is cut by it.
    paramiko = pytest.importorskip("paramiko")
    held = paramiko.SSHClient()
    held.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    held.connect(ip, port=port, username="root", password=PASSWORD, allow_agent=False, look_for_keys=False, timeout=10)
    chan = held.get_transport().open_session()
    chan.invoke_shell()
    chan.settimeout(10)
    chan.sendall(b"hostname\n")
    assert b"pw-only" in chan.recv(1024)
    reboot(api, iid, ip, port)
    deadline = time.time() + 10
    while time.time() < deadline and chan.recv(1024) != b"":
        pass
    assert chan.eof_received or chan.closed
    held.close()
    assert not logs_in(ssh(ip, port, kh, password=PASSWORD), "pw-only")
    assert logs_in(ssh(ip, port, kh, password=OTHER_PASSWORD), "pw-only")
    attr = api.call("DescribeInstanceAttribute", InstanceId=iid)
    assert (attr["InstanceName"], attr["Description"]) == ("renamed", "a box")
    # No API answer ever holds a password, not even its hash.
    for body in (attr, api.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([iid])), admin_instance(node, iid)):
        text = json.dumps(body)
        assert PASSWORD not in text and OTHER_PASSWORD not in text and "pbkdf2" not in text

    # No key, no password: nothing logs in.
    none = run_instance(api)
    ip2 = public_ip(api, none)
    wait_listening(ip2, port)
    assert not logs_in(ssh(ip2, port, kh, password=PASSWORD), "x")
    assert ssh(ip2, port, kh).returncode == 255


def test_modify_instance_attribute_errors(api, node):
    iid = run_instance(api)
    for params, code in [({"Password": "short"}, "InvalidPassword.Malformed"),
                         ({"Password": "onlylowercaseletters"}, "InvalidPassword.Malformed"),
                         ({"InstanceName": "-x"}, "InvalidInstanceName.Malformed"),
                         ({"HostName": "bad..host"}, "InvalidHostName.Malformed"),
                         ({"Description": "https://x"}, "InvalidDescription.Malformed")]:
        with pytest.raises(ApiError) as info:
            api.call("ModifyInstanceAttribute", InstanceId=iid, **params)
        assert (info.value.code, info.value.status) == (code, 400), params
    with pytest.raises(ApiError) as info:
        api.call("ModifyInstanceAttribute", InstanceId="i-doesnotexist00000", InstanceName="x1")
    assert (info.value.code, info.value.status) == ("InvalidInstanceId.NotFound", 404)
    with pytest.raises(ApiError) as info:
        api.call("ModifyInstanceAttribute", InstanceName="x1")
    assert (info.value.code, info.value.status) == ("MissingParameter", 400)


def test_windows_has_no_endpoint_and_accounts_never_share_addresses(api, node, keydir):
    port = ssh_port(node)
    win = run_instance(api, ImageId=WINDOWS_IMAGE, Password=PASSWORD)
    ip = public_ip(api, win)
    info = admin_instance(node, win)
    assert info["SSHCommand"] is None and info["HostKeyFingerprint"] is None
    time.sleep(0.5)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((ip, port), timeout=2)

    p = subprocess.run([str(BIN), "accounts", "create", "--store", node.store], capture_output=True, text=True, timeout=60, env=node.env)
    assert p.returncode == 0, p.stderr
    creds = dict(line.split(":", 1) for line in p.stdout.splitlines() if ":" in line)
    other = Sdk("v3", node.endpoint, ak=creds["AccessKeyId"].strip(), secret=creds["AccessKeySecret"].strip())
    mine = [run_instance(api) for _ in range(2)]
    theirs = [run_instance(other) for _ in range(2)]
    addresses = [public_ip(api, i) for i in mine] + [public_ip(other, i) for i in theirs]
    assert len(set(addresses)) == 4
    # The CLI and the admin route print the exact command.
    shown = cli_instance_show(node, mine[0])
    assert shown["PublicIpAddress"] == addresses[0]
    k, path = create_key(api, keydir)
    keyed = run_instance(api, KeyPairName=k)
    assert admin_instance(node, keyed)["SSHCommand"] == f"ssh -i {k}.pem -p {port} root@{public_ip(api, keyed)}"


def test_abuse_leaves_the_server_standing(api, node, keydir, tmp_path):
    paramiko = pytest.importorskip("paramiko")
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    k, path = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k, HostName="sturdy")
    ip = public_ip(api, iid)
    wait_listening(ip, port)
    assert logs_in(ssh(ip, port, kh, key=path), "sturdy")
    pid = node.proc.pid
    fds_before = len(os.listdir(f"/proc/{pid}/fd"))

    # 100 connections held open, sending nothing; one sending garbage.
    held = [socket.create_connection((ip, port), timeout=5) for _ in range(100)]
    junk = socket.create_connection((ip, port), timeout=5)
    junk.sendall(b"SSH-2.0-x\r\n" + os.urandom(4096))
    # Meanwhile a real login and the HTTP API still answer.
    assert logs_in(ssh(ip, port, kh, key=path), "sturdy")
    api.call("DescribeInstances", RegionId=REGION)
    for s in held + [junk]:
        s.close()

    # A wrong key, 1,000 times (six per connection, then the server closes it, as sshd's MaxAuthTries).
    wrong = paramiko.RSAKey.generate(2048)
    attempts = 0
    while attempts < 1000:
        t = paramiko.Transport((ip, port))
        t.start_client(timeout=10)
        try:
            for _ in range(6):
                attempts += 1
                with pytest.raises(paramiko.SSHException):
                    t.auth_publickey("root", wrong)
        except paramiko.SSHException:
            pass
        finally:
            t.close()
    assert logs_in(ssh(ip, port, kh, key=path), "sturdy")
    # Nothing leaked: the descriptors come back (sessions end within the login grace time).
    deadline = time.time() + 40
    while time.time() < deadline and len(os.listdir(f"/proc/{pid}/fd")) > fds_before + 5:
        time.sleep(0.5)
    assert len(os.listdir(f"/proc/{pid}/fd")) <= fds_before + 5


def test_a_second_node_without_ssh_changes_what_logs_in(api, node, keydir, tmp_path):
    """Two nodes on one PostgreSQL store: the one with --ssh on serves every endpoint, and a
    change made through the other counts at the next reboot."""
    if not node.store.startswith("postgres"):
        pytest.skip("several nodes share a PostgreSQL store (LOCALECS_TEST_STORE=postgres://…)")
    other = Server(node.store, args=["--transition-delay", "1s", "--ssh", "off"]).start()
    try:
        port, kh = ssh_port(node), tmp_path / "known_hosts"
        k, path = create_key(api, keydir)
        via_other = Sdk("v3", other.endpoint)
        iid = run_instance(via_other, KeyPairName=k, HostName="two-nodes")
        ip = public_ip(via_other, iid)
        wait_listening(ip, port)
        assert logs_in(ssh(ip, port, kh, key=path), "two-nodes")
        via_other.call("ModifyInstanceAttribute", InstanceId=iid, Password=PASSWORD)
        via_other.call("DetachKeyPair", RegionId=REGION, KeyPairName=k, InstanceIds=json.dumps([iid]))
        reboot(via_other, iid, ip, port)
        assert not logs_in(ssh(ip, port, kh, key=path), "two-nodes")
        assert logs_in(ssh(ip, port, kh, password=PASSWORD), "two-nodes")
    finally:
        other.stop()


def test_logins_and_endpoints_show_on_metrics(api, node, keydir, tmp_path):
    """`/metrics` counts SSH logins exactly (a refused key is no login) and shows the endpoints."""
    from test_metrics import scrape, value
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    k, path = create_key(api, keydir)
    _, other = create_key(api, keydir)
    iid = run_instance(api, KeyPairName=k)
    ip = public_ip(api, iid)
    wait_listening(ip, port)
    before = scrape(node)
    assert value(before, "localecs_ssh_endpoints") >= 1
    assert logs_in(ssh(ip, port, kh, key=path), api.call("DescribeInstanceAttribute", InstanceId=iid)["HostName"])
    assert not logs_in(ssh(ip, port, kh, key=other), "")
    assert ssh(ip, port, kh, key=path, command="true").returncode == 0
    after = scrape(node)
    assert value(after, "localecs_ssh_logins_total") - value(before, "localecs_ssh_logins_total") == 2


def test_security_groups_decide_who_reaches_ssh(api, node, keydir, tmp_path):
    """An instance's security groups decide whether its SSH port accepts a connection, as on ECS:
    a new group admits nothing, an ingress TCP 22 rule from the client's address admits it, a
    revoked rule or a drop rule of better priority refuses it again (within the 0.2 s the SSH node
    takes to see a change)."""
    port, kh = ssh_port(node), tmp_path / "known_hosts"
    key, key_path = create_key(api, keydir)
    gid = api.call("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="ssh-gate")["SecurityGroupId"]
    iid = run_instance(api, KeyPairName=key, HostName="gated", SecurityGroupId=gid)
    ip = public_ip(api, iid)
    wait_listening(ip, port)

    def reaches() -> bool:
        time.sleep(0.6)   # the SSH node re-reads the store every 0.2 s
        p = ssh(ip, port, kh, key=key_path)
        if p.returncode == 0:
            assert p.stdout == "gated\n", p
            return True
        # Refused before the SSH banner: the connection is closed at once, never "Permission denied".
        assert p.returncode == 255 and "Permission denied" not in p.stderr, p
        return False

    assert not reaches()                                  # a new group admits nothing from outside
    rule = {"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "127.0.0.0/8"}
    api.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **rule)
    assert reaches()
    api.call("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **rule)
    assert not reaches()
    # Another port or another source does not open port 22.
    api.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp", PortRange="80/80", SourceCidrIp="0.0.0.0/0")
    api.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="tcp", PortRange="22/22", SourceCidrIp="10.0.0.0/8")
    assert not reaches()
    # Priority: a drop at 1 wins over an accept at 2; once the drop goes, the accept admits.
    api.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all", SourceCidrIp="0.0.0.0/0",
             Policy="drop", Priority="1")
    api.call("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, **rule, Priority="2")
    assert not reaches()
    api.call("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=gid, IpProtocol="all", SourceCidrIp="0.0.0.0/0",
             Policy="drop", Priority="1")
    assert reaches()
    # An instance in no group (LocalECS launches one without) admits every client, as before groups.
    plain = run_instance(api, KeyPairName=key, HostName="plain")
    plain_ip = public_ip(api, plain)
    wait_listening(plain_ip, port)
    assert logs_in(ssh(plain_ip, port, kh, key=key_path), "plain")
    for i in (iid, plain):
        api.call("DeleteInstance", InstanceId=i, Force=True)
    api.call("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=gid)
