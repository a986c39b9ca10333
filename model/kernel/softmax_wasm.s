//go:build goexperiment.simd

#include "textflag.h"

// The exp pass of Softmax (activation_simd.go): x[i] = expNeg32(x[i] - m)
// four lanes at a time, summed per lane, the operations of expNeg32 in its
// order so every lane rounds as the scalar code does.
//
// Against the archsimd loop it replaces (146 Melem/s in Node): Go's wasm
// backend splats each of the fourteen constants again on every iteration
// and makes 2ⁿ with i32x4.trunc_sat_f32x4_s, several instructions on x86.
// Here the constants are splat once into locals (V0-V10; three of them are
// loaded in the loop, as sixteen v128 locals do not hold fourteen constants,
// an accumulator and four temporaries) and 2ⁿ is the bits of n + 1.5·2²³ +
// 127 shifted left by 23: for the integer n in [-126, 0] the sum is exact,
// its low mantissa bits are n+127, and the shift drops everything above
// them, the bits of float32(2ⁿ) exactly as (int32(n)+127)<<23.
//
// R0 points at the current quad of x, R1 counts the quads left, R2 at the
// constants (softmaxConsts in activation_simd.go), R3 at the sums.
// V11 accumulates; V12 is x - m, then the result; V13 the keep mask
// (x ≥ expMin); V14 n, then 2ⁿ; V15 r.

// MEMARG0 supplies the memarg Go's assembler omits after v128.load32_splat
// (see gemm_int8_wasm.s).
#define MEMARG0 Unreachable; Unreachable

#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

#define ADVANCE(reg, n) Get reg; I64Const $n; I64Add; Set reg

// SPLAT sets v to the constant at byte offset off, in every lane.
#define SPLAT(off, v) Get R2; I32WrapI64; F32Load $off; F32x4Splat; Set v

// CONST pushes the constant at byte offset off, in every lane.
#define CONST(off) ADDR(R2, off); V128Load32Splat; MEMARG0

// func expSumAsm(x *float32, quads int, k *softmaxConsts, sum *[4]float32)
TEXT ·expSumAsm(SB), NOSPLIT, $0-32
	MOVD x+0(FP), R0
	MOVD quads+8(FP), R1
	MOVD k+16(FP), R2
	MOVD sum+24(FP), R3

	SPLAT(0, V0)   // m
	SPLAT(4, V1)   // expMin
	SPLAT(8, V2)   // expLog2e
	SPLAT(12, V3)  // 0.5
	SPLAT(16, V4)  // expLn2Hi
	SPLAT(20, V5)  // expLn2Lo
	SPLAT(24, V6)  // expP0
	SPLAT(28, V7)  // expP1
	SPLAT(32, V8)  // expP2
	SPLAT(36, V9)  // 1
	SPLAT(40, V10) // expPow2Magic
	I32Const $0; I32x4Splat; Set V11

	Block
		Get R1; I64Eqz; BrIf $0
		Loop
			Get R0; I32WrapI64; V128Load $0; Get V0; F32x4Sub; Set V12
			Get V12; Get V1; F32x4Ge; Set V13
			// Clamped so the lanes zeroed at the end stay finite (and
			// their products normal) meanwhile; with f32x4.pmax, one maxps
			// on x86 where V8 spends seven instructions on f32x4.max's NaN
			// and signed-zero rules: a NaN lane stays NaN, and is zeroed.
			Get V12; Get V1; F32x4Pmax; Set V12
			// n = floor(x·log2e + 0.5)
			Get V12; Get V2; F32x4Mul; Get V3; F32x4Add; F32x4Floor; Set V14
			// r = x - n·ln2Hi - n·ln2Lo
			Get V12; Get V14; Get V4; F32x4Mul; F32x4Sub
			Get V14; Get V5; F32x4Mul; F32x4Sub; Set V15
			// 2ⁿ
			Get V14; Get V10; F32x4Add; I32Const $23; I32x4Shl; Set V14
			// p = ((((P0·r + P1)·r + P2)·r + P3)·r + P4)·r + P5
			Get V6; Get V15; F32x4Mul; Get V7; F32x4Add
			Get V15; F32x4Mul; Get V8; F32x4Add
			Get V15; F32x4Mul; CONST(44); F32x4Add
			Get V15; F32x4Mul; CONST(48); F32x4Add
			Get V15; F32x4Mul; CONST(52); F32x4Add
			// (p·r² + r + 1)·2ⁿ, 0 where x < expMin or NaN
			Get V15; Get V15; F32x4Mul; F32x4Mul
			Get V15; F32x4Add; Get V9; F32x4Add
			Get V14; F32x4Mul; Get V13; V128And; Set V12

			Get R0; I32WrapI64; Get V12; V128Store
			Get V11; Get V12; F32x4Add; Set V11

			ADVANCE(R0, 16)
			Get R1; I64Const $1; I64Sub; Tee R1
			I64Const $0; I64GtS
			BrIf $0
		End
	End

	Get R3; I32WrapI64; Get V11; V128Store
	RET

// The max and scale passes of Softmax. Go's wasm backend spends several
// instructions of i64 address arithmetic and an i32.wrap on each access of
// an archsimd loop: archsimd's Scale ran 1.1 Gelem per CPU-s in Node,
// scaleAsm 4.4. The max is f32x4.pmax(m, x), "x if m < x", the scalar
// "if v > m" of softmaxGo per lane (and one maxps on x86), in two chains,
// even and odd quads, so its latency is not paid per quad: the lanes'
// maxima come out the same in any grouping of non-NaN values.

// MAXQUADS sets V0 (even quads) and V1 (odd quads) to the lane maxima of
// the R1 ≥ 1 quads at R0; LOADQ pushes the quad at R0 (and may add to it).
#define MAXQUADS(LOADQ) \
	LOADQ; Set V0; \
	Get V0; Set V1; \
	ADVANCE(R0, 16); \
	Get R1; I64Const $1; I64Sub; Set R1; \
	Block; \
		Get R1; I64Const $2; I64LtS; BrIf $0; \
		Loop; \
			Get V0; LOADQ; F32x4Pmax; Set V0; \
			ADVANCE(R0, 16); \
			Get V1; LOADQ; F32x4Pmax; Set V1; \
			ADVANCE(R0, 16); \
			Get R1; I64Const $2; I64Sub; Tee R1; \
			I64Const $2; I64GeS; \
			BrIf $0; \
		End; \
	End; \
	Block; \
		Get R1; I64Eqz; BrIf $0; \
		Get V0; LOADQ; F32x4Pmax; Set V0; \
	End; \
	Get R2; I32WrapI64; Get V0; Get V1; F32x4Pmax; V128Store

#define LOADX Get R0; I32WrapI64; V128Load $0

// LOADXMASK stores x + mask over the quad and pushes it; R3 is the mask's
// quad, advanced here.
#define LOADXMASK \
	Get R0; I32WrapI64; \
	Get R0; I32WrapI64; V128Load $0; Get R3; I32WrapI64; V128Load $0; F32x4Add; \
	Tee V2; V128Store; Get V2; \
	ADVANCE(R3, 16)

// func maxAsm(x *float32, quads int, lanes *[4]float32)
TEXT ·maxAsm(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R0
	MOVD quads+8(FP), R1
	MOVD lanes+16(FP), R2
	MAXQUADS(LOADX)
	RET

// func addMaxAsm(x *float32, quads int, lanes *[4]float32, mask *float32)
TEXT ·addMaxAsm(SB), NOSPLIT, $0-32
	MOVD x+0(FP), R0
	MOVD quads+8(FP), R1
	MOVD lanes+16(FP), R2
	MOVD mask+24(FP), R3
	MAXQUADS(LOADXMASK)
	RET

// func scaleAsm(x *float32, quads int, alpha float32)
TEXT ·scaleAsm(SB), NOSPLIT, $0-20
	MOVD x+0(FP), R0
	MOVD quads+8(FP), R1
	MOVW alpha+16(FP), R2
	Get R2; I32WrapI64; I32x4Splat; Set V0
	Block
		Get R1; I64Eqz; BrIf $0
		Loop
			Get R0; I32WrapI64
			Get R0; I32WrapI64; V128Load $0; Get V0; F32x4Mul
			V128Store
			ADVANCE(R0, 16)
			Get R1; I64Const $1; I64Sub; Tee R1
			I64Const $0; I64GtS
			BrIf $0
		End
	End
	RET
