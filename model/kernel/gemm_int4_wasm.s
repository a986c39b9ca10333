//go:build goexperiment.simd

#include "textflag.h"

// The int8 kernel's loop (gemm_int8_wasm.s, whose register roles this
// follows) with nibble weights and a group epilogue. R1-R4 point at the
// current k of rows 0-3 of x, R6 at the current pair of the panel, R9 at
// the current group's scales, R7 counts the groups left and R11 the steps
// left in the group (R10 per group). V0-V7 are a group's int32 sums, row
// r's columns 0-3 in V(2r) and 4-7 in V(2r+1). Go's assembler names only
// V0-V15, too few to keep the f32 sums in locals as well: they live in c,
// which stays in L1, 4 loads and stores per group of 4 steps.

// MEMARG0, as in gemm_int8_wasm.s: the memarg Go's assembler does not write
// after v128.load8x8_s and v128.load32_splat.
#define MEMARG0 Unreachable; Unreachable

// ADDR pushes the i32 address reg+off.
#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

// WEIGHTS widens the pair at byte offset off of the panel into V9 (columns
// 0-3) and V10 (4-7): the 8 bytes sign-extended to int16, then the low
// nibbles by a shift left and right by 12, the high ones by a shift right
// by 4 (see denseInt4).
#define WEIGHTS(off) \
	ADDR(R6, off); V128Load8x8S; MEMARG0; Set V10; \
	Get V10; I32Const $12; I16x8Shl; I32Const $12; I16x8ShrS; Set V9; \
	Get V10; I32Const $4; I16x8ShrS; Set V10

// ROW adds the pair at byte offset off of the row at ptr to acc0, acc1.
#define ROW(ptr, off, acc0, acc1) \
	ADDR(ptr, off); V128Load32Splat; MEMARG0; Set V11; \
	Get acc0; Get V11; Get V9; I32x4DotI16x8S; I32x4Add; Set acc0; \
	Get acc1; Get V11; Get V10; I32x4DotI16x8S; I32x4Add; Set acc1

// GROUP adds acc, converted to f32 and times the group scales s, to c+off
// bytes.
#define GROUP(acc, s, off) \
	ADDR(R0, off); \
	Get R0; I32WrapI64; V128Load $off; \
	Get acc; F32x4ConvertI32x4S; Get s; F32x4Mul; F32x4Add; V128Store

// FINISH multiplies c+off bytes by V12.
#define FINISH(off) \
	ADDR(R0, off); \
	Get R0; I32WrapI64; V128Load $off; Get V12; F32x4Mul; V128Store

// SCALE splats rs[r] (byte offset off) into V12.
#define SCALE(off) \
	Get R8; I32WrapI64; F32Load $off; F32x4Splat; Set V12

#define CLEAR(off) ADDR(R0, off); Get V15; V128Store

#define ADVANCE(reg, n) \
	Get reg; I64Const $n; I64Add; Set reg

// func gemm4x8I4Asm(c *[32]float32, x *int16, ldxBytes int, q *byte, gs *float32, groups, groupSteps int, rs *[4]float32)
TEXT ·gemm4x8I4Asm(SB), NOSPLIT, $0-64
	MOVD c+0(FP), R0
	MOVD x+8(FP), R1
	MOVD ldxBytes+16(FP), R5
	MOVD q+24(FP), R6
	MOVD gs+32(FP), R9
	MOVD groups+40(FP), R7
	MOVD groupSteps+48(FP), R10
	MOVD rs+56(FP), R8

	Get R1; Get R5; I64Add; Set R2
	Get R2; Get R5; I64Add; Set R3
	Get R3; Get R5; I64Add; Set R4

	I32Const $0; I32x4Splat; Set V15
	CLEAR(0)
	CLEAR(16)
	CLEAR(32)
	CLEAR(48)
	CLEAR(64)
	CLEAR(80)
	CLEAR(96)
	CLEAR(112)

	Loop
		Get V15; Set V0
		Get V15; Set V1
		Get V15; Set V2
		Get V15; Set V3
		Get V15; Set V4
		Get V15; Set V5
		Get V15; Set V6
		Get V15; Set V7
		Get R10; Set R11
		Loop
			WEIGHTS(0)
			ROW(R1, 0, V0, V1)
			ROW(R2, 0, V2, V3)
			ROW(R3, 0, V4, V5)
			ROW(R4, 0, V6, V7)
			WEIGHTS(8)
			ROW(R1, 4, V0, V1)
			ROW(R2, 4, V2, V3)
			ROW(R3, 4, V4, V5)
			ROW(R4, 4, V6, V7)
			ADVANCE(R1, 8)
			ADVANCE(R2, 8)
			ADVANCE(R3, 8)
			ADVANCE(R4, 8)
			ADVANCE(R6, 16)
			Get R11; I64Const $1; I64Sub; Tee R11
			I64Const $0; I64GtS
			BrIf $0
		End

		Get R9; I32WrapI64; V128Load $0; Set V13
		Get R9; I32WrapI64; V128Load $16; Set V14
		GROUP(V0, V13, 0)
		GROUP(V1, V14, 16)
		GROUP(V2, V13, 32)
		GROUP(V3, V14, 48)
		GROUP(V4, V13, 64)
		GROUP(V5, V14, 80)
		GROUP(V6, V13, 96)
		GROUP(V7, V14, 112)
		ADVANCE(R9, 32)

		Get R7; I64Const $1; I64Sub; Tee R7
		I64Const $0; I64GtS
		BrIf $0
	End

	SCALE(0)
	FINISH(0)
	FINISH(16)
	SCALE(4)
	FINISH(32)
	FINISH(48)
	SCALE(8)
	FINISH(64)
	FINISH(80)
	SCALE(12)
	FINISH(96)
	FINISH(112)
	RET
