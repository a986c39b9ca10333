//go:build goexperiment.simd

#include "textflag.h"

// Registers: R1-R4 point at the current k of rows 0-3 of x, R6 at the
// current pair of the panel, R7 counts the steps left. V0-V7 are the int32
// accumulators, row r's columns 0-3 in V(2r) and 4-7 in V(2r+1). V9 and V10
// hold a pair's weights widened to int16, columns 0-3 and 4-7, each
// column's k and k+1 adjacent: the layout i32x4.dot_i16x8_s multiplies
// against a splat of the row's (x[k], x[k+1]), giving column j's
// w[j][k]·x[k] + w[j][k+1]·x[k+1] in lane j.
//
// Go's wasm registers are i64 locals, so every address is an i32.wrap of
// one, plus the offset within the step (two pairs, 4 k).

// MEMARG0 is the memory argument (alignment 2⁰, offset 0) of the
// v128.load32_splat and v128.load8x8_s before it. Go's assembler writes a
// memarg only for V128Load among the v128 memory ops and emits these two
// bare; the bytes of the memarg, 0x00 0x00, are those of two Unreachable
// opcodes. (A missing memarg makes the module fail validation, a wrong one
// the bit-exact tests.) Against i32.load + i32x4.splat and v128.load +
// i16x8.extend_{low,high}: +20% GFLOP/cpu-s at 128×384×1536 (39.6 → 47.8,
// measured side by side): V8 makes one vpbroadcastd or vpmovsxbw with a
// memory operand of each instead of going through a general register.
#define MEMARG0 Unreachable; Unreachable

// ADDR pushes the i32 address reg+off.
#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

// WEIGHTS widens the pair at byte offset off of the panel into V9, V10.
#define WEIGHTS(off) \
	ADDR(R6, off); V128Load8x8S; MEMARG0; Set V9; \
	ADDR(R6, off+8); V128Load8x8S; MEMARG0; Set V10

// ROW adds the pair at byte offset off of the row at ptr to acc0, acc1.
#define ROW(ptr, off, acc0, acc1) \
	ADDR(ptr, off); V128Load32Splat; MEMARG0; Set V11; \
	Get acc0; Get V11; Get V9; I32x4DotI16x8S; I32x4Add; Set acc0; \
	Get acc1; Get V11; Get V10; I32x4DotI16x8S; I32x4Add; Set acc1

// STORE writes acc, converted to f32 and times V12, to c+off bytes.
// V128Store takes no offset operand in Go's assembler: add it.
#define STORE(acc, off) \
	Get R0; I32WrapI64; I32Const $off; I32Add; \
	Get acc; F32x4ConvertI32x4S; Get V12; F32x4Mul; V128Store

// SCALE splats rs[r] (byte offset off) into V12.
#define SCALE(off) \
	Get R8; I32WrapI64; F32Load $off; F32x4Splat; Set V12

#define ADVANCE(reg, n) \
	Get reg; I64Const $n; I64Add; Set reg

// func gemm4x8I16Asm(c *[32]float32, x *int16, ldxBytes int, q *int8, steps int, rs *[4]float32)
TEXT ·gemm4x8I16Asm(SB), NOSPLIT, $0-48
	MOVD c+0(FP), R0
	MOVD x+8(FP), R1
	MOVD ldxBytes+16(FP), R5
	MOVD q+24(FP), R6
	MOVD steps+32(FP), R7
	MOVD rs+40(FP), R8

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

	Loop
		WEIGHTS(0)
		ROW(R1, 0, V0, V1)
		ROW(R2, 0, V2, V3)
		ROW(R3, 0, V4, V5)
		ROW(R4, 0, V6, V7)
		WEIGHTS(16)
		ROW(R1, 4, V0, V1)
		ROW(R2, 4, V2, V3)
		ROW(R3, 4, V4, V5)
		ROW(R4, 4, V6, V7)
		ADVANCE(R1, 8)
		ADVANCE(R2, 8)
		ADVANCE(R3, 8)
		ADVANCE(R4, 8)
		ADVANCE(R6, 32)
		Get R7; I64Const $1; I64Sub; Tee R7
		I64Const $0; I64GtS
		BrIf $0
	End

	SCALE(0)
	STORE(V0, 0)
	STORE(V1, 16)
	SCALE(4)
	STORE(V2, 32)
	STORE(V3, 48)
	SCALE(8)
	STORE(V4, 64)
	STORE(V5, 80)
	SCALE(12)
	STORE(V6, 96)
	STORE(V7, 112)
	RET
