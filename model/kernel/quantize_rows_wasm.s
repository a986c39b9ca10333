//go:build goexperiment.simd

#include "textflag.h"

// CONVERT leaves round-to-even(x[off/4 : off/4+4]·inv) as int32 on the stack.
#define CONVERT(off) \
	Get R1; I32WrapI64; V128Load $off; Get V0; F32x4Mul; F32x4Nearest; I32x4TruncSatF32x4S

// func quantizeAsm(dst *int16, x *float32, n int, inv float32)
TEXT ·quantizeAsm(SB), NOSPLIT, $0-28
	MOVD dst+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	Get SP; F32Load inv+24(FP); F32x4Splat; Set V0

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
