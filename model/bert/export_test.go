package bert

// Test helpers for the external tests (minilm_test.go).
var (
	LoadCheckpoint = loadCheckpoint
	MaxAbsDiff     = maxAbsDiff
	F32s           = f32s
)
