#!/usr/bin/env python3
"""recvtty SOCKET OUTPUT - the receiving end of --console-socket, for tests.

Listens on the unix socket SOCKET, accepts one connection, takes the pty
master the runtime's init sends with SCM_RIGHTS, and copies everything the
container writes to its terminal into OUTPUT until the terminal hangs up.
The name the init sent as payload goes to OUTPUT.name.
"""
import os
import signal
import socket
import sys

TIMEOUT = 20  # seconds: a test must not hang on a runtime that never sends


def main():
    path, out = sys.argv[1], sys.argv[2]
    signal.alarm(TIMEOUT)  # default action: terminate
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + ".tmp")
    srv.listen(1)
    os.rename(path + ".tmp", path)  # the socket appears only once it listens
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 256, 1)
    if not fds:
        sys.exit("recvtty: no fd received")
    with open(out + ".name", "wb") as f:
        f.write(msg)
    master = fds[0]
    with open(out, "wb", buffering=0) as f:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the last slave fd was closed
                break
            if not data:
                break
            f.write(data)
    os.close(master)


if __name__ == "__main__":
    main()
