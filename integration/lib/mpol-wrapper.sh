#!/bin/sh
# mpol-wrapper.sh - a BinaryName for containerd's runc v2 shim that carries
# a memory policy from an annotation into the bundle's config.json, then
# runs the mini-runtime that sits next to it (same directory).
#
# Why: containerd 1.6 decodes every OCI spec into its runtime-spec v1.0 Go
# types, which have no linux.memoryPolicy, so the field is dropped on every
# path (ctr run --config, CRI, base_runtime_spec). Annotations survive: on
# `create`, the JSON in the annotation org.mini-runtime.memory-policy, e.g.
#   {"mode":"MPOL_BIND","nodes":"0"}
# becomes linux.memoryPolicy. An annotation that is not JSON is copied as a
# string, so mini-runtime rejects it with its own message. Every other
# command passes through untouched. Needs jq. See docs/containerd.md.
set -eu
key=org.mini-runtime.memory-policy
runtime=$(dirname "$0")/mini-runtime

# the command is the first operand after the global options; create's
# bundle is its --bundle (or -b) value, or the current directory
cmd='' bundle=. prev=''
for a in "$@"; do
	if [ -z "$cmd" ]; then
		case $prev in --root | --log | --log-format | --criu | --rootless)
			prev=''
			continue
			;;
		esac
		case $a in -*) prev=$a ;; *) cmd=$a ;; esac
		continue
	fi
	case $prev in --bundle | -b) bundle=$a ;; esac
	case $a in --bundle=*) bundle=${a#--bundle=} ;; esac
	prev=$a
done

if [ "$cmd" = create ] && [ -f "$bundle/config.json" ]; then
	cfg=$bundle/config.json
	if jq -e --arg k "$key" '.annotations[$k] != null' "$cfg" >/dev/null; then
		jq --arg k "$key" '.annotations[$k] as $v
			| .linux.memoryPolicy = (try ($v | fromjson) catch $v)' "$cfg" >"$cfg.mpol"
		mv "$cfg.mpol" "$cfg"
	fi
fi
exec "$runtime" "$@"
