//go:build goexperiment.simd

#include "textflag.h"

// Registers: R1-R4 point at the current k of rows 0-3 of x, R6 at the
// current pair of the panel, R7 counts the pairs left. V0-V7 are the int32
// accumulators, row r's columns 0-3 in V(2r) and 4-7 in V(2r+1). V9 and V10
// hold a pair's weights as int16, columns 0-3 and 4-7, each column's k and
// k+1 adjacent: the layout i32x4.dot_i16x8_s multiplies against a splat of
// the row's (x[k], x[k+1]), giving column j's w[j][k]·x[k] + w[j][k+1]·x[k+1]
// in lane j. V11 holds that splat.
//
// One pair a step, not two: V8 (Node 20's TurboFan) issues every load of a
// step before the arithmetic, so two pairs keep 12 loaded vectors and the 8
// accumulators live at once, more than x64's 15 allocatable xmm registers,
// and it spilled 4 accumulators and 2 splats to the stack in every step
// (seen with node --print-wasm-code). One pair keeps 6 + 8 + 1 temporary:
// no spills, 56 → 66 GFLOP/cpu-s at 128×384×1536 (kernel alone, measured
// side by side). 6×8 tiles and four pairs a step spill more, and measured
// slower.

// MEMARG0 is the memory argument (alignment 2⁰, offset 0) of the
// v128.load32_splat and v128.load8x8_s before it. Go's assembler writes a
// memarg only for V128Load among the v128 memory ops and emits these two
// bare; the bytes of the memarg, 0x00 0x00, are those of two Unreachable
// opcodes. (A missing memarg makes the module fail validation, a wrong one
// the bit-exact tests.) Against i32.load + i32x4.splat and v128.load +
// i16x8.extend_{low,high}: +20% GFLOP/cpu-s at 128×384×1536 (39.6 → 47.8,
// measured side by side): V8 makes one vpbroadcastd or vpmovsxbw with a
// memory operand of each instead of going through a general register.
// A non-zero offset in the memarg (a padded LEB128 written as opcodes) made
// V8 keep memory base + offset in a register of its own per offset, and
// spill the row pointers: slower, so addresses are added up front instead.
#define MEMARG0 Unreachable; Unreachable

// ADDR pushes the i32 address reg+off.
#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

// WEIGHTS8 widens the int8 pair at R6 into V9, V10.
#define WEIGHTS8 \
	Get R6; I32WrapI64; V128Load8x8S; MEMARG0; Set V9; \
	ADDR(R6, 8); V128Load8x8S; MEMARG0; Set V10

// WEIGHTS16 loads the int16 pair at R6 into V9, V10.
#define WEIGHTS16 \
	Get R6; I32WrapI64; V128Load $0; Set V9; \
	Get R6; I32WrapI64; V128Load $16; Set V10

// ROW adds the pair at ptr to acc0, acc1.
#define ROW(ptr, acc0, acc1) \
	Get ptr; I32WrapI64; V128Load32Splat; MEMARG0; Set V11; \
	Get acc0; Get V11; Get V9; I32x4DotI16x8S; I32x4Add; Set acc0; \
	Get acc1; Get V11; Get V10; I32x4DotI16x8S; I32x4Add; Set acc1

// STORE writes acc, converted to f32 and times V12, to c+off bytes.
// V128Store takes no offset operand in Go's assembler: add it.
#define STORE(acc, off) \
	ADDR(R0, off); Get acc; F32x4ConvertI32x4S; Get V12; F32x4Mul; V128Store

// SCALE splats rs[r] (byte offset off) into V12.
#define SCALE(off) \
	Get R8; I32WrapI64; F32Load $off; F32x4Splat; Set V12

#define ADVANCE(reg, n) \
	Get reg; I64Const $n; I64Add; Set reg

// KERNEL is the body of both kernels: WEIGHTS loads a pair of the panel,
// which is wbytes long.
#define KERNEL(WEIGHTS, wbytes) \
	MOVD c+0(FP), R0; \
	MOVD x+8(FP), R1; \
	MOVD ldxBytes+16(FP), R5; \
	MOVD q+24(FP), R6; \
	MOVD pairs+32(FP), R7; \
	MOVD rs+40(FP), R8; \
	Get R1; Get R5; I64Add; Set R2; \
	Get R2; Get R5; I64Add; Set R3; \
	Get R3; Get R5; I64Add; Set R4; \
	I32Const $0; I32x4Splat; Set V0; \
	Get V0; Set V1; Get V0; Set V2; Get V0; Set V3; \
	Get V0; Set V4; Get V0; Set V5; Get V0; Set V6; Get V0; Set V7; \
	Loop; \
		WEIGHTS; \
		ROW(R1, V0, V1); \
		ROW(R2, V2, V3); \
		ROW(R3, V4, V5); \
		ROW(R4, V6, V7); \
		ADVANCE(R1, 4); ADVANCE(R2, 4); ADVANCE(R3, 4); ADVANCE(R4, 4); \
		ADVANCE(R6, wbytes); \
		Get R7; I64Const $1; I64Sub; Tee R7; \
		I64Const $0; I64GtS; \
		BrIf $0; \
	End; \
	SCALE(0); STORE(V0, 0); STORE(V1, 16); \
	SCALE(4); STORE(V2, 32); STORE(V3, 48); \
	SCALE(8); STORE(V4, 64); STORE(V5, 80); \
	SCALE(12); STORE(V6, 96); STORE(V7, 112)

// func gemm4x8I16Asm(c *[32]float32, x *int16, ldxBytes int, q *int8, pairs int, rs *[4]float32)
TEXT ·gemm4x8I16Asm(SB), NOSPLIT, $0-48
	KERNEL(WEIGHTS8, 16)
	RET

// func gemm4x8W16Asm(c *[32]float32, x *int16, ldxBytes int, q *int16, pairs int, rs *[4]float32)
TEXT ·gemm4x8W16Asm(SB), NOSPLIT, $0-48
	KERNEL(WEIGHTS16, 32)
	RET

// func widenAsm(dst *int16, src *int8, n int)
TEXT ·widenAsm(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD src+8(FP), R1
	MOVD n+16(FP), R2
	Loop
		Get R0; I32WrapI64
		Get R1; I32WrapI64; V128Load8x8S; MEMARG0
		V128Store
		ADDR(R0, 16)
		ADDR(R1, 8); V128Load8x8S; MEMARG0
		V128Store
		ADVANCE(R0, 32)
		ADVANCE(R1, 16)
		Get R2; I64Const $16; I64Sub; Tee R2
		I64Const $0; I64GtS
		BrIf $0
	End
	RET
