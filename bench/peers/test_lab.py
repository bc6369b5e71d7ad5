"""The exercise's checks as a Testinfra suite: the benchmark's second peer.

    BENCH_VM1=ADDR BENCH_ROUTER=ADDR BENCH_VM3=ADDR [BENCH_IPERF_SECONDS=2] \
      python3 -m pytest -q -p no:cacheprovider --ssh-config=FILE bench/peers/test_lab.py

FILE names the key, the known_hosts and the ControlPath (Testinfra's ssh backend multiplexes with
ControlMaster=auto, ControlPersist=60s by default). Same facts as the grader and the shell script.
"""

import ipaddress
import os
import threading

import pytest
import testinfra

ROLES = ("vm1", "router", "vm3")
IPERF_SECONDS = int(os.environ.get("BENCH_IPERF_SECONDS", "2"))
FLOOR_MBPS = float(os.environ.get("BENCH_FLOOR_MBPS", "100"))
PING_COUNT, PING_INTERVAL, IPERF_PORT = 5, 0.2, 5201


@pytest.fixture(scope="session")
def lab(request):
    config = request.config.getoption("ssh_config")
    hosts, nics, management, internal = {}, {}, {}, {}
    for role in ROLES:
        address = os.environ[f"BENCH_{role.upper()}"]
        host = testinfra.get_host(f"ssh://root@{address}", ssh_config=config)
        hosts[role] = host
        nics[role], internal[role] = [], []
        for line in host.check_output("ip -4 -o addr show").splitlines():
            fields = line.split()
            nic, iface = fields[1], ipaddress.ip_interface(fields[3])
            if nic == "lo":
                continue
            nics[role].append(nic)
            if str(iface.ip) == address:
                management[role] = iface
            else:
                internal[role].append((nic, iface))
    return {"hosts": hosts, "nics": nics, "management": management, "internal": internal}


def internal_of(lab, role):
    assert lab["internal"][role], f"{role} has no internal address"
    return lab["internal"][role][0]


def router_on(lab, network):
    for _, iface in lab["internal"]["router"]:
        if iface.ip in network:
            return iface.ip
    pytest.fail(f"the router has no address in {network}")


def test_subnets(lab):
    (_, a), (_, b) = internal_of(lab, "vm1"), internal_of(lab, "vm3")
    assert not a.network.overlaps(b.network), f"{a.network} overlaps {b.network}"
    for m in lab["management"].values():
        assert not a.network.overlaps(m.network) and not b.network.overlaps(m.network)
    router_on(lab, a.network)
    router_on(lab, b.network)


@pytest.mark.parametrize("role", ROLES)
def test_virtio(lab, role):
    host = lab["hosts"][role]
    drivers = {nic: host.run("readlink /sys/class/net/%s/device/driver", nic).stdout.strip() for nic in lab["nics"][role]}
    assert all(d.endswith("/virtio_net") for d in drivers.values()), drivers


def test_ip_forward(lab):
    assert lab["hosts"]["router"].sysctl("net.ipv4.ip_forward") == 1


@pytest.mark.parametrize("role,other", [("vm1", "vm3"), ("vm3", "vm1")])
def test_routes(lab, role, other):
    nic, iface = internal_of(lab, role)
    gateway = router_on(lab, iface.network)
    route = lab["hosts"][role].check_output("ip route get %s", str(internal_of(lab, other)[1].ip))
    assert f" via {gateway} dev {nic} " in f"{route} ", route


def test_ping(lab):
    target = str(internal_of(lab, "vm3")[1].ip)
    out = lab["hosts"]["vm1"].run("ping -n -c %s -i %s -W 2 %s", str(PING_COUNT), str(PING_INTERVAL), target)
    assert out.rc == 0 and " 0% packet loss" in out.stdout, out.stdout


def test_traceroute(lab):
    target = internal_of(lab, "vm3")[1]
    gateway = router_on(lab, internal_of(lab, "vm1")[1].network)
    out = lab["hosts"]["vm1"].check_output("traceroute -n -m 5 -q 2 -w 2 %s", str(target.ip))
    hops = [line.split()[:2] for line in out.splitlines()[1:]]
    assert hops == [["1", str(gateway)], ["2", str(target.ip)]], out


def test_iperf(lab):
    vm1, vm3 = lab["hosts"]["vm1"], lab["hosts"]["vm3"]
    target = str(internal_of(lab, "vm3")[1].ip)
    server = threading.Thread(target=vm3.run, args=("iperf3 -s -1 -p %s", str(IPERF_PORT)))
    server.start()
    try:
        out = vm1.run(
            "for try in 1 2 3 4 5 6 7 8 9 10; do iperf3 -f m -p %s -t %s -c %s && exit 0; sleep 0.1; done; exit 1",
            str(IPERF_PORT), str(IPERF_SECONDS), target,
        )
    finally:
        server.join(timeout=IPERF_SECONDS + 30)
    receiver = [line.split() for line in out.stdout.splitlines() if line.endswith("receiver")]
    assert receiver, out.stdout
    mbps = float(receiver[0][receiver[0].index("Mbits/sec") - 1])
    assert mbps >= FLOOR_MBPS, f"{mbps} Mbit/s"
