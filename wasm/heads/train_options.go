package main

import "github.com/wasmbert/wasmbert/model/heads"

// trainOptions is heads.TrainOptions as JS names them; zero values take
// the model/heads defaults.
type trainOptions struct {
	Hidden       int     `json:"hidden"`
	Epochs       int     `json:"epochs"`
	BatchSize    int     `json:"batchSize"`
	LearningRate float64 `json:"learningRate"`
	WeightDecay  float64 `json:"weightDecay"`
	Seed         uint64  `json:"seed"`
}

// heads returns the options for model/heads, reporting each epoch to
// progress (which may be nil).
func (o trainOptions) heads(progress func(done, total int)) heads.TrainOptions {
	return heads.TrainOptions{
		Hidden: o.Hidden, Epochs: o.Epochs, BatchSize: o.BatchSize,
		LearningRate: o.LearningRate, WeightDecay: o.WeightDecay, Seed: o.Seed,
		Progress: progress,
	}
}
