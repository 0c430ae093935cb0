"""free_port() never hands out a port twice in one process: a stack picks all its ports (the
gateway's, then SeaweedFS' dozen) before any of its servers binds one, and the kernel may offer
a port again while nothing listens on it yet."""

from __future__ import annotations

import socket

from ttsjobs_cli.embedded import processes
from ttsjobs_cli.embedded.processes import free_port, port_is_free


def test_a_port_handed_out_is_not_handed_out_again(monkeypatch):
    offered = iter([41001, 41001, 41002])  # the kernel offers 41001 twice, nothing bound

    class Socket(socket.socket):
        def getsockname(self):
            return ("127.0.0.1", next(offered))

    monkeypatch.setattr(processes, "_HANDED_OUT", set())
    monkeypatch.setattr(processes.socket, "socket", Socket)
    assert [free_port(), free_port()] == [41001, 41002]


def test_many_ports_are_distinct_and_free():
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert all(port_is_free(port) for port in ports[:20])
