// Package freelist keeps values for reuse, like sync.Pool, for the browser
// engine.
//
// sync.Pool's per-P lock-free queues and its GC hook are about 9 kB of the
// engine's wasm (docs/design.md, "Engine size"), where one goroutine at a
// time runs Go code anyway. A List is a mutex and a slice: it keeps every
// value put back, so it suits values as many as the calls that run at once
// (per-call scratch buffers).
package freelist

import "sync"

// List is a free list of *T. The zero value is empty and ready to use.
type List[T any] struct {
	mu   sync.Mutex
	free []*T
}

// Get returns a value put back earlier, or a new zero T.
func (l *List[T]) Get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.free)
	if n == 0 {
		return new(T)
	}
	v := l.free[n-1]
	l.free[n-1] = nil
	l.free = l.free[:n-1]
	return v
}

// Put makes v available to a later Get.
func (l *List[T]) Put(v *T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.free = append(l.free, v)
}
