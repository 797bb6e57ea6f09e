#!/usr/bin/python3
"""cri.py SOCKET METHOD [ARGS...] - a tiny CRI client for the tests.

Calls one runtime.v1.RuntimeService method on the CRI endpoint at the unix
socket SOCKET and prints the response as JSON (protobuf's JSON mapping,
field names as in the .proto). The request is built from ARGS:

  cri.py S Version
  cri.py S RunPodSandbox POD.json HANDLER      -> prints the sandbox id
  cri.py S CreateContainer POD_ID CTR.json POD.json   -> prints the id
  cri.py S StartContainer|StopContainer|RemoveContainer ID [TIMEOUT]
  cri.py S StopPodSandbox|RemovePodSandbox ID
  cri.py S ContainerStatus|PodSandboxStatus ID
  cri.py S ExecSync ID TIMEOUT CMD...   -> the command's stdout and stderr,
                                           exits with its exit code

POD.json and CTR.json hold a PodSandboxConfig and a ContainerConfig in the
same JSON mapping. The messages come from runtime_v1_pb2, which the tests
generate with protoc into a directory on PYTHONPATH. A failed call prints
"cri: METHOD: <gRPC status>: <details>" on stderr and exits 1.
"""
import json
import os
import sys

import grpc
from google.protobuf import json_format

import runtime_v1_pb2 as pb

SERVICE = pb.DESCRIPTOR.services_by_name["RuntimeService"]


def call(channel, method, request):
    m = SERVICE.methods_by_name[method]
    reply_type = getattr(pb, m.output_type.name)
    fn = channel.unary_unary(
        "/runtime.v1.RuntimeService/" + method,
        request_serializer=lambda r: r.SerializeToString(),
        response_deserializer=reply_type.FromString,
    )
    # CRI_TIMEOUT: a slower machine (the TCG node guest) gets longer
    return fn(request, timeout=int(os.environ.get("CRI_TIMEOUT", "60")))


def load(cls, path):
    with open(path) as f:
        return json_format.ParseDict(json.load(f), cls())


def build(method, args):
    """The request message for METHOD from the command-line ARGS."""
    if method == "Version":
        return pb.VersionRequest(version="v1")
    if method == "RunPodSandbox":
        return pb.RunPodSandboxRequest(
            config=load(pb.PodSandboxConfig, args[0]), runtime_handler=args[1])
    if method == "CreateContainer":
        return pb.CreateContainerRequest(
            pod_sandbox_id=args[0], config=load(pb.ContainerConfig, args[1]),
            sandbox_config=load(pb.PodSandboxConfig, args[2]))
    if method in ("StartContainer", "RemoveContainer"):
        return getattr(pb, method + "Request")(container_id=args[0])
    if method == "StopContainer":
        return pb.StopContainerRequest(
            container_id=args[0], timeout=int(args[1]) if len(args) > 1 else 0)
    if method == "ContainerStatus":
        return pb.ContainerStatusRequest(container_id=args[0])
    if method in ("StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus"):
        return getattr(pb, method + "Request")(pod_sandbox_id=args[0])
    if method == "ExecSync":
        return pb.ExecSyncRequest(container_id=args[0], timeout=int(args[1]), cmd=args[2:])
    sys.exit("cri: unknown method " + method)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sock, method, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    request = build(method, args)
    with grpc.insecure_channel("unix://" + sock) as channel:
        try:
            reply = call(channel, method, request)
        except grpc.RpcError as e:
            print("cri: %s: %s: %s" % (method, e.code().name, e.details()), file=sys.stderr)
            sys.exit(1)
    if method == "RunPodSandbox":
        print(reply.pod_sandbox_id)
    elif method == "CreateContainer":
        print(reply.container_id)
    elif method == "ExecSync":
        # stdout first, as the tests compare both together: flushed before
        # stderr is written (the two buffers are flushed at exit in an
        # order that differs between machines)
        sys.stdout.buffer.write(reply.stdout)
        sys.stdout.flush()
        sys.stderr.buffer.write(reply.stderr)
        sys.stderr.flush()
        sys.exit(reply.exit_code)
    else:
        print(json_format.MessageToJson(reply, preserving_proto_field_name=True,
                                        including_default_value_fields=True))


if __name__ == "__main__":
    main()
