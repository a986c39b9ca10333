// Package kernel holds the numeric kernels of the encoder's hot path: dense
// layers over packed weights (f32, or int8 or grouped int4 multiplied in
// integers by activations quantized to int16 per row), LayerNorm, GELU,
// softmax and the
// small vector primitives attention is built from.
//
// Every kernel has an obvious scalar reference (the *Ref functions) and a fast
// version behind the same signature; tests check the fast version against the
// reference on random shapes, odd sizes included. Under GOEXPERIMENT=simd the
// fast versions use simd/archsimd: everything on GOOS=js GOARCH=wasm (files
// *_simd.go, and *_wasm.s assembly where archsimd lacks the instruction, as
// for the int8 and int4 GEMMs' i32x4.dot_i16x8_s), the GEMM micro-kernels and their
// tile epilogue on amd64 with AVX2 and FMA (files *_avx2.go, chosen at
// start-up, the portable kernels otherwise). Every other build uses the portable Go versions, so the tests
// run, and must pass, in all these builds:
//
//	go test ./model/kernel/
//	GOEXPERIMENT=simd go test ./model/kernel/
//	GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./model/kernel/
//	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./model/kernel/
//
// A row's result depends on that row alone, never on the rows batched with
// it, and the fast kernels match their portable twins bit for bit (the
// reductions in the lane order of reduce.go, the f32 GEMM multiplying then
// adding), except for the AVX2 f32 micro-kernels, which fuse the
// multiply-add: the int8 Linear quantizes activations per row, so any
// one-ulp difference upstream of it would grow to ~1e-4 in an embedding.
//
// The benchmarks (add -run '^$' -bench .) report GFLOP/s for the MiniLM layer
// shapes, per wall-clock second and per CPU-second of the benchmark thread
// (Linux schedstat; Node's main thread under wasm), the latter being the
// number to compare on a shared machine.
package kernel
