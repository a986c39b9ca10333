//go:build goexperiment.simd

#include "textflag.h"

// Softmax of one row (activation_simd.go) in one call: the max pass, the
// exp pass (x[i] = expNeg32(x[i] - m), summed per lane) and the scale pass,
// each over the quads of x and then over the tail quad, which Go fills with
// the last n mod 4 elements and pads with -Inf (its exps are 0, adding
// nothing to their lanes). Every step is expNeg32's and softmaxGo's
// operation in their order, so each lane rounds as the scalar code does.
//
// Against archsimd loops and a call per pass (146 Melem/s in Node, row of
// 128): Go's wasm backend spends several instructions of i64 address
// arithmetic and an i32.wrap on every access and splats each constant
// again on every iteration; a call from Go costs about as much as a pass
// over 32 quads. Here the constants are splat once into locals (V1-V10;
// three more are loaded in the loop: sixteen v128 locals do not hold
// thirteen constants, the max, an accumulator and four temporaries), and
// 2ⁿ is the bits of n + 1.5·2²³ + 127 shifted left by 23: for the integer
// n in [-126, 0] the sum is exact, its low mantissa bits are n+127, and the
// shift drops everything above them, the bits of float32(2ⁿ) exactly as
// (int32(n)+127)<<23, without i32x4.trunc_sat_f32x4_s (several
// instructions on x86). The maxima are f32x4.pmax(m, x), "x if m < x",
// softmaxGo's "if v > m" per lane and one maxps on x86 (V8 spends seven
// instructions on f32x4.max's NaN and signed-zero rules), in two chains,
// even and odd quads, so the latency is not paid per quad: the lanes'
// maxima come out the same in any grouping of non-NaN values.
//
// R4 is x, R5 the number of quads (≥ 1), R3 the mask (0: none), R7 1 if
// there is a tail quad, R2 the frame (softmaxFrame: constants at 0-48, the
// tail quad at TAIL, room for the lanes at LANES); R0 and R1 walk a pass.
// V0 is the max, then 1/sum; V11 the sums; V12-V15 temporaries.

#define TAIL 52
#define LANES 68

// MEMARG0 supplies the memarg Go's assembler omits after v128.load32_splat
// (see gemm_int8_wasm.s).
#define MEMARG0 Unreachable; Unreachable

#define ADDR(reg, off) Get reg; I32WrapI64; I32Const $off; I32Add

#define ADVANCE(reg, n) Get reg; I64Const $n; I64Add; Set reg

// SPLAT sets v to the constant at byte offset off, in every lane.
#define SPLAT(off, v) Get R2; I32WrapI64; F32Load $off; F32x4Splat; Set v

// CONST pushes the constant at byte offset off, in every lane.
#define CONST(off) ADDR(R2, off); V128Load32Splat; MEMARG0

// QUADS runs BODY on the R5 quads of x from R4, R0 pointing at each.
#define QUADS(BODY) \
	Get R4; Set R0; \
	Get R5; Set R1; \
	Loop; \
		BODY; \
		ADVANCE(R0, 16); \
		Get R1; I64Const $1; I64Sub; Tee R1; \
		I64Const $0; I64GtS; \
		BrIf $0; \
	End

// ONTAIL runs BODY on the tail quad, if there is one.
#define ONTAIL(BODY) \
	Block; \
		Get R7; I64Eqz; BrIf $0; \
		BODY; \
	End

// MAXQUADS sets V12 (even quads) and V13 (odd quads) to the lane maxima of
// the R5 ≥ 1 quads of x; LOADQ pushes the quad at R0 (and may add to it).
#define MAXQUADS(LOADQ) \
	Get R4; Set R0; \
	Get R5; I64Const $1; I64Sub; Set R1; \
	LOADQ; Set V12; \
	Get V12; Set V13; \
	ADVANCE(R0, 16); \
	Block; \
		Get R1; I64Const $2; I64LtS; BrIf $0; \
		Loop; \
			Get V12; LOADQ; F32x4Pmax; Set V12; \
			ADVANCE(R0, 16); \
			Get V13; LOADQ; F32x4Pmax; Set V13; \
			ADVANCE(R0, 16); \
			Get R1; I64Const $2; I64Sub; Tee R1; \
			I64Const $2; I64GeS; \
			BrIf $0; \
		End; \
	End; \
	Block; \
		Get R1; I64Eqz; BrIf $0; \
		Get V12; LOADQ; F32x4Pmax; Set V12; \
	End

#define LOADX Get R0; I32WrapI64; V128Load $0

// LOADXMASK stores x + mask over the quad and pushes it; R3 is the mask's
// quad, advanced here.
#define LOADXMASK \
	Get R0; I32WrapI64; \
	Get R0; I32WrapI64; V128Load $0; Get R3; I32WrapI64; V128Load $0; F32x4Add; \
	Tee V14; V128Store; Get V14; \
	ADVANCE(R3, 16)

// HMAX makes F0 the lane at byte offset off of the frame if it is greater.
#define HMAX(off) \
	Get R2; I32WrapI64; F32Load $off; Set F1; \
	Get F1; Get F0; Get F1; Get F0; F32Gt; Select; Set F0

// EXP replaces the quad at byte offset off of ptr with expNeg32(x - m) and
// adds it to V11. V12 is x - m, then the result; V13 the keep mask
// (x ≥ expMin); V14 n, then 2ⁿ; V15 r.
#define EXP(ptr, off) \
	Get ptr; I32WrapI64; V128Load $off; Get V0; F32x4Sub; Set V12; \
	Get V12; Get V1; F32x4Ge; Set V13; \
	EXPCLAMP; \
	Get V12; Get V2; F32x4Mul; Get V3; F32x4Add; F32x4Floor; Set V14; \
	Get V12; Get V14; Get V4; F32x4Mul; F32x4Sub; \
	Get V14; Get V5; F32x4Mul; F32x4Sub; Set V15; \
	Get V14; Get V10; F32x4Add; I32Const $23; I32x4Shl; Set V14; \
	Get V6; Get V15; F32x4Mul; Get V7; F32x4Add; \
	Get V15; F32x4Mul; Get V8; F32x4Add; \
	Get V15; F32x4Mul; CONST(40); F32x4Add; \
	Get V15; F32x4Mul; CONST(44); F32x4Add; \
	Get V15; F32x4Mul; CONST(48); F32x4Add; \
	Get V15; Get V15; F32x4Mul; F32x4Mul; \
	Get V15; F32x4Add; Get V9; F32x4Add; \
	Get V14; F32x4Mul; Get V13; V128And; Set V12; \
	ADDR(ptr, off); Get V12; V128Store; \
	Get V11; Get V12; F32x4Add; Set V11

// EXPCLAMP clamps x at expMin so the lanes zeroed at the end stay finite
// (and their products normal) meanwhile; a NaN lane stays NaN, and is
// zeroed too.
#define EXPCLAMP Get V12; Get V1; F32x4Pmax; Set V12

// SCALE multiplies the quad at byte offset off of ptr by V0.
#define SCALE(ptr, off) \
	ADDR(ptr, off); \
	Get ptr; I32WrapI64; V128Load $off; Get V0; F32x4Mul; \
	V128Store

// func softmaxAsm(x *float32, quads int, mask *float32, hasTail int, f *softmaxFrame)
TEXT ·softmaxAsm(SB), NOSPLIT, $0-40
	MOVD x+0(FP), R4
	MOVD quads+8(FP), R5
	MOVD mask+16(FP), R3
	MOVD hasTail+24(FP), R7
	MOVD f+32(FP), R2

	// The max: m = lane 0, then each lane greater, as softmaxGo.
	Block
		Block
			Get R3; I64Eqz; BrIf $0
			MAXQUADS(LOADXMASK)
			Br $1
		End
		MAXQUADS(LOADX)
	End
	ONTAIL(Get V12; Get R2; I32WrapI64; V128Load $TAIL; F32x4Pmax; Set V12)
	ADDR(R2, LANES); Get V12; Get V13; F32x4Pmax; V128Store
	Get R2; I32WrapI64; F32Load $LANES; Set F0
	HMAX(LANES+4)
	HMAX(LANES+8)
	HMAX(LANES+12)
	Get F0; F32x4Splat; Set V0

	// The exps and their lane sums.
	SPLAT(0, V1)   // expMin
	SPLAT(4, V2)   // expLog2e
	SPLAT(8, V3)   // 0.5
	SPLAT(12, V4)  // expLn2Hi
	SPLAT(16, V5)  // expLn2Lo
	SPLAT(20, V6)  // expP0
	SPLAT(24, V7)  // expP1
	SPLAT(28, V8)  // expP2
	SPLAT(32, V9)  // 1
	SPLAT(36, V10) // expPow2Magic
	I32Const $0; I32x4Splat; Set V11
	QUADS(EXP(R0, 0))
	ONTAIL(EXP(R2, TAIL))

	// 1 / ((l0 + l1) + (l2 + l3))
	ADDR(R2, LANES); Get V11; V128Store
	Get R2; I32WrapI64; F32Load $32
	Get R2; I32WrapI64; F32Load $LANES; Get R2; I32WrapI64; F32Load $(LANES+4); F32Add
	Get R2; I32WrapI64; F32Load $(LANES+8); Get R2; I32WrapI64; F32Load $(LANES+12); F32Add
	F32Add
	F32Div
	F32x4Splat; Set V0

	QUADS(SCALE(R0, 0))
	ONTAIL(SCALE(R2, TAIL))
	RET
