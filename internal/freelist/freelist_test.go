package freelist

import (
	"sync"
	"testing"
)

func TestGetReturnsWhatPutGaveBack(t *testing.T) {
	var l List[[]byte]
	a := l.Get()
	if a == nil || *a != nil {
		t.Fatalf("Get on an empty list = %v, want a new zero value", a)
	}
	b := l.Get()
	if a == b {
		t.Fatal("two Gets without a Put returned the same value")
	}
	l.Put(a)
	l.Put(b)
	if got := l.Get(); got != b {
		t.Errorf("Get after Put(a), Put(b) returned %p, want b %p", got, b)
	}
	if got := l.Get(); got != a {
		t.Errorf("second Get returned %p, want a %p", got, a)
	}
}

// Values are never shared between goroutines that hold them at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	var l List[int]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				v := l.Get()
				*v = g
				if *v != g {
					t.Errorf("value changed while held")
				}
				l.Put(v)
			}
		}()
	}
	wg.Wait()
}
