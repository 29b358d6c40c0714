package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	setMemoryLimit(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("limit %d, want %d", got, defaultMemoryLimit)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	setMemoryLimit(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	})
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: limit changed to %d", got)
	}
}

func TestRaiseLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, limit, want int64 }{
		{100 * mib, 320 * mib, 320 * mib}, // far below: unchanged
		{280 * mib, 320 * mib, 320 * mib}, // seven eighths: unchanged
		{300 * mib, 320 * mib, 375 * mib}, // nearer: a quarter above live
		{400 * mib, 320 * mib, 500 * mib}, // above: a quarter above live
		{900 * mib, 1000 * mib, 1125 * mib},
		{100 * mib, 1000 * mib, 1000 * mib}, // live fell: never lower
	} {
		if got := raiseLimit(c.live, c.limit); got != c.want {
			t.Errorf("raiseLimit(%d MiB, %d MiB) = %d MiB, want %d", c.live/mib, c.limit/mib, got/mib, c.want/mib)
		}
	}
}

// TestLimitFollowsLiveHeap: after a collection that finds more live than
// the limit allows, the limit is raised above the live heap; the hook
// runs after every collection.
func TestLimitFollowsLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	debug.SetMemoryLimit(8 << 20)
	live := make([]byte, 32<<20)
	runtime.GC()
	followLiveHeap()
	if got := debug.SetMemoryLimit(-1); got < 40<<20 {
		t.Errorf("limit %d MiB with 32 MiB live, want at least 40", got>>20)
	}
	runtime.KeepAlive(live)

	calls := make(chan struct{}, 16)
	afterEveryGC(func() {
		select {
		case calls <- struct{}{}:
		default:
		}
	})
	for i := 0; i < 2; i++ {
		runtime.GC()
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("no call after collection %d", i+1)
		}
	}
}
