//go:build goexperiment.simd

#include "textflag.h"

// The f32 micro-kernel of gemm_f32_simd.go: 4 rows × 8 columns, V0-V7 the
// accumulators (row r's columns 0-3 in V(2r), 4-7 in V(2r+1)), V8 and V9 a
// k's weights, V10 the broadcast x[r][k]. R1-R4 point at x[r][k], R6 at the
// panel's k, R7 counts the pairs of k left.
//
// Against the archsimd version (Go's wasm backend computes each address as
// a 64-bit add and an i32.wrap and broadcasts through f32.load +
// f32x4.splat): the weights use the loads' offset immediates and x
// v128.load32_splat, whose memarg Go's assembler omits and MEMARG0 supplies
// (see gemm_int8_wasm.s).
#define MEMARG0 Unreachable; Unreachable

#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

// K multiplies the k at byte offset xoff of the rows and woff of the panel
// into the accumulators: mul, then add, as the archsimd kernel rounds.
#define K(xoff, woff) \
	Get R6; I32WrapI64; V128Load $woff; Set V8; \
	Get R6; I32WrapI64; V128Load $(woff+16); Set V9; \
	ROW(R1, xoff, V0, V1); \
	ROW(R2, xoff, V2, V3); \
	ROW(R3, xoff, V4, V5); \
	ROW(R4, xoff, V6, V7)

#define ROW(ptr, off, acc0, acc1) \
	ADDR(ptr, off); V128Load32Splat; MEMARG0; Set V10; \
	Get acc0; Get V10; Get V8; F32x4Mul; F32x4Add; Set acc0; \
	Get acc1; Get V10; Get V9; F32x4Mul; F32x4Add; Set acc1

#define ADVANCE(reg, n) Get reg; I64Const $n; I64Add; Set reg

#define STORE(acc, off) ADDR(R0, off); Get acc; V128Store

// func gemm4x8F32Asm(c *[32]float32, x *float32, ldxBytes int, panel *float32, pairs int)
TEXT ·gemm4x8F32Asm(SB), NOSPLIT, $0-40
	MOVD c+0(FP), R0
	MOVD x+8(FP), R1
	MOVD ldxBytes+16(FP), R5
	MOVD panel+24(FP), R6
	MOVD pairs+32(FP), R7

	Get R1; Get R5; I64Add; Set R2
	Get R2; Get R5; I64Add; Set R3
	Get R3; Get R5; I64Add; Set R4

	I32Const $0; I32x4Splat; Set V0
	Get V0; Set V1
	Get V0; Set V2
	Get V0; Set V3
	Get V0; Set V4
	Get V0; Set V5
	Get V0; Set V6
	Get V0; Set V7

	Block
		Get R7; I64Eqz; BrIf $0
		Loop
			K(0, 0)
			K(4, 32)
			ADVANCE(R1, 8)
			ADVANCE(R2, 8)
			ADVANCE(R3, 8)
			ADVANCE(R4, 8)
			ADVANCE(R6, 64)
			Get R7; I64Const $1; I64Sub; Tee R7
			I64Const $0; I64GtS
			BrIf $0
		End
	End

	STORE(V0, 0)
	STORE(V1, 16)
	STORE(V2, 32)
	STORE(V3, 48)
	STORE(V4, 64)
	STORE(V5, 80)
	STORE(V6, 96)
	STORE(V7, 112)
	RET
