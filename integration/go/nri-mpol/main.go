// nri-mpol: a test fixture (integration/containerd.bats), an NRI plugin that
// sets each container's memory policy from its pod's annotations the way
// the NRI repository's device-injector does: the first of
//
//	memory-policy.noderesource.dev/container.<name>
//	memory-policy.nri.io/container.<name>
//	memory-policy.noderesource.dev/pod
//	memory-policy.nri.io/pod
//	memory-policy.noderesource.dev
//	memory-policy.nri.io
//
// whose value (YAML: `mode: MPOL_BIND`, `nodes: "0"`, `flags: [...]`)
// becomes ContainerAdjustment.Linux.MemoryPolicy, which containerd (2.3 and
// later) writes into the OCI config's linux.memoryPolicy. The nodes are not
// checked here: mini-runtime does that, and its message is what the tests
// look for.
//
//	nri-mpol -socket PATH [-name mpol] [-idx 10]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/containerd/nri/pkg/api"
	"github.com/containerd/nri/pkg/stub"
	"go.yaml.in/yaml/v3"
)

var prefixes = []string{"memory-policy.noderesource.dev", "memory-policy.nri.io"}

type policy struct {
	Mode  string   `yaml:"mode"`
	Nodes string   `yaml:"nodes"`
	Flags []string `yaml:"flags"`
}

type plugin struct{}

// lookup returns the key and value of the annotation that applies to the
// container named name, in the device-injector's order.
func lookup(annotations map[string]string, name string) (string, string, bool) {
	var keys []string
	for _, p := range prefixes {
		keys = append(keys, p+"/container."+name)
	}
	for _, p := range prefixes {
		keys = append(keys, p+"/pod")
	}
	keys = append(keys, prefixes...)
	for _, k := range keys {
		if v, ok := annotations[k]; ok {
			return k, v, true
		}
	}
	return "", "", false
}

func (plugin) CreateContainer(_ context.Context, pod *api.PodSandbox, ctr *api.Container) (*api.ContainerAdjustment, []*api.ContainerUpdate, error) {
	key, value, ok := lookup(pod.GetAnnotations(), ctr.GetName())
	if !ok {
		return nil, nil, nil
	}
	var p policy
	dec := yaml.NewDecoder(bytes.NewReader([]byte(value)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, nil, fmt.Errorf("annotation %s: %w", key, err)
	}
	mode, ok := api.MpolMode_value[p.Mode]
	if !ok {
		return nil, nil, fmt.Errorf("annotation %s: unknown mode %q", key, p.Mode)
	}
	var flags []api.MpolFlag
	for _, f := range p.Flags {
		v, ok := api.MpolFlag_value[f]
		if !ok {
			return nil, nil, fmt.Errorf("annotation %s: unknown flag %q", key, f)
		}
		flags = append(flags, api.MpolFlag(v))
	}
	adj := &api.ContainerAdjustment{}
	adj.SetLinuxMemoryPolicy(api.MpolMode(mode), p.Nodes, flags...)
	fmt.Fprintf(os.Stderr, "nri-mpol: %s/%s: %s from %s\n", pod.GetName(), ctr.GetName(), p.Mode, key)
	return adj, nil, nil
}

func main() {
	socket := flag.String("socket", "", "the NRI socket of containerd")
	name := flag.String("name", "mpol", "plugin name")
	idx := flag.String("idx", "10", "plugin index")
	flag.Parse()
	opts := []stub.Option{stub.WithPluginName(*name), stub.WithPluginIdx(*idx)}
	if *socket != "" {
		opts = append(opts, stub.WithSocketPath(*socket))
	}
	s, err := stub.New(plugin{}, opts...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nri-mpol: %v\n", err)
		os.Exit(1)
	}
	if err := s.Run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "nri-mpol: %v\n", err)
		os.Exit(1)
	}
}
