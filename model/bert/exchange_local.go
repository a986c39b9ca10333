package bert

import (
	"errors"
	"sync"
)

// ErrExchangeAborted is what AllGather returns once a LocalExchange is
// aborted.
var ErrExchangeAborted = errors.New("exchange aborted")

// LocalExchange connects the parts of a split forward that run as
// goroutines of one process, the way js/parallel.js connects Web Workers
// through a SharedArrayBuffer: two shared regions used in turn, so one
// barrier per AllGather suffices (a part writes a region again only after
// every part passed the next barrier, so after every part read it).
type LocalExchange struct {
	mu      sync.Mutex
	cond    *sync.Cond
	parts   int
	arrived int
	gen     int
	region  [2][]float32
	aborted bool
}

// NewLocalExchange returns an exchange for parts parts.
func NewLocalExchange(parts int) *LocalExchange {
	e := &LocalExchange{parts: parts}
	e.cond = sync.NewCond(&e.mu)
	return e
}

// Part returns the Exchange of one part; each part needs its own.
func (e *LocalExchange) Part() Exchange { return &localPart{e: e} }

// Abort makes every waiting and later AllGather return ErrExchangeAborted:
// a part that fails calls it so that the others do not wait for it.
func (e *LocalExchange) Abort() {
	e.mu.Lock()
	e.aborted = true
	e.cond.Broadcast()
	e.mu.Unlock()
}

// localPart counts its own gathers to pick the region.
type localPart struct {
	e     *LocalExchange
	calls int
}

func (p *localPart) AllGather(buf []float32, width, lo, hi int) error {
	e := p.e
	p.calls++
	r := p.calls % 2
	e.mu.Lock()
	if e.aborted {
		e.mu.Unlock()
		return ErrExchangeAborted
	}
	if len(e.region[r]) < len(buf) {
		// No part reads region r before the barrier below, so growing it
		// under the lock is safe.
		e.region[r] = append(e.region[r], make([]float32, len(buf)-len(e.region[r]))...)
	}
	copy(e.region[r][lo*width:hi*width], buf[lo*width:hi*width])
	gen := e.gen
	e.arrived++
	if e.arrived == e.parts {
		e.arrived = 0
		e.gen++
		e.cond.Broadcast()
	}
	for e.gen == gen && !e.aborted {
		e.cond.Wait()
	}
	aborted := e.aborted
	e.mu.Unlock()
	if aborted {
		return ErrExchangeAborted
	}
	copy(buf[:lo*width], e.region[r][:lo*width])
	copy(buf[hi*width:], e.region[r][hi*width:len(buf)])
	return nil
}
