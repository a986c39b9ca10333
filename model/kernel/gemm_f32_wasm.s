//go:build goexperiment.simd

#include "textflag.h"

// The f32 micro-kernel of gemm_f32_simd.go: 4 rows × 8 columns, V0-V7 the
// accumulators (row r's columns 0-3 in V(2r), 4-7 in V(2r+1)), V8 and V9 a
// k's weights, V10 the broadcast x[r][k]. R1-R4 point at x[r][k], R6 at the
// panel's k, R7 counts the pairs of k left; R0 points at row r of c.
//
// One call runs it on consecutive panels (R12 counts them), the tile of
// panel p stored at column 8p of c, whose rows are R5 bytes apart: attention
// stores its scores and its output this way, all the key or value panels of
// a head in one call, where a call per panel and a copy of each tile out of
// it were a third of its time. R8 is the panel's first column of c, R9 row
// 0 of x, R10 x's row stride, R11 the pairs per panel, R13 the panel's
// start and R14 a panel's size in bytes (in·32: with an odd in, the last k
// is left to Go and R6 stops short of the next panel).//
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

#define NEXTROW Get R0; Get R5; I64Add; Set R0

// func gemm4x8F32Asm(c *float32, ldcBytes int, x *float32, ldxBytes int, panel *float32, in, panels int)
TEXT ·gemm4x8F32Asm(SB), NOSPLIT, $0-56
	MOVD c+0(FP), R8
	MOVD ldcBytes+8(FP), R5
	MOVD x+16(FP), R9
	MOVD ldxBytes+24(FP), R10
	MOVD panel+32(FP), R13
	MOVD in+40(FP), R14
	MOVD panels+48(FP), R12

	Get R14; I64Const $1; I64ShrS; Set R11
	Get R14; I64Const $5; I64Shl; Set R14

	Block
		Get R12; I64Eqz; BrIf $0
		Loop
			Get R9; Set R1
			Get R1; Get R10; I64Add; Set R2
			Get R2; Get R10; I64Add; Set R3
			Get R3; Get R10; I64Add; Set R4
			Get R13; Set R6
			Get R11; Set R7

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

			Get R8; Set R0
			STORE(V0, 0)
			STORE(V1, 16)
			NEXTROW
			STORE(V2, 0)
			STORE(V3, 16)
			NEXTROW
			STORE(V4, 0)
			STORE(V5, 16)
			NEXTROW
			STORE(V6, 0)
			STORE(V7, 16)

			ADVANCE(R8, 32)
			Get R13; Get R14; I64Add; Set R13
			Get R12; I64Const $1; I64Sub; Tee R12
			I64Const $0; I64GtS
			BrIf $0
		End
	End
	RET
