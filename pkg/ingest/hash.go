package ingest

import (
	"crypto/sha256"
	"hash"
	"sync"
)

// Hashing on a goroutine of its own (issue 17): the reader's goroutine
// only copies the bytes it read into one of a few fixed buffers and goes
// on parsing while they are hashed. The hash is still of exactly the bytes
// written, in order.
const (
	hashChunk   = 256 << 10 // bytes per buffer
	hashBuffers = 4         // buffers in flight: 1 MiB at most
)

// asyncHash is an io.Writer whose SHA-256 is computed on its own
// goroutine. Sum waits for every byte written; close ends the goroutine
// when Sum is never called (a read that failed).
type asyncHash struct {
	work  chan []byte
	free  chan []byte
	done  chan struct{}
	h     hash.Hash
	close func()
	made  int // buffers made so far: they are made as needed
}

func newAsyncHash() *asyncHash {
	a := &asyncHash{
		work: make(chan []byte, hashBuffers),
		free: make(chan []byte, hashBuffers),
		done: make(chan struct{}),
		h:    sha256.New(),
	}
	a.close = sync.OnceFunc(func() { close(a.work) })
	go func() {
		defer close(a.done)
		for b := range a.work {
			a.h.Write(b)
			a.free <- b[:0]
		}
	}()
	return a
}

// Write hands a copy of p to the hashing goroutine.
func (a *asyncHash) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		b := a.buffer(min(len(p), hashChunk))
		k := min(len(p), cap(b))
		a.work <- append(b, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// buffer returns a free buffer, of at least size bytes when it can: a
// small file never gets the whole chunk.
func (a *asyncHash) buffer(size int) []byte {
	var b []byte
	select {
	case b = <-a.free:
	default:
		if a.made == hashBuffers {
			b = <-a.free
		} else {
			a.made++
		}
	}
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	return b
}

// Sum returns the SHA-256 of every byte written; nothing may be written
// after it.
func (a *asyncHash) Sum() []byte {
	a.close()
	<-a.done
	return a.h.Sum(nil)
}
