package engine

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/wasmbert/wasmbert/model/modelfile"
)

// TestConcurrentEmbed embeds from many goroutines at once (run with -race):
// each must get the vectors of a lone call, and no more than
// maxIdleWorkspaces workspaces may stay behind.
func TestConcurrentEmbed(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 8)
	for i := range texts {
		texts[i] = fmt.Sprintf("sentence %d about the weather and the sea", i)
	}
	want, err := e.Embed(texts, EmbedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const callers = 3 * maxIdleWorkspaces
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for c := range callers {
		wg.Go(func() {
			for range 3 {
				// Alternate bounds so workspaces of different sizes are shared.
				got, err := e.Embed(texts, EmbedOptions{MaxBatchTokens: 16 + 64*(c%2)})
				if err != nil {
					errs <- err
					return
				}
				for i := range want {
					if d := maxAbsDiff(got[i].Vector, want[i].Vector); d > 1e-5 {
						errs <- fmt.Errorf("caller %d, text %d: max abs diff %g", c, i, d)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := e.workspaces.idleCount(); n < 1 || n > maxIdleWorkspaces {
		t.Errorf("%d idle workspaces, want 1..%d", n, maxIdleWorkspaces)
	}
}

// TestWorkspacesSurviveGC is why the free list is not a sync.Pool: a
// collection must not drop the workspace a later call would reuse.
func TestWorkspacesSurviveGC(t *testing.T) {
	e, err := LoadFile(tinyFile(t, modelfile.F32))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed([]string{"hello"}, EmbedOptions{}); err != nil {
		t.Fatal(err)
	}
	ws := e.workspaces.get()
	e.workspaces.put(ws)
	runtime.GC()
	runtime.GC()
	if got := e.workspaces.get(); got != ws {
		t.Error("the workspace was dropped by garbage collection")
	}
}
