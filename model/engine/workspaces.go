package engine

import (
	"sync"
)

// maxIdleWorkspaces caps the workspaces kept between calls. A workspace is
// only created when none is idle, so the free list never holds more than the
// peak number of concurrent calls; the cap stops one burst of many callers
// from pinning their activations for the life of the engine.
const maxIdleWorkspaces = 4

// workspaces is a bounded free list of encoder workspaces. Unlike a
// sync.Pool it survives garbage collections: under a tight GOMEMLIMIT (the
// edge worker) the collector runs often, and a pool would hand back a fresh
// workspace, regrown from nothing, on most calls.
type workspaces struct {
	mu   sync.Mutex
	idle []any
	// make returns a new workspace of the engine's encoder (encoder.newWorkspace).
	make func() any
}

// get returns an idle workspace, or a new one when all are in use.
func (p *workspaces) get() any {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		ws := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		return ws
	}
	return p.make()
}

// put returns ws to the free list, or drops it when the list is full.
func (p *workspaces) put(ws any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) < maxIdleWorkspaces {
		p.idle = append(p.idle, ws)
	}
}

// idleCount is the number of idle workspaces.
func (p *workspaces) idleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}
