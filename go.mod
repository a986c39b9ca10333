module github.com/wasmbert/wasmbert

go 1.27.3

require (
	github.com/nlpodyssey/gopickle v0.2.0
	github.com/nlpodyssey/spago v1.1.0
	github.com/syumai/workers v0.32.0
	golang.org/x/text v0.44.0
)

require github.com/google/flatbuffers v23.5.26+incompatible // indirect
