package main

import (
	"fmt"
	"runtime"
)

// health is the GET /healthz body. instance_id and loads let a client see that requests
// share one Go instance and that the weights were loaded once.
type health struct {
	Status     string    `json:"status"`
	InstanceID string    `json:"instance_id"`
	Model      string    `json:"model"`
	Load       loadStats `json:"load"`
	Memory     memory    `json:"memory"`
}

type memory struct {
	WasmBytes  int64  `json:"wasm_memory_bytes"` // linear memory: what the isolate pays, it never shrinks
	HeapAlloc  uint64 `json:"go_heap_alloc_bytes"`
	HeapSys    uint64 `json:"go_heap_sys_bytes"`
	Sys        uint64 `json:"go_sys_bytes"`
	NumGC      uint32 `json:"go_num_gc"`
	LimitBytes int64  `json:"isolate_limit_bytes"`
}

// isolateLimit is Cloudflare's per-isolate memory cap; the JS heap shares it with wasm memory.
const isolateLimit = 128 << 20

func readMemory(wasmBytes int64) memory {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{WasmBytes: wasmBytes, HeapAlloc: ms.HeapAlloc, HeapSys: ms.HeapSys, Sys: ms.Sys,
		NumGC: ms.NumGC, LimitBytes: isolateLimit}
}

func (m memory) String() string {
	return fmt.Sprintf("wasm %.1f MB, Go heap alloc %.1f MB, heap sys %.1f MB, Go sys %.1f MB, %d GCs",
		float64(m.WasmBytes)/1e6, float64(m.HeapAlloc)/1e6, float64(m.HeapSys)/1e6, float64(m.Sys)/1e6, m.NumGC)
}
