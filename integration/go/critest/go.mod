// critest, the CRI validation suite of cri-tools, is a Go test binary: this
// module only pins its version so `go test -c` can build it
// (integration/lib/gotools.sh).
module mini-runtime.test/critest

go 1.26.6

require sigs.k8s.io/cri-tools v1.37.0 // indirect
