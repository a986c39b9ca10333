//go:build goexperiment.simd

#include "textflag.h"

// MAGIC is 1.5·2²³ as f32 bits, 0x4B400000. For |p| < 2²², p + 1.5·2²³
// lies in [2²³, 2²⁴), where the f32 spacing is 1: the one rounding of the
// add is p's round-to-even, and the sum's bits are MAGIC + round(p). So an
// f32 add and an i32 subtract of the same constant round and convert, where
// f32x4.nearest and i32x4.trunc_sat_f32x4_s cost V8 seven instructions a
// vector (vroundps, and cvttps2dq with its NaN and saturation fix-ups). The
// products here are at most limit ≤ 32767 in magnitude (x·limit/max|x|,
// rounded).
#define MAGIC $0x4B400000

// CONVERT leaves round-to-even(x[off/4 : off/4+4]·inv) as int32 on the
// stack; V0 holds inv, V1 MAGIC in every lane.
#define CONVERT(off) \
	Get R1; I32WrapI64; V128Load $off; Get V0; F32x4Mul; Get V1; F32x4Add; Get V1; I32x4Sub

// func quantizeAsm(dst *int16, x *float32, n int, inv float32)
TEXT ·quantizeAsm(SB), NOSPLIT, $0-28
	MOVD dst+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	Get SP; F32Load inv+24(FP); F32x4Splat; Set V0
	I32Const MAGIC; I32x4Splat; Set V1

	Loop
		Get R0; I32WrapI64
		CONVERT(0)
		CONVERT(16)
		I16x8NarrowI32x4S
		V128Store
		Get R0; I64Const $16; I64Add; Set R0
		Get R1; I64Const $32; I64Add; Set R1
		Get R2; I64Const $8; I64Sub; Tee R2
		I64Const $0; I64GtS
		BrIf $0
	End
	RET

// MAXABS folds |x[off/4 : off/4+4]| into acc. Non-negative floats order
// as their bits do as integers, so i32x4.max_s (one pmaxsd) stands in for
// f32x4.max, which V8 spends about eight instructions on (its NaN and
// signed-zero rules). A NaN, whose bits exceed +Inf's, still wins, as it
// does in Go's max.
#define MAXABS(off, acc) \
	Get acc; Get R1; I32WrapI64; V128Load $off; Get V2; V128And; I32x4MaxS; Set acc

// func maxAbsAsm(m *[4]uint32, x *float32, n int)
TEXT ·maxAbsAsm(SB), NOSPLIT, $0-24
	MOVD m+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	I32Const $0x7FFFFFFF; I32x4Splat; Set V2
	I32Const $0; I32x4Splat; Set V0
	Get V0; Set V1

	Loop
		MAXABS(0, V0)
		MAXABS(16, V1)
		Get R1; I64Const $32; I64Add; Set R1
		Get R2; I64Const $8; I64Sub; Tee R2
		I64Const $0; I64GtS
		BrIf $0
	End
	Get R0; I32WrapI64; Get V0; Get V1; I32x4MaxS; V128Store
	RET
