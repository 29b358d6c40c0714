// Command llamashare settles model-licensing revenue shares.
package main

import (
	"os"
	"runtime/debug"

	"github.com/llamashare/llamashare/pkg/cli"
)

// defaultMemoryLimit is Go's soft memory limit for a run unless GOMEMLIMIT
// sets another: with many distinct keys the collector works harder instead
// of letting the heap grow to twice what is live (issue 17: 100k products
// × 8 hosts on 2M rows peak at 491 MiB without it and 311 MiB with a
// 300 MiB limit, for about 9% more CPU). A run whose live heap stays below
// it is not affected; one whose live heap is above it still completes,
// the runtime capping the collector's share of the CPU.
const defaultMemoryLimit = 320 << 20

// setMemoryLimit applies defaultMemoryLimit unless the environment sets
// GOMEMLIMIT (which the runtime has read already).
func setMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

func main() {
	setMemoryLimit(os.Getenv)
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
