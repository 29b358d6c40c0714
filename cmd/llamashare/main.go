// Command llamashare settles model-licensing revenue shares.
package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/llamashare/llamashare/pkg/cli"
)

// defaultMemoryLimit is Go's soft memory limit for a run unless GOMEMLIMIT
// sets another: with many distinct keys the collector works harder instead
// of letting the heap grow to twice what is live (issue 17: 100k products
// × 8 hosts on 2M rows peak at 491 MiB without it and 311 MiB with a
// 300 MiB limit, for about 9% more CPU). A run whose live heap stays below
// it is not affected. One whose live heap nears it gets a limit that
// rises with it (raiseLimit): a fixed limit under the live heap made the
// collector run back to back (1M products × 8 hosts: 865–1,071
// collections; 3.7M keys: 3,029 and 30% more CPU).
const defaultMemoryLimit = 320 << 20

// setMemoryLimit applies defaultMemoryLimit unless the environment sets
// GOMEMLIMIT (which the runtime has read already), and follows the live
// heap after every collection.
func setMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
		afterEveryGC(followLiveHeap)
	}
}

// followLiveHeap raises the memory limit when the live heap nears it.
func followLiveHeap() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	limit := debug.SetMemoryLimit(-1)
	if next := raiseLimit(int64(s[0].Value.Uint64()), limit); next != limit {
		debug.SetMemoryLimit(next)
	}
}

// raiseLimit returns the limit for a live heap of live bytes: the same
// while live is under seven eighths of it, else a quarter more than live
// (as GOGC=25 would), never lower. 1M products × 8 hosts on 2M rows: 33
// collections instead of 865–1,071, 25–35% less CPU, peak 432 MB instead
// of 385; 100k products never reach it (22 collections, 339 MB either way).
func raiseLimit(live, limit int64) int64 {
	if live <= limit-limit/8 {
		return limit
	}
	return max(limit, live+live/4)
}

// sentinel is an object whose only use is to be collected: it holds a
// pointer, so the allocator never batches it with others.
type sentinel struct{ _ *sentinel }

// afterEveryGC runs f after each collection, on the runtime's cleanup
// goroutine.
func afterEveryGC(f func()) {
	runtime.AddCleanup(&sentinel{}, func(struct{}) {
		f()
		afterEveryGC(f)
	}, struct{}{})
}

func main() {
	setMemoryLimit(os.Getenv)
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
